"""Atomic output keeps the usual permissions and never replaces a folder trondocs did not build."""

from __future__ import annotations

import os
import stat

import pytest

from trondocs.fsutil import OWNED_MARKER, NotOurFolder, atomic_directory, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_files_get_the_usual_mode_and_existing_ones_keep_theirs(tmp_path, umask_022):
    target = tmp_path / "out" / "drift.prom"
    write_atomic(target, "a 1\n")
    assert target.read_text() == "a 1\n" and _mode(target) == 0o644  # node_exporter can read it
    target.chmod(0o640)
    write_atomic(target, b"a 2\n")
    assert target.read_text() == "a 2\n" and _mode(target) == 0o640
    assert [p.name for p in target.parent.iterdir()] == ["drift.prom"]  # no temporary left


def test_writing_onto_a_folder_is_refused_clearly(tmp_path):
    with pytest.raises(IsADirectoryError, match="it is a folder"):
        write_atomic(tmp_path, "x")


def test_a_built_folder_is_readable_and_marked_then_replaced_whole(tmp_path, umask_022):
    site = tmp_path / "site"
    with atomic_directory(site) as staging:
        (staging / "index.html").write_text("one")
    assert _mode(site) == 0o755 and (site / OWNED_MARKER).exists()
    with atomic_directory(site) as staging:
        (staging / "other.html").write_text("two")
    assert sorted(p.name for p in site.iterdir()) == sorted([OWNED_MARKER, "other.html"])


def test_a_failed_build_leaves_the_previous_folder(tmp_path):
    site = tmp_path / "site"
    with atomic_directory(site) as staging:
        (staging / "index.html").write_text("one")
    with pytest.raises(KeyboardInterrupt), atomic_directory(site) as staging:
        (staging / "index.html").write_text("half")
        raise KeyboardInterrupt
    assert (site / "index.html").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.parametrize("content", ["notes.txt", "plan.yaml"])
def test_a_folder_not_built_by_trondocs_is_never_replaced(tmp_path, content):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / content).write_text("important")
    with pytest.raises(NotOurFolder, match="not built by trondocs"), atomic_directory(folder):
        pytest.fail("must refuse before building")
    assert (folder / content).read_text() == "important"


def test_an_empty_folder_may_be_used(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    with atomic_directory(folder) as staging:
        (staging / "index.html").write_text("one")
    assert (folder / "index.html").exists()

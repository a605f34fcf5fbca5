"""Atomic output keeps the usual permissions and never replaces a folder trondocs did not build."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from trondocs import fsutil
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


# --- the swap: no moment without a site, no staging folder left behind -------------------------

def _built(site, text):
    with atomic_directory(site) as staging:
        (staging / "index.html").write_text(text)
        (staging / "assets").mkdir()
        (staging / "assets" / "app.js").write_text(text)


def _complete(site, text):
    return ((site / "index.html").read_text() == text and (site / "assets" / "app.js").read_text() == text
            and (site / OWNED_MARKER).exists())


def _crash_at(monkeypatch, step, error=RuntimeError):
    def crash(name):
        if name == step:
            raise error(f"crash at {name}")
    monkeypatch.setattr(fsutil, "_step", crash)


def test_the_swap_is_an_atomic_exchange_on_linux(tmp_path, monkeypatch):
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2(RENAME_EXCHANGE) is Linux's")
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    assert fsutil.exchange(a, b) and (b / "x").read_text() == "a" and not (a / "x").exists()
    site = tmp_path / "site"
    _built(site, "one")
    renames = []
    real = os.replace
    monkeypatch.setattr(fsutil.os, "replace", lambda *args: renames.append(args) or real(*args))
    _built(site, "two")
    assert _complete(site, "two") and renames == []  # exchanged, never renamed away


@pytest.mark.parametrize("step", ["exchanged", "moved-previous-aside", "moved-new-in"])
def test_a_crash_between_the_steps_of_the_swap_leaves_a_complete_site(tmp_path, monkeypatch, step):
    if step != "exchanged":  # the two-rename fallback, for platforms without an exchange
        monkeypatch.setattr(fsutil, "exchange", lambda first, second: False)
    site = tmp_path / "site"
    _built(site, "one")
    _crash_at(monkeypatch, step)
    with pytest.raises(RuntimeError, match="crash"):
        _built(site, "two")
    assert _complete(site, "one") or _complete(site, "two")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


_KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
from trondocs import fsutil
if sys.argv[3] == "fallback":
    fsutil.exchange = lambda first, second: False
def step(name):
    if name == sys.argv[2]:
        os.kill(os.getpid(), signal.SIGKILL)
fsutil._step = step
with fsutil.atomic_directory(Path(sys.argv[1])) as staging:
    (staging / "index.html").write_text("two")
    (staging / "assets").mkdir()
    (staging / "assets" / "app.js").write_text("two")
    if sys.argv[2] == "building":
        os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed_build(site, step, how="exchange"):
    done = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(site), step, how],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert done.returncode == -signal.SIGKILL, done.stderr


@pytest.mark.parametrize(("step", "how"), [("building", "exchange"), ("exchanged", "exchange"),
                                           ("moved-new-in", "fallback")])
def test_a_killed_build_leaves_a_complete_site_and_the_next_run_removes_its_staging(tmp_path, step, how):
    site = tmp_path / "site"
    _built(site, "one")
    _killed_build(site, step, how)
    assert _complete(site, "one") or _complete(site, "two")  # whatever the moment of the kill
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "site"]
    assert leftovers and all(n.startswith((".site.build.", ".site.old.")) for n in leftovers)
    _built(site, "three")
    assert _complete(site, "three")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_without_an_exchange_a_build_killed_between_the_renames_is_healed_by_the_next_run(tmp_path):
    site = tmp_path / "site"
    _built(site, "one")
    _killed_build(site, "moved-previous-aside", "fallback")
    assert not site.exists()  # the window the fallback cannot close…
    assert fsutil.clean_stale(site) != [] or site.exists()  # …is healed before anything else
    assert _complete(site, "one")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_staging_folder_of_a_running_build_or_not_ours_is_left_alone(tmp_path):
    site = tmp_path / "site"
    live = tmp_path / f".site.build.{os.getpid()}-{fsutil._process_start(os.getpid())}.abc123"
    live.mkdir()
    reused = tmp_path / f".site.build.{os.getpid()}-1.abc123"  # same pid, another process start
    reused.mkdir()
    user = tmp_path / ".site.build.notes"
    user.mkdir()
    _built(site, "one")
    names = {p.name for p in tmp_path.iterdir()}
    assert live.name in names and user.name in names and reused.name not in names


def test_a_full_disk_names_the_output_not_a_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "drift.prom"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", full)
    with pytest.raises(OSError, match="No space left") as caught:
        write_atomic(target, "a 1\n")
    assert caught.value.filename == str(target) and list(tmp_path.iterdir()) == []
    site = tmp_path / "site"
    with pytest.raises(OSError, match="No space left") as caught, atomic_directory(site) as staging:
        raise OSError(errno.ENOSPC, "No space left on device", str(staging / "assets" / "app.js"))
    assert caught.value.filename == str(site.resolve() / "assets" / "app.js")
    with pytest.raises(OSError) as caught, atomic_directory(site):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.filename == str(site.resolve()) and list(tmp_path.iterdir()) == []


def test_a_staged_file_is_written_in_pieces_and_appears_only_when_committed(tmp_path, umask_022):
    target = tmp_path / "drift.json"
    target.write_text("old")
    staged = fsutil.StagedFile(target)
    staged.write("{")
    staged.write(b'"a": 1}')
    assert target.read_text() == "old"  # readers still see the previous file
    staged.commit()
    assert target.read_text() == '{"a": 1}' and _mode(target) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["drift.json"]


def test_a_discarded_staged_file_leaves_the_previous_one(tmp_path):
    target = tmp_path / "drift.json"
    target.write_text("old")
    staged = fsutil.StagedFile(target)
    staged.write("new")
    staged.discard()
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["drift.json"]


def test_all_outputs_are_replaced_or_none(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.sarif"
    first.write_text("old a")
    second.write_text("old b")

    def failing():
        yield "half of b"
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError, match="rendering failed"):
        fsutil.write_all_atomic([(first, ["new ", "a"]), (second, failing())])
    assert (first.read_text(), second.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.sarif"]
    fsutil.write_all_atomic([(first, ["new ", "a"]), (second, iter(["new b"]))])
    assert (first.read_text(), second.read_text()) == ("new a", "new b")


def test_a_full_disk_while_streaming_names_the_output(tmp_path, monkeypatch):
    target = tmp_path / "drift.json"
    staged = fsutil.StagedFile(target)
    real_fsync = os.fsync

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsutil.os, "fsync", full)
    with pytest.raises(OSError, match="cannot write it") as caught:
        staged.write("x" * 10)
        staged.commit()
    monkeypatch.setattr(fsutil.os, "fsync", real_fsync)
    assert caught.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []

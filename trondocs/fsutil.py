"""Atomic output: a crash or Ctrl-C leaves the previous file or folder intact."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Written into every folder trondocs builds: only such a folder is ever replaced whole.
OWNED_MARKER = ".trondocs-output"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _mode_for(path: Path, default: int) -> int:
    """Keep an existing file's mode; a new one gets what open() would give it (default & ~umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return default & ~_umask()


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"cannot write {path}: it is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, f"cannot write it ({exc.strerror})", str(path)) from None
    try:
        # mkstemp makes 0600 files: readers such as a web server or node_exporter need the usual mode.
        os.fchmod(fd, _mode_for(path, 0o666))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class NotOurFolder(OSError):
    """The target folder holds files trondocs did not write: it is never replaced."""


@contextlib.contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh folder beside ``target``; on success it replaces ``target`` whole.

    On any exception (KeyboardInterrupt included) the temporary folder is removed and the
    previous ``target`` is left untouched. A ``target`` that exists, is not empty and was not
    built by trondocs (no marker file) is refused before anything is done.
    """
    target = Path(target).resolve()
    if target.exists() and (not target.is_dir() or (any(target.iterdir())
                                                     and not (target / OWNED_MARKER).exists())):
        raise NotOurFolder(
            f"{target} is not empty and was not built by trondocs: refusing to replace it; "
            "choose a new or empty folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.build.", dir=target.parent))
    try:
        os.chmod(staging, _mode_for(target, 0o777))  # mkdtemp makes it private (0700)
        yield staging
        # Written last: builders such as mkdocs empty their output folder first.
        (staging / OWNED_MARKER).write_text("built by trondocs; this folder is replaced on each build\n")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old.{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)

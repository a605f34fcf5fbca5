"""Atomic output: a crash or Ctrl-C leaves the previous file or folder intact."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
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


def _naming(exc: OSError, path: Path, doing: str, inside: Path | None = None) -> OSError:
    """The same error, naming the user's ``path`` instead of a temporary file (or no file).

    A file name inside ``inside`` (a staging folder) is shown at its place under ``path``.
    """
    shown = path
    if inside is not None and exc.filename:
        with contextlib.suppress(ValueError):
            shown = path / Path(os.fsdecode(exc.filename)).relative_to(inside)
    return OSError(exc.errno, f"cannot {doing} ({exc.strerror or exc})", str(shown))


def _is_ours(exc: OSError, temporary: Path) -> bool:
    """Does ``exc`` come from writing our temporary file or folder (or name no file at all)?"""
    if not exc.filename:
        return True
    name = Path(os.fsdecode(exc.filename))
    return name == temporary or temporary in name.parents


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    write_all_atomic([(path, [data])])


class StagedFile:
    """A file written piece by piece to a temporary file beside ``path``, put in its place by
    ``commit`` (a rename): until then readers see the previous file, and ``discard`` (or a
    failure while writing) leaves it. Large outputs go to disk as they are made instead of
    being joined in memory first."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise IsADirectoryError(f"cannot write {self.path}: it is a folder; give a file name")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        except OSError as exc:  # name the file the user asked for, not our temporary one
            raise _naming(exc, self.path, "write it") from None
        self._tmp = Path(tmp)
        self._handle = os.fdopen(fd, "wb")
        try:
            # mkstemp makes 0600 files: readers such as a web server or node_exporter need the usual mode.
            os.fchmod(fd, _mode_for(self.path, 0o666))
        except BaseException as exc:
            self._failed(exc)

    def write(self, data: str | bytes) -> None:
        try:
            self._handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        except BaseException as exc:
            self._failed(exc)

    def finish(self) -> None:
        """Everything written on disk (flushed, fsynced): ready to be renamed into place."""
        try:
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._handle.close()
        except BaseException as exc:
            self._failed(exc)

    def commit(self) -> None:
        """Finish, then replace ``path`` with what was written."""
        if not self._handle.closed:
            self.finish()
        try:
            os.replace(self._tmp, self.path)
        except BaseException as exc:
            self._failed(exc)

    def discard(self) -> None:
        """Leave ``path`` as it was and remove the temporary file."""
        self._handle.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)

    def _failed(self, exc: BaseException) -> None:
        self.discard()
        if isinstance(exc, OSError) and _is_ours(exc, self._tmp):  # a full disk names the output
            raise _naming(exc, self.path, "write it") from None
        raise exc


def write_all_atomic(outputs: Iterable[tuple[Path, Iterable[str | bytes]]]) -> None:
    """Write each file from its pieces, as they come, to a temporary file beside it; then put
    them all in place. A failure while making or writing any of them replaces none."""
    staged: list[StagedFile] = []
    try:
        for path, pieces in outputs:
            staged.append(StagedFile(path))
            for piece in pieces:
                staged[-1].write(piece)
            staged[-1].finish()
    except BaseException:
        for file in staged:
            file.discard()
        raise
    for n, file in enumerate(staged):
        try:
            file.commit()
        except BaseException:
            for rest in staged[n + 1:]:
                rest.discard()
            raise


class NotOurFolder(OSError):
    """The target folder holds files trondocs did not write: it is never replaced."""


# --- swapping two folders with no moment where the target is missing -------------------------

_RENAME_EXCHANGE = 2  # linux/fs.h
_RENAME_SWAP = 2  # macOS sys/stdio.h (renamex_np)
_AT_FDCWD = -100


def _libc():
    with contextlib.suppress(OSError):
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    return None


def _exchange_call():
    """The platform's atomic exchange of two paths, or None (then the two-rename fallback)."""
    libc = _libc()
    if libc is None:
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: function(_AT_FDCWD, a, _AT_FDCWD, b, _RENAME_EXCHANGE)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        function = libc.renamex_np
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        return lambda a, b: function(a, b, _RENAME_SWAP)
    return None


_EXCHANGE = _exchange_call()
# The file system or kernel cannot exchange: fall back to two renames (healed on the next run).
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EXDEV, getattr(errno, "ENOTSUP", errno.EINVAL),
                getattr(errno, "EOPNOTSUPP", errno.EINVAL)}


def exchange(first: Path, second: Path) -> bool:
    """Atomically swap two existing folders; False when the platform or file system cannot."""
    if _EXCHANGE is None:
        return False
    if _EXCHANGE(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(second))


def _step(name: str) -> None:
    """A point between the steps of a swap (tests inject crashes here)."""


def _swap_in(staging: Path, target: Path, old: Path) -> None:
    """Put ``staging`` at ``target``; the previous ``target`` (if any) ends at ``old`` or ``staging``.

    With an atomic exchange there is no moment where ``target`` is missing. Without one, the
    previous folder is renamed to ``old`` first; a crash before the second rename leaves it
    there, and the next run puts it back (see ``clean_stale``).
    """
    if not target.exists():
        os.rename(staging, target)
        return
    if exchange(staging, target):
        _step("exchanged")
        shutil.rmtree(staging, ignore_errors=True)  # now the previous site
        return
    os.replace(target, old)
    _step("moved-previous-aside")
    os.replace(staging, target)
    _step("moved-new-in")
    shutil.rmtree(old, ignore_errors=True)


# --- staging folders left by killed builds ---------------------------------------------------
# A staging folder's name says which process made it: ``.site.build.<pid>-<start>.<random>``
# (``.site.old.…`` for a previous site set aside), so a later run can tell a folder left by a
# killed build from one a running build still uses. Its content may be anything (mkdocs
# empties its output folder; after an exchange it holds the previous site).

def _process_start(pid: int) -> str:
    """When process ``pid`` started (Linux: clock ticks since boot), to tell a reused pid; else '0'."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "0"
    fields = text.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 and fields[19].isdigit() else "0"


def _alive(pid: int, started: str) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: someone else's process, alive
        return True
    return started == "0" or _process_start(pid) in ("0", started)


def _staging_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(target.name)}\.(build|old)\.([0-9]+)-([0-9]+)\.[A-Za-z0-9_]+$")


def clean_stale(target: Path) -> list[Path]:
    """Remove staging folders beside ``target`` that trondocs made and whose process is gone.

    A previous site set aside by a build killed between two renames (only without an atomic
    exchange) is put back first when ``target`` is missing. Returns what was removed.
    """
    target = Path(target)
    pattern = _staging_pattern(target)
    removed: list[Path] = []
    try:
        entries = sorted(target.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or entry.is_symlink() or not entry.is_dir() or _alive(int(match[2]), match[3]):
            continue
        if match[1] == "old" and not target.exists() and (entry / OWNED_MARKER).exists():
            with contextlib.suppress(OSError):
                os.rename(entry, target)
                continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    return removed


def _staging_name(target: Path, kind: str) -> str:
    pid = os.getpid()
    return f".{target.name}.{kind}.{pid}-{_process_start(pid)}."


@contextlib.contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh folder beside ``target``; on success it replaces ``target`` whole.

    On any exception (KeyboardInterrupt included) the temporary folder is removed and the
    previous ``target`` is left untouched. A ``target`` that exists, is not empty and was not
    built by trondocs (no marker file) is refused before anything is done. Staging folders
    left by builds that were killed are removed first; OS errors name ``target``, not them.
    """
    target = Path(target).resolve()
    clean_stale(target)
    if target.exists() and (not target.is_dir() or (any(target.iterdir())
                                                     and not (target / OWNED_MARKER).exists())):
        raise NotOurFolder(
            f"{target} is not empty and was not built by trondocs: refusing to replace it; "
            "choose a new or empty folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_staging_name(target, "build"), dir=target.parent))
    except OSError as exc:
        raise _naming(exc, target, "build it") from None
    old: Path | None = None
    try:
        os.chmod(staging, _mode_for(target, 0o777))  # mkdtemp makes it private (0700)
        yield staging
        # Written last: builders such as mkdocs empty their output folder first.
        (staging / OWNED_MARKER).write_text("built by trondocs; this folder is replaced on each build\n")
        old = target.with_name(_staging_name(target, "old") + staging.name.rsplit(".", 1)[-1])
        _swap_in(staging, target, old)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None and old.is_dir():  # interrupted between or after the two renames
            if target.exists():
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.rename(old, target)
        if isinstance(exc, OSError) and not isinstance(exc, NotOurFolder) and _is_ours(exc, staging):
            raise _naming(exc, target, "build it", inside=staging) from None
        raise

"""Bounded reading of the files a user hands us: plan YAML, sources.yaml, state files, keys.

Every such file is opened here and only here, so one set of rules holds for all of them:

- only regular files are read: a FIFO or a device (``/dev/zero``) would block the run or feed
  it without end, so it is refused before a byte is read (the open itself never blocks);
- a size limit per kind of file, checked on the file and again while reading (it may grow);
- gzip is decompressed with a limit on the *decompressed* size (a gzip bomb stops there);
- symlink loops and other OS errors become one clear problem naming the file.

Problems are ``PlanError``s pointing at the file, so every command reports them as plan or
usage errors (exit 2), never as a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
import zlib
from pathlib import Path

from trondocs.diagnostics import Diagnostic, Level, Location, PlanError

MiB = 1024 * 1024
# A plan file or sources.yaml is hand-written: a few KiB. 8 MiB is far beyond any real one and
# still parses in well under a second.
MAX_YAML_BYTES = 8 * MiB
# A state of a large estate is tens of MiB of JSON; the limit applies after decompression.
MAX_STATE_BYTES = 256 * MiB
MAX_KEY_BYTES = 64 * 1024  # a PEM key is a few hundred bytes
MAX_PDF_BYTES = 256 * MiB


def _size(n: int) -> str:
    return f"{n / MiB:.1f} MiB" if n >= MiB else f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} bytes"


def problem(display: str, code: str, message: str, hint: str) -> PlanError:
    return PlanError([Diagnostic(level=Level.ERROR, code=code, message=message, hint=hint,
                                 location=Location(file=display, line=1, column=1))])


def _open_error(exc: OSError, display: str, what: str) -> PlanError:
    if exc.errno == errno.ELOOP:
        return problem(display, "symlink-loop", f"the {what} is a symbolic link that leads back to "
                       "itself (a symlink loop)", "point the link at a real file, or replace it by one")
    if exc.errno == errno.ENOENT:
        return problem(display, "no-such-file", f"the {what} does not exist",
                       "check the path (a dangling symbolic link also ends here)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return problem(display, "permission-denied", f"cannot read the {what}: permission denied",
                       "give the user running trondocs read access to it")
    return problem(display, "unreadable", f"cannot read the {what}: {exc.strerror or exc}",
                   "check the file")


def read_bytes(path: Path | str, *, what: str, limit: int, display: str | None = None) -> bytes:
    """The content of the regular file ``path``, at most ``limit`` bytes, else a PlanError."""
    display = display or str(path)
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _open_error(exc, display, what) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise problem(display, "not-a-file", f"the {what} is a folder, not a file",
                          "give the path of a file")
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                    else "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
            raise problem(display, "not-a-regular-file",
                          f"the {what} is {kind}: trondocs reads only regular files",
                          "copy the content into an ordinary file and give its path")
        too_big = problem(display, "file-too-large",
                          f"the {what} is larger than {_size(limit)}, the limit for it",
                          "check that this is the right file; a real one is far smaller")
        if info.st_size > limit:
            raise too_big
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(limit + 1 - total, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while we read it
                raise too_big
        return b"".join(chunks)
    except OSError as exc:
        raise _open_error(exc, display, what) from None
    finally:
        os.close(fd)


def read_text(path: Path | str, *, what: str, limit: int = MAX_YAML_BYTES,
              display: str | None = None) -> str:
    """A bounded regular file as UTF-8 text (a BOM is dropped)."""
    display = display or str(path)
    data = read_bytes(path, what=what, limit=limit, display=display)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="not-utf8", message=f"the file is not UTF-8 text ({exc.reason})",
            hint="save the file as UTF-8", location=Location(file=display, line=line, column=1),
        )]) from None


def gunzip(data: bytes, *, what: str, limit: int, display: str) -> bytes:
    """Decompress gzip ``data`` (every member) without ever holding more than ``limit`` bytes."""
    out: list[bytes] = []
    total = 0
    rest = data
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            piece = inflater.decompress(rest, limit + 1 - total)
        except zlib.error as exc:
            raise problem(display, "bad-gzip", f"the {what} is not valid gzip ({exc})",
                          "check the file; it may be damaged") from None
        total += len(piece)
        out.append(piece)
        if total > limit or inflater.unconsumed_tail:
            raise problem(display, "file-too-large",
                          f"the {what} decompresses to more than {_size(limit)}, the limit for it",
                          "check that this is the right file (a gzip bomb stops here)")
        if not inflater.eof:
            raise problem(display, "bad-gzip", f"the {what} is a truncated gzip file",
                          "check the file; it was cut short")
        rest = inflater.unused_data.lstrip(b"\0")  # gzip allows trailing zero padding
    return b"".join(out)

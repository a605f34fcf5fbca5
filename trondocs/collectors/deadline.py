"""A deadline per source (and per run), enforced whatever the server does.

Socket timeouts bound each read, not the whole: a server that sends one byte a second never
trips them. So a ``Deadline`` keeps the sockets a source opened and, when it passes, shuts
them down from a timer thread: a read blocked in any library (requests, botocore, pyVmomi)
returns at once, and every later request refuses to start. Sleeps between retries end at
the deadline too.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import weakref
from collections.abc import Callable

from trondocs.collectors.errors import SourceError, log


class DeadlineExceeded(SourceError):
    """The source ran out of time; what it read so far is dropped for the scopes still open."""


class Deadline:
    """``seconds`` from now (monotonic clock); ``None`` means no deadline at all."""

    def __init__(self, seconds: float | None, reason: str = "the deadline",
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.reason = reason  # "the 5m deadline of source 'veeam'" — said in every error
        self._clock = clock
        self.at = None if seconds is None else clock() + max(seconds, 0.0)
        self._expired = threading.Event()
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        if seconds is not None:
            self._timer = threading.Timer(max(seconds, 0.0), self.expire)
            self._timer.daemon = True
            self._timer.start()

    @property
    def expired(self) -> bool:
        if not self._expired.is_set() and self.at is not None and self._clock() >= self.at:
            self.expire()
        return self._expired.is_set()

    def remaining(self) -> float | None:
        return None if self.at is None else max(self.at - self._clock(), 0.0)

    def timeout(self, per_read: float) -> float:
        """A socket timeout for the next operation: never past the deadline."""
        left = self.remaining()
        return per_read if left is None else max(min(per_read, left), 0.01)

    def check(self, where: str) -> None:
        """Refuse to start more work once the deadline has passed."""
        if self.expired:
            raise self.error(where)

    def error(self, where: str) -> DeadlineExceeded:
        return DeadlineExceeded(f"{where}: stopped at {self.reason}")

    def sleep(self, seconds: float) -> None:
        """``time.sleep`` that ends at the deadline (then raises nothing: the next check does)."""
        if seconds > 0:
            left = self.remaining()
            self._expired.wait(seconds if left is None else min(seconds, left))

    def register(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down when the deadline passes (at once if it has passed)."""
        if sock is None or self.at is None:  # no deadline: nothing will ever shut it down
            return
        with self._lock:
            if not self._expired.is_set():
                self._sockets.add(sock)
                return
        _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            if self._expired.is_set():
                return
            self._expired.set()
            sockets = list(self._sockets)
            self._sockets.clear()
        if sockets:
            log.debug("%s: closing %d connection(s)", self.reason, len(sockets))
        for sock in sockets:
            _shutdown(sock)

    def cancel(self) -> None:
        """The source is done: stop the timer (its sockets are the libraries' again)."""
        if self._timer is not None:
            self._timer.cancel()
        with self._lock:
            self._sockets.clear()


def _shutdown(sock: socket.socket) -> None:
    # shutdown, not close: close() from another thread leaves a blocked recv waiting, and
    # the descriptor number could be reused under it; shutdown wakes it with end-of-file.
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


NO_DEADLINE = Deadline(None)


def watched_pool(pool_class: type, deadline: Deadline) -> type:
    """A urllib3 connection pool class whose every new socket is handed to ``deadline``.

    requests and botocore both build on urllib3; a connection's ``_new_conn`` makes the plain
    socket (before any TLS), and shutting that one down ends TLS reads on it as well.
    """

    class WatchedConnection(pool_class.ConnectionCls):  # type: ignore[name-defined, misc]
        def _new_conn(self):
            sock = super()._new_conn()
            deadline.register(sock)
            return sock

    return type(f"Watched{pool_class.__name__}", (pool_class,), {"ConnectionCls": WatchedConnection})

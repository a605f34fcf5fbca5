"""A server that answers one byte per second, for ever: every per-read timeout is satisfied.

It reads the request, then drips an HTTP status line and an endless header, a byte a second,
until the client hangs up. It records when each connection opened and closed, so a test can
wait for "every client hung up" instead of sleeping.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time


class DripServer:
    def __init__(self, interval: float = 1.0, answers: dict[str, bytes] | None = None) -> None:
        """``answers``: request-line prefix → a whole response sent at once (then the connection
        closes), so a client gets past its first steps (a version probe, a login) and is caught
        dripping in the middle of its work."""
        self.interval = interval
        self.answers = answers or {}
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.opened = 0
        self.closed = 0
        self._changed = threading.Condition()
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._changed:
                self.opened += 1
                self._changed.notify_all()
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket) -> None:
        payload = b"HTTP/1.1 200 OK\r\nX-Drip: " + b"a" * 10_000_000
        try:
            conn.settimeout(self.interval)
            request = b""
            with contextlib.suppress(TimeoutError):
                request = conn.recv(65536)  # the request (whatever it is)
            for prefix, answer in self.answers.items():
                if request.startswith(prefix.encode()):
                    conn.sendall(answer)
                    conn.shutdown(socket.SHUT_WR)
                    with contextlib.suppress(OSError):
                        while conn.recv(65536):  # until the client hangs up
                            pass
                    return
            for byte in payload:
                conn.sendall(bytes([byte]))
                if self._hung_up_within(conn, self.interval):
                    return
        except OSError:
            return
        finally:
            conn.close()
            with self._changed:
                self.closed += 1
                self._changed.notify_all()

    @staticmethod
    def _hung_up_within(conn: socket.socket, interval: float) -> bool:
        """Wait out the interval; True when the client hung up. What it still sends (a request
        body arriving after its headers) is read and dropped: peeking at it would end the wait
        at once and flood the client with header bytes, racing its deadline."""
        end = time.monotonic() + interval
        while (left := end - time.monotonic()) > 0:
            conn.settimeout(left)
            try:
                if conn.recv(65536) == b"":
                    return True
            except TimeoutError:
                return False
        return False

    def wait_all_closed(self, timeout: float) -> bool:
        """True once every connection made so far was hung up by its client."""
        end = time.monotonic() + timeout
        with self._changed:
            while self.closed < self.opened:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    def stop(self) -> None:
        self._stop.set()
        self._listener.close()

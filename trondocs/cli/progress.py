"""Progress on stderr for long work: one updating line on a terminal, sparse lines otherwise."""

from __future__ import annotations

import sys
import threading
import time

import click


class Progress:
    def __init__(self, enabled: bool = True, interval: float = 2.0):
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.interval = interval
        self.counts: dict[str, int] = {}
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, source: str, objects: int) -> None:
        if not self.enabled:
            return
        with self._lock:
            self.counts[source] = objects
            now = time.monotonic()
            if now - self._last < (0.1 if self.tty else self.interval):
                return
            self._last = now
            line = "  ".join(f"{name}: {count} objects" for name, count in self.counts.items())
            if self.tty:
                click.echo("\r\033[K" + line, err=True, nl=False)
            else:
                click.echo(line, err=True)

    def step(self, message: str) -> None:
        if self.enabled:
            self.done()
            click.echo(message, err=True)

    def done(self) -> None:
        if self.enabled and self.tty and self.counts:
            click.echo("\r\033[K", err=True, nl=False)

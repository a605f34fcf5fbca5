"""Fixtures for the Veeam collector: a fake VBR server per test, and a way to collect from it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from tests.fakes.veeam_estate import tron_estate
from tests.fakes.veeam_server import FakeVeeamServer
from trondocs.collectors import veeam
from trondocs.collectors.base import CollectContext, Collected

# A fixed "now" (Wednesday 2026-11-25 09:30 UTC) so every timestamp below is exact.
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
USER, PASSWORD = "BUC\\trondocs-reader", "correct horse battery"


@pytest.fixture
def veeam_server() -> Iterator[Callable[..., FakeVeeamServer]]:
    """Start fake VBR servers; at teardown, fail if any response broke its revision's schema."""
    started: list[FakeVeeamServer] = []

    def start(revision: str = "1.2-rev1", estate=None, **options) -> FakeVeeamServer:
        options.setdefault("username", USER)
        options.setdefault("password", PASSWORD)
        server = FakeVeeamServer(estate if estate is not None else tron_estate(NOW), revision,
                                 now=NOW, **options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
    assert [m for s in started for m in s.mismatches] == []


def make_ctx(user: str = USER, password: str = PASSWORD, now: Callable[[], dt.datetime] = lambda: NOW,
             **env: str) -> CollectContext:
    return CollectContext(env={"TRONDOCS_VEEAM_USER": user, "TRONDOCS_VEEAM_PASSWORD": password, **env},
                          now=now)


def config(server: FakeVeeamServer, **overrides) -> veeam.Config:
    settings = {"name": "vbr", "type": "veeam", "url": server.url, "api_version": server.revision,
                "page_size": 5, "retry_backoff": 0.0, "timeout": 5}
    return veeam.Config.model_validate(settings | overrides)


def collect(server: FakeVeeamServer, ctx: CollectContext | None = None, **overrides) -> Collected:
    return veeam.collect(config(server, **overrides), ctx or make_ctx())

"""Fixtures: fake N2WS servers holding the estate of estate.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.collectors.n2ws.estate import API_KEY, populate
from tests.fakes.n2ws_server import FakeN2ws


@pytest.fixture
def fake_n2ws() -> Iterator[Callable[..., FakeN2ws]]:
    """Start fake N2WS servers (stopped at the end): ``n2ws(paging="drf", access_uses=3)``."""
    started: list[FakeN2ws] = []

    def make(**options) -> FakeN2ws:
        options.setdefault("api_key", API_KEY)
        options.setdefault("max_page_size", 3)  # DRF pages: capped below what the client asks
        fake = populate(FakeN2ws(**options))
        started.append(fake.start())
        return fake

    yield make
    for fake in started:
        fake.stop()

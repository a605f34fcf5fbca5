"""Fixture: a lab of fake java-tron nodes on one simulated chain (stopped after the test)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.collectors.javatron.estate import Lab


@pytest.fixture
def lab() -> Iterator[Lab]:
    lab = Lab()
    yield lab
    lab.stop()

"""vcsim fixtures: one seeded TRON vCenter per session, plus a large one and a TLS one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.vcsim.harness import Vcsim, running
from tests.vcsim.seed import Seeded, seed_tron


@pytest.fixture(scope="session")
def vcsim() -> Iterator[Vcsim]:
    """A vCenter seeded like the example SR (see tests/vcsim/seed.py)."""
    with running("-ds", "2") as sim:
        yield sim


@pytest.fixture(scope="session")
def seeded(vcsim: Vcsim) -> Seeded:
    return seed_tron(vcsim)


@pytest.fixture(scope="session")
def vcsim_500() -> Iterator[Vcsim]:
    """500 VMs (250 per resource pool, created by vcsim itself), 2 snapshots each."""
    with running("-vm", "250", "-snapshots", "2") as sim:
        yield sim


@pytest.fixture(scope="session")
def vcsim_tls() -> Iterator[Vcsim]:
    """vcsim over https with a self-signed certificate (its PEM in ``.cert``)."""
    with running(tls=True) as sim:
        yield sim

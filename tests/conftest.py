"""Fixtures every test area shares. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from trondocs.cli import cli

# Property tests draw the same examples on every run, so a test's verdict never depends on luck
# (a random draw once failed CI on a bug the previous run had not drawn). To hunt for new
# failures, draw afresh: TRONDOCS_HYPOTHESIS=explore pytest tests/hardening tests/plan ...
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("TRONDOCS_HYPOTHESIS", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_INVENTORY = ROOT / "inventory"


@pytest.fixture
def example_inventory() -> Path:
    return EXAMPLE_INVENTORY


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_cli():
    """Run ``trondocs ARGS…`` in-process; returns click's Result (exit_code, stdout, stderr)."""

    def run(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)

    return run

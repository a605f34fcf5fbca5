"""Fixtures every test area shares. Area-specific fixtures live in tests/<area>/conftest.py."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from trondocs.cli import cli

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

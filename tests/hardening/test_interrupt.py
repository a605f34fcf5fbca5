"""Ctrl-C exits 130 (128 + SIGINT), never 1 (the code for findings), and promptly.

A real ``trondocs`` process waits on a server that drips one byte a second; the test sends it
SIGINT once it is connected, as a terminal does on Ctrl-C.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.hardening.drip import DripServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(60)
def test_ctrl_c_while_collecting_exits_130(tmp_path: Path):
    drip = DripServer()
    try:
        source = {"name": "tron", "type": "java-tron", "reference_endpoint": drip.url, "nodes": [],
                  "timeout": 30}
        inventory = inventory_with_sources(tmp_path / "inventory", [source])
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            [sys.executable, "-m", "trondocs", "collect", "-i", str(inventory),
             "-o", str(tmp_path / "state.json"), "--no-history"],
            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + 30
        while drip.opened == 0 and time.monotonic() < end and process.poll() is None:
            time.sleep(0.05)
        assert drip.opened, "trondocs never connected to the server"
        began = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
        assert process.returncode == 130, stderr
        assert time.monotonic() - began < 10
        assert "interrupted" in stderr
        assert "Traceback" not in stderr
    finally:
        drip.stop()

"""A deadline per source and per run holds whatever the server does (issue 15, item 2).

Each source is pointed at a server that answers one byte per second: no per-read timeout
ever fires, so without the deadline every source would run for minutes (retries included).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.factories import example_state
from tests.hardening.drip import DripServer
from trondocs.state.io import load_state, save_state

ENV = {"TRONDOCS_VEEAM_USER": "u", "TRONDOCS_VEEAM_PASSWORD": "p", "TRONDOCS_N2WS_API_KEY": "k",
       "TRONDOCS_VSPHERE_USER": "u", "TRONDOCS_VSPHERE_PASSWORD": "p",
       "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
       "AWS_EC2_METADATA_DISABLED": "true"}


@pytest.fixture
def drip() -> Iterator[DripServer]:
    server = DripServer()
    yield server
    server.stop()


def every_source(url: str, port: int, **extra) -> list[dict]:
    """One source of each networked type, all at the drip server, with long per-read timeouts."""
    common = {"timeout": 30, **extra}
    return [
        {"name": "tron", "type": "java-tron", "reference_endpoint": url, "nodes": [], **common},
        {"name": "vbr", "type": "veeam", "url": url, **common},
        {"name": "n2ws", "type": "n2ws", "url": url + "/api/", **common},
        {"name": "vc", "type": "vsphere", "host": "127.0.0.1", "port": port, "protocol": "http", **common},
        {"name": "aws", "type": "aws", "regions": ["eu-central-1"], "endpoint_url": url,
         "services": ["ec2"], "max_attempts": 3, **common},
    ]


@pytest.mark.timeout(60)
def test_each_source_stops_at_its_own_deadline(run_cli, tmp_path: Path, drip: DripServer):
    inventory = inventory_with_sources(tmp_path / "inventory",
                                       every_source(drip.url, drip.port, deadline="2s"))
    began = time.monotonic()
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history", env=ENV)
    took = time.monotonic() - began
    assert result.exit_code == 3, result.output
    # 5 sources, 4 at a time, 2 s each: about 4 s. Without the deadline: minutes.
    assert took < 15, f"collect took {took:.1f}s"
    runs = {r.name: r for r in load_state(tmp_path / "state.json").collection.sources}
    assert set(runs) == {"tron", "vbr", "n2ws", "vc", "aws"}
    for name, run in runs.items():
        assert not run.ok, name
        assert "stopped at its 2s deadline ('deadline:' in sources.yaml)" in (run.error or ""), \
            (name, run.error)
        assert (run.finished - run.started).total_seconds() < 6, name
    assert drip.wait_all_closed(timeout=10), "a client kept its connection to the drip server open"


@pytest.mark.timeout(60)
def test_the_run_deadline_stops_every_source_and_the_rest_is_still_recorded(run_cli, tmp_path: Path,
                                                                            drip: DripServer):
    # each networked one with the default 5m deadline; the snapshot first, so it gets a worker
    sources = [{"name": "capture", "type": "snapshot", "path": "../capture.json"},
               *every_source(drip.url, drip.port)]

    save_state(example_state(), tmp_path / "capture.json")
    inventory = inventory_with_sources(tmp_path / "inventory", sources)
    began = time.monotonic()
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history",
                     "--deadline", "3s", env=ENV)
    took = time.monotonic() - began
    assert result.exit_code == 3, result.output
    assert took < 12, f"collect took {took:.1f}s"
    state = load_state(tmp_path / "state.json")
    runs = {r.name: r for r in state.collection.sources}
    for name in ("tron", "vbr", "n2ws", "vc", "aws"):
        assert "stopped at the run's 3s deadline (--deadline)" in (runs[name].error or ""), runs[name].error
    assert state.assets, "the snapshot source is still read"
    assert "deadline" in result.stderr
    assert drip.wait_all_closed(timeout=10)


def test_a_bad_deadline_is_a_usage_error(run_cli, tmp_path: Path):
    inventory = inventory_with_sources(tmp_path / "inventory", [])
    result = run_cli("collect", "-i", inventory, "--deadline", "soon", "--no-history")
    assert result.exit_code == 2 and "is not a duration" in result.stderr
    bad = inventory_with_sources(tmp_path / "bad",
                                 [{"name": "t", "type": "java-tron", "deadline": "9999999999d"}])
    result = run_cli("collect", "-i", bad, "--no-history", "-o", tmp_path / "s.json")
    assert result.exit_code == 2 and "sources.yaml" in result.stderr
    assert "longer than 100 years" in result.stderr


def _response(status: str, body: bytes, content_type: str = "application/json") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode() + body


@pytest.mark.timeout(60)
def test_a_source_caught_dripping_after_login_stops_at_its_deadline(run_cli, tmp_path: Path):
    """Past the first steps: vSphere's SOAP calls (after the version probe), Veeam's reads (after login)."""
    token = b'{"access_token": "a-token", "refresh_token": "r", "token_type": "bearer", "expires_in": 900}'
    server = DripServer(answers={
        "GET /sdk/vimServiceVersions.xml": _response("404 Not Found", b"", "text/plain"),
        "POST /api/oauth2/token": _response("200 OK", token),
    })
    try:
        inventory = inventory_with_sources(tmp_path / "inventory", [
            {"name": "vbr", "type": "veeam", "url": server.url, "deadline": "2s", "timeout": 30},
            {"name": "vc", "type": "vsphere", "host": "127.0.0.1", "port": server.port, "protocol": "http",
             "deadline": "2s", "timeout": 30},
        ])
        began = time.monotonic()
        result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history", env=ENV)
        assert result.exit_code == 3, result.output
        assert time.monotonic() - began < 12
        runs = {r.name: r for r in load_state(tmp_path / "state.json").collection.sources}
        assert "vSphere at http://127.0.0.1" in runs["vc"].error and "deadline" in runs["vc"].error
        assert "Veeam at 127.0.0.1" in runs["vbr"].error and "deadline" in runs["vbr"].error
        assert runs["vbr"].api_calls >= 2  # it logged in, then was caught reading
        assert "a-token" not in (tmp_path / "state.json").read_text() + result.output
        assert server.wait_all_closed(timeout=10)
    finally:
        server.stop()


def test_an_unexpected_exception_is_recorded_with_its_type(monkeypatch, tmp_path: Path):
    from trondocs.collectors import snapshot
    from trondocs.collectors.base import CollectContext
    from trondocs.collectors.run import collect_state
    from trondocs.collectors.sources import ConfiguredSource

    def boom(config, ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(snapshot, "collect", boom)
    source = ConfiguredSource(snapshot.Config(name="snap", path="x.json"))
    state = collect_state([source], CollectContext(base_dir=tmp_path, env={}))
    runs = [(r.name, r.ok, r.error) for r in state.collection.sources]
    assert runs == [("snap", False, "RuntimeError: boom")]

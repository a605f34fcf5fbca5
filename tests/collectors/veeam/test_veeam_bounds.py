"""Veeam collection is bounded whatever the server does (issue 14): a token expired on arrival,
re-logins without end, a ``total`` that never ends, too many pages, and one Ctrl-C."""

from __future__ import annotations

import threading
import time

import pytest

from tests.collectors.veeam.conftest import USER, collect, config, make_ctx
from tests.collectors.veeam.test_veeam_cli import _inventory
from trondocs.collectors.base import SourceError
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource
from trondocs.state.io import load_state

POINTS = "/api/v1/restorePoints"


def test_a_token_expired_on_arrival_fails_at_once_saying_so(veeam_server):
    server = veeam_server(expires_in=0)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        collect(server)
    assert time.monotonic() - started < 5
    assert "access token is already expired when it arrives (expires_in 0 s" in str(caught.value)
    assert "check the user name" not in str(caught.value)
    assert server.logins == 1 and server.logouts <= 1


def test_tokens_refused_again_and_again_end_after_max_logins(veeam_server):
    """Every token dies after one call and refreshes are refused: log in again, but not forever."""
    server = veeam_server(token_ttl_requests=1, refuse_refresh=True)
    with pytest.raises(SourceError, match=r"gave up after 6 logins and token refreshes in one run"):
        collect(server, max_logins=6)
    assert server.logins + server.refreshes <= 6


def test_a_total_that_never_ends_stops_on_the_repeated_page(veeam_server):
    server = veeam_server(endless={POINTS})
    out = collect(server, page_size=5)
    [failed] = [s for s in out.scopes if not s.ok]
    assert failed.scope == "backups"
    assert "answered the same page again at skip 5: paging does not advance" in failed.error
    assert len([h for h in server.hits if h.path == POINTS]) == 2  # page 1, and its repeat
    assert out.jobs and out.repositories  # the other parts were read


def test_more_pages_than_max_pages_fail_the_part(veeam_server):
    server = veeam_server()
    out = collect(server, page_size=1, max_pages=3)
    errors = {s.scope: s.error for s in out.scopes if not s.ok}
    assert "sessions still had more after 3 pages (3 items; pagination.total 8)" in errors["sessions"]
    assert "jobs" not in errors and len(out.jobs) == 2  # two jobs: within the cap
    assert max(sum(1 for h in server.hits if h.path == p) for p in {h.path for h in server.hits}) <= 3


def test_progress_per_page_is_logged_under_v(veeam_server, caplog):
    import logging

    caplog.set_level(logging.INFO, logger="trondocs.collect")
    collect(veeam_server(), page_size=5)
    lines = [r.getMessage() for r in caplog.records if POINTS in r.getMessage()]
    assert lines[0] == f"vbr: {POINTS} page 1: 5 items (5 of 16)" and len(lines) == 4


def test_the_57000_logins_server_ends_quickly_with_exit_3(veeam_server, tmp_path, example_inventory, run_cli):
    """expires_in 0 and a total that never ends: one login, one clear line, exit 3."""
    server = veeam_server("1.3-rev2", password="pw", expires_in=0, endless={POINTS})
    inventory = _inventory(tmp_path, example_inventory, server.url)
    output = tmp_path / "state.json"
    started = time.monotonic()
    result = run_cli("collect", "-i", inventory, "-o", output, "--no-history", "-v",
                     env={"TRONDOCS_VEEAM_USER": USER, "TRONDOCS_VEEAM_PASSWORD": "pw"})
    assert time.monotonic() - started < 20
    assert result.exit_code == 3, result.output
    assert "already expired when it arrives" in result.output and "Traceback" not in result.output
    assert server.logins == 1
    assert not load_state(output).collection.sources[0].ok


def test_one_interrupt_stops_the_run_and_the_source(veeam_server, monkeypatch):
    """A Ctrl-C while a slow server answers: collect_state raises at once, the source stops
    before its next request (cancel), no second Ctrl-C needed."""
    server = veeam_server(slow={"/api/v1/jobs": 1.0})
    ctx = make_ctx()
    source = ConfiguredSource(config(server))
    real_result = __import__("concurrent.futures").futures.Future.result
    calls = []

    def interrupted(self, timeout=None):  # the main thread's wait is where Ctrl-C lands
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr("concurrent.futures.Future.result", interrupted)
    before = set(threading.enumerate())
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        collect_state([source], ctx)
    assert time.monotonic() - started < 1 and ctx.cancel.is_set()
    monkeypatch.setattr("concurrent.futures.Future.result", real_result)
    deadline = time.monotonic() + 10
    ours = [t for t in set(threading.enumerate()) - before if t.name.startswith("ThreadPoolExecutor")]
    assert ours  # the run's worker, still reading when the interrupt came
    while any(t.is_alive() for t in ours):
        assert time.monotonic() < deadline, "the source kept running after the interrupt"
        time.sleep(0.05)
    # it stopped after the slow answer: nothing after /api/v1/jobs was asked
    paths = [h.path for h in server.hits]
    assert "/api/v1/backups" not in paths and "/api/v1/sessions" not in paths

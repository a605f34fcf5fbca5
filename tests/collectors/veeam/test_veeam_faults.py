"""Faults: a 500 on one page is retried; a part that keeps failing is marked failed, the rest kept;
a dead or refusing server fails the Veeam source with one line and never stops another source."""

from __future__ import annotations

import socket

import pytest

from tests.collectors.veeam.conftest import NOW, collect, config, make_ctx
from trondocs.collectors import veeam
from trondocs.collectors.base import SourceError
from trondocs.collectors.run import collect_state
from trondocs.collectors.snapshot import Config as SnapshotConfig
from trondocs.collectors.sources import ConfiguredSource
from trondocs.plan.models import ProtectionSystem
from trondocs.state.io import save_state
from trondocs.state.models import (
    Collection,
    JobKind,
    ProtectionJob,
    RestorePointKind,
    SourceRun,
    State,
)
from trondocs.systems import SourceType

POINTS = "/api/v1/restorePoints"


def test_one_500_on_a_page_is_retried_and_the_page_read(veeam_server):
    server = veeam_server(fail_once={POINTS: {5}})
    out = collect(server, page_size=5)
    assert [(int(h.query["skip"]), h.status) for h in server.hits if h.path == POINTS] == [
        (0, 200), (5, 500), (5, 200), (10, 200), (15, 200)]
    assert len([p for p in out.restore_points if p.kind is RestorePointKind.BACKUP]) == 16
    assert all(s.ok for s in out.scopes)


def test_throttling_is_retried(veeam_server):
    server = veeam_server(throttle_once={"/api/v1/jobs/states"})
    out = collect(server)
    assert server.statuses("/api/v1/jobs/states") == [429, 200]
    assert {j.last_result for j in out.jobs} == {"success", "warning"} and all(s.ok for s in out.scopes)


def test_a_part_that_keeps_failing_is_one_failed_scope_and_the_rest_is_kept(veeam_server):
    server = veeam_server(fail_always={"/api/v1/sessions"})
    out = collect(server, retries=2)
    where = server.url.split("//")[1]
    failed = [s for s in out.scopes if not s.ok]
    assert [(s.scope, s.error) for s in failed] == [
        ("sessions", f"Veeam at {where}: GET /api/v1/sessions failed (HTTP 500) after 3 tries")]
    assert server.statuses("/api/v1/sessions") == [500, 500, 500]  # bounded: 1 try + 2 retries
    assert out.recovery_runs == []
    assert len(out.jobs) == 2 and len(out.restore_points) == 28 and len(out.repositories) == 4


def _other_source(tmp_path) -> ConfiguredSource:
    """A second source (a saved snapshot) that must come through whatever Veeam does."""
    job = ProtectionJob(source="aws", system=ProtectionSystem.DLM, id="policy-1", name="tron-hourly",
                        kind=JobKind.SNAPSHOT)
    run = SourceRun(name="aws", type=SourceType.AWS, ok=True, started=NOW, finished=NOW)
    path = tmp_path / "other.state.json"
    save_state(State(collection=Collection(started=NOW, finished=NOW, trondocs_version="0", sources=[run]),
                     jobs=[job]), path)
    return ConfiguredSource(SnapshotConfig(name="saved", path=str(path)))


def _run(server, tmp_path, **overrides) -> State:
    sources = [ConfiguredSource(config(server, **overrides)), _other_source(tmp_path)]
    return collect_state(sources, make_ctx())


def test_persistent_500_on_a_page_through_collect_state(veeam_server, tmp_path):
    server = veeam_server(fail_always={POINTS})
    state = _run(server, tmp_path, retries=1)
    runs = {r.name: r for r in state.collection.sources}
    assert not runs["vbr"].ok and runs["aws"].ok
    assert runs["vbr"].error == (f"backups: Veeam at {server.url.split('//')[1]}: GET {POINTS} failed "
                                 "(HTTP 500) after 2 tries")
    assert not state.collection.complete
    assert "tron-hourly" in [j.name for j in state.jobs]  # the other source is intact
    assert {j.name for j in state.jobs if j.source == "vbr"} == {"Backup TRON nodes", "Replicate TRON nodes"}
    assert {p.kind for p in state.restore_points} == {RestorePointKind.REPLICA}  # replicas still read


def test_server_down_fails_only_the_veeam_source(veeam_server, tmp_path):
    server = veeam_server(fail_always={"/api/oauth2/token"})
    state = _run(server, tmp_path, retries=2)
    runs = {r.name: r for r in state.collection.sources}
    assert runs["vbr"].error == (f"Veeam at {server.url.split('//')[1]}: POST /api/oauth2/token failed "
                                 "(HTTP 500) after 3 tries")
    assert not runs["vbr"].ok and runs["aws"].ok
    assert server.statuses("/api/oauth2/token") == [500, 500, 500]
    assert [j.name for j in state.jobs] == ["tron-hourly"]


def test_a_server_that_does_not_answer_in_time_is_one_failed_scope(veeam_server):
    server = veeam_server(slow={"/api/v1/backupObjects": 1.0})
    out = collect(server, timeout=0.2, retries=1)
    assert [(s.scope, s.error) for s in out.scopes if not s.ok] == [
        ("backups", f"Veeam at {server.url.split('//')[1]}: GET /api/v1/backupObjects failed (no answer) "
                    "after 2 tries")]
    assert len(out.jobs) == 2 and len(out.recovery_runs) == 6


def test_unreachable_server_is_one_line():
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    cfg = veeam.Config(name="vbr", url=f"https://127.0.0.1:{port}", retries=1, retry_backoff=0.0, timeout=2)
    with pytest.raises(SourceError) as caught:
        veeam.collect(cfg, make_ctx())
    assert str(caught.value) == (f"Veeam at 127.0.0.1:{port}: POST /api/oauth2/token failed (cannot connect) "
                                 "after 2 tries")

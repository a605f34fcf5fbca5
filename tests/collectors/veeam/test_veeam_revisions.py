"""Collect the example SR's VBR server as three API revisions serve it, and check the result in detail."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.veeam.conftest import collect
from tests.fakes.veeam_estate import TRON_VMS, uid
from trondocs.state.models import (
    DiscoveredSchedule,
    JobKind,
    RecoveryKind,
    RestorePointKind,
    Retention,
    ScheduleKind,
)

REVISIONS = ["1.0-rev1", "1.1-rev0", "1.2-rev1", "1.3-rev2"]
OLD = ("1.0-rev1", "1.1-rev0")  # objectRestorePoints, no replicas, no restore point types
GIB = 1024**3
WEEK = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=dt.UTC)


@pytest.mark.parametrize("revision", REVISIONS)
def test_backup_job_schedule_retention_targets_and_state(veeam_server, revision):
    out = collect(veeam_server(revision))
    job = next(j for j in out.jobs if j.name == "Backup TRON nodes")
    assert job.id == uid("job:Backup TRON nodes") and job.system == "veeam" and job.source == "vbr"
    assert job.kind is JobKind.BACKUP and job.enabled
    assert job.schedule == DiscoveredSchedule(kind=ScheduleKind.DAILY, time="02:00", days=WEEK,
                                              expression="Everyday")
    assert job.retention == Retention(count=14)
    assert job.targets == list(TRON_VMS)
    assert job.location == "TRON SOBR"
    # v11 does not list object-storage repositories: the tier is named after its scale-out repository.
    assert job.copy_locations == (["TRON SOBR capacity tier"] if revision == "1.0-rev1" else ["s3-frankfurt"])
    assert (job.last_result, job.status) == ("success", "inactive")  # 1.3-rev2 sends "Inactive"
    assert job.last_run == utc(2026, 11, 25, 2, 0, 7) and job.next_run == utc(2026, 11, 26, 2, 0)
    assert job.replica_suffix is None


@pytest.mark.parametrize("revision", ["1.2-rev1", "1.3-rev2"])
def test_replica_job_and_replica_points(veeam_server, revision):
    out = collect(veeam_server(revision))
    job = next(j for j in out.jobs if j.kind is JobKind.REPLICATION)
    assert job.name == "Replicate TRON nodes" and job.replica_suffix == "_replica"
    assert job.schedule == DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(minutes=15),
                                    expression="every 15 minutes")
    assert job.retention == Retention(count=7) and job.targets == list(TRON_VMS)
    assert job.location == "esx-cluj-01" and job.copy_locations == []
    assert (job.last_result, job.last_run, job.next_run) == (
        "warning", utc(2026, 11, 25, 9, 21), utc(2026, 11, 25, 9, 36))
    replicas = [p for p in out.restore_points if p.kind is RestorePointKind.REPLICA]
    assert len(replicas) == 12
    full = sorted((p for p in replicas if p.asset_name == "tron-full-01"), key=lambda p: p.created)
    assert [p.created for p in full] == [utc(2026, 11, 25, 8, 51), utc(2026, 11, 25, 9, 6),
                                         utc(2026, 11, 25, 9, 21)]
    assert {(p.location, p.job, p.job_id, p.name, p.medium) for p in full} == {
        ("esx-cluj-01", "Replicate TRON nodes", uid("job:Replicate TRON nodes"), "tron-full-01_replica",
         "disk")}


@pytest.mark.parametrize("revision", OLD)
def test_v11_and_v12_0_have_no_replica_jobs_nor_replica_points(veeam_server, revision):
    server = veeam_server(revision)
    out = collect(server)
    assert [j.name for j in out.jobs] == ["Backup TRON nodes"]
    assert {p.kind for p in out.restore_points} == {RestorePointKind.BACKUP}
    assert [s.scope for s in out.scopes] == ["repositories", "jobs", "sessions", "backups"]
    paths = {h.path for h in server.hits}
    assert "/api/v1/objectRestorePoints" in paths and "/api/v1/restorePoints" not in paths
    assert "/api/v1/replicas" not in paths


@pytest.mark.parametrize("revision", REVISIONS)
def test_backup_points_and_no_made_up_capacity_tier_copies(veeam_server, revision):
    """VBR's REST API lists no points in a capacity tier and no offload sessions: the collector
    reports the tier as the job's unlisted copy target, and makes no copy up."""
    out = collect(veeam_server(revision))
    backups = [p for p in out.restore_points if p.kind is RestorePointKind.BACKUP]
    assert len(backups) == 16 and not [p for p in out.restore_points if p.kind is RestorePointKind.COPY]
    assert {p.asset_name for p in backups} == set(TRON_VMS)
    full = sorted((p for p in backups if p.asset_name == "tron-full-01"), key=lambda p: p.created)
    assert [p.created for p in full] == [utc(2026, 11, d, 2, 2, 31) for d in (22, 23, 24, 25)]
    newest = full[-1]
    assert (newest.location, newest.repository, newest.medium, newest.immutable, newest.encrypted) == (
        "TRON SOBR", "TRON SOBR", "disk", True, True)
    assert (newest.job, newest.job_id, newest.asset_ref, newest.status) == (
        "Backup TRON nodes", uid("job:Backup TRON nodes"), "vm-103", "ok")
    assert full[0].description == (None if revision in OLD else "full backup")
    job = next(j for j in out.jobs if j.name == "Backup TRON nodes")
    tier = "TRON SOBR capacity tier" if revision == "1.0-rev1" else "s3-frankfurt"
    assert job.copy_locations == job.unlisted_copies == [tier]


@pytest.mark.parametrize("revision", REVISIONS)
def test_repositories_types_immutability_capacity_and_tier(veeam_server, revision):
    out = collect(veeam_server(revision))
    repos = {r.name: r for r in out.repositories}
    v11 = revision == "1.0-rev1"
    assert set(repos) == ({"buc-hardened-01", "cluj-meta", "TRON SOBR"} if v11
                          else {"buc-hardened-01", "s3-frankfurt", "cluj-meta", "TRON SOBR"})
    hardened = repos["buc-hardened-01"]
    assert hardened.type == ("LinuxLocal" if v11 else "LinuxHardened") and hardened.immutable is True
    assert hardened.capacity_bytes == 20480 * GIB and hardened.free_bytes == round(8123.5 * GIB)
    assert hardened.online is (None if v11 else True)  # isOnline arrived with 1.1
    assert (repos["cluj-meta"].type, repos["cluj-meta"].immutable, repos["cluj-meta"].medium) == (
        "WinLocal", False, "disk")
    sobr = repos["TRON SOBR"]
    assert (sobr.type, sobr.immutable, sobr.medium) == ("ScaleOut", True, "disk")
    assert sobr.capacity_tier == ("TRON SOBR capacity tier" if v11 else "s3-frankfurt")
    assert sobr.capacity_bytes == hardened.capacity_bytes
    if not v11:
        s3 = repos["s3-frankfurt"]
        assert (s3.type, s3.immutable, s3.medium) == ("S3Compatible", True, "object")


@pytest.mark.parametrize("revision", ["1.2-rev1", "1.3-rev2"])
def test_recovery_sessions_of_the_window(veeam_server, revision):
    runs = {(r.kind, r.name): r for r in collect(veeam_server(revision)).recovery_runs}
    assert set(runs) == {
        (RecoveryKind.FAILOVER, "tron-full-01"), ("undo_failover", "tron-full-01"),
        (RecoveryKind.RESTORE, "tron-solidity-01"), (RecoveryKind.INSTANT_RECOVERY, "tron-witness-02"),
        (RecoveryKind.SUREBACKUP, "TRON drill"), (RecoveryKind.FAILBACK, "tron-witness-01")}
    failover = runs[(RecoveryKind.FAILOVER, "tron-full-01")]  # the 40-day-old one is outside the window
    assert failover.started == utc(2026, 11, 19, 6, 30) and failover.duration == dt.timedelta(minutes=4,
                                                                                                seconds=12)
    assert failover.result == "success" and failover.assets == ["tron-full-01"]
    restore = runs[(RecoveryKind.RESTORE, "tron-solidity-01")]
    assert restore.result == "failed" and restore.duration == dt.timedelta(minutes=23)
    assert runs[(RecoveryKind.SUREBACKUP, "TRON drill")].assets == []  # not a VM name
    assert runs[(RecoveryKind.SUREBACKUP, "TRON drill")].result == "warning"
    failback = runs[(RecoveryKind.FAILBACK, "tron-witness-01")]
    assert (failback.result, failback.finished) == ("running", None)


def test_v12_0_reports_restores_and_instant_recoveries_only(veeam_server):
    runs = collect(veeam_server("1.1-rev0")).recovery_runs  # its ESessionType has no failover yet
    assert sorted((r.kind, r.name, r.result) for r in runs) == [
        (RecoveryKind.INSTANT_RECOVERY, "tron-witness-02", "success"),
        (RecoveryKind.RESTORE, "tron-solidity-01", "failed")]


def test_v11_reports_no_recovery_sessions(veeam_server):
    server = veeam_server("1.0-rev1")
    assert collect(server).recovery_runs == []
    sessions = [h for h in server.hits if h.path == "/api/v1/sessions"]
    assert sessions and all(h.query["createdAfterFilter"] == "2026-11-11T09:30:00+00:00" for h in sessions)


@pytest.mark.parametrize("revision", REVISIONS)
def test_paging_follows_total_with_a_server_capped_limit(veeam_server, revision):
    server = veeam_server(revision, max_limit=3)
    out = collect(server, page_size=5)
    path = "/api/v1/objectRestorePoints" if revision in OLD else "/api/v1/restorePoints"
    pages = [h for h in server.hits if h.path == path]
    assert [int(h.query["skip"]) for h in pages] == [0, 3, 6, 9, 12, 15]
    assert {h.query["limit"] for h in pages} == {"5"}
    assert len([p for p in out.restore_points if p.kind is RestorePointKind.BACKUP]) == 16
    assert out.api_calls == len(server.hits)  # every call counted, the token and logout ones too
    assert server.logins == 1 and server.logouts == 1
    assert all(s.ok for s in out.scopes)


def test_restore_points_path_found_by_404_when_the_revision_does_not_say(veeam_server):
    # A client pinned to 1.1-rev2 asks objectRestorePoints first; this server only has restorePoints.
    server = veeam_server("1.2-rev1", also_accept={"1.1-rev2"})
    out = collect(server, api_version="1.1-rev2")
    assert [h.status for h in server.hits if "estorePoints" in h.path] == [404, 200, 200, 200, 200]
    assert len([p for p in out.restore_points if p.kind is RestorePointKind.BACKUP]) == 16
    assert len([p for p in out.restore_points if p.kind is RestorePointKind.REPLICA]) == 12


def test_replicas_skipped_quietly_where_the_server_has_none(veeam_server):
    server = veeam_server("1.1-rev0", also_accept={"1.1-rev1"})
    out = collect(server, api_version="1.1-rev1")
    assert server.statuses("/api/v1/replicas") == [404] and "/api/v1/replicaPoints" not in {
        h.path for h in server.hits}
    assert all(s.ok for s in out.scopes) and "replicas" in [s.scope for s in out.scopes]
    assert len(out.restore_points) == 16

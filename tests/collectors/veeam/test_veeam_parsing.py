"""The Veeam collector's pure readers: timestamps, schedules, retention, VM lists, immutability, sessions."""

from __future__ import annotations

import datetime as dt

import pytest

from trondocs.collectors.veeam.jobs import job_kind, retention, schedule, targets
from trondocs.collectors.veeam.repositories import immutable, medium
from trondocs.collectors.veeam.sessions import last_job_runs, recovery_runs, result_of
from trondocs.collectors.veeam.values import clock, parse_time, revision
from trondocs.state.models import DiscoveredSchedule, JobKind, RecoveryKind, Retention, ScheduleKind


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-02-04T21:40:34.473+03:00", dt.datetime(2024, 2, 4, 18, 40, 34, 473000, tzinfo=dt.UTC)),
    ("2024-02-12T04:24:16.2+03:00", dt.datetime(2024, 2, 12, 1, 24, 16, 200000, tzinfo=dt.UTC)),
    ("2024-11-05T18:01:26.520805+01:00", dt.datetime(2024, 11, 5, 17, 1, 26, 520805, tzinfo=dt.UTC)),
    ("2024-11-05T18:01:26.5208057+01:00", dt.datetime(2024, 11, 5, 17, 1, 26, 520805, tzinfo=dt.UTC)),
    ("2023-04-24T14:24:18Z", dt.datetime(2023, 4, 24, 14, 24, 18, tzinfo=dt.UTC)),
    ("2023-04-24T14:24:18-05:30", dt.datetime(2023, 4, 24, 19, 54, 18, tzinfo=dt.UTC)),
    ("2023-04-24T14:24:18", dt.datetime(2023, 4, 24, 14, 24, 18, tzinfo=dt.UTC)),
    (None, None), ("", None), ("yesterday", None), (1700000000, None),
])
def test_parse_time_is_tolerant(text, expected):
    assert parse_time(text) == expected


def test_clock_and_revision():
    assert [clock(v) for v in ("4:00", "20:00", "02:30:00", None)] == ["04:00", "20:00", "02:30", None]
    assert revision("1.2-rev1") == (1, 2, 1) and revision("1.0-rev2") < revision("1.1-rev0")
    with pytest.raises(ValueError, match=r"not an API revision like 1\.2-rev1"):
        revision("v12")


def test_schedule_options():
    assert schedule({"runAutomatically": False, "daily": {"isEnabled": True}}) == DiscoveredSchedule(
        kind=ScheduleKind.MANUAL)
    assert schedule({"runAutomatically": True, "continuously": {"isEnabled": True}}).kind is \
        ScheduleKind.CONTINUOUS
    assert schedule({"runAutomatically": True, "periodically": {
        "isEnabled": True, "periodicallyKind": "HOURS", "frequency": 4}}) == DiscoveredSchedule(
        kind=ScheduleKind.PERIODIC, interval=dt.timedelta(hours=4), expression="every 4 hours")
    # 1.3-rev2 capitalises day names; the 1.2-rev1 replica-job example selects three days.
    assert schedule({"runAutomatically": True, "daily": {
        "dailyKind": "SelectedDays", "isEnabled": True, "localTime": "20:00",
        "days": ["Monday", "wednesday", "FRIDAY"]}}) == DiscoveredSchedule(
        kind=ScheduleKind.DAILY, time="20:00", days=["monday", "wednesday", "friday"],
        expression="SelectedDays")
    assert schedule({"runAutomatically": True, "daily": {"isEnabled": True, "localTime": "4:00",
                                                         "dailyKind": "WeekDays"}}).days == [
        "monday", "tuesday", "wednesday", "thursday", "friday"]
    assert schedule({"runAutomatically": True, "monthly": {
        "isEnabled": True, "localTime": "22:00", "dayNumberInMonth": "Last", "dayOfWeek": "saturday"}}) == \
        DiscoveredSchedule(kind=ScheduleKind.MONTHLY, time="22:00", expression="last saturday")
    assert schedule({"runAutomatically": True, "daily": {"isEnabled": False},
                     "afterThisJob": {"isEnabled": True, "jobName": "Backup TRON nodes"}},
    ) == DiscoveredSchedule(
        kind=ScheduleKind.AFTER_JOB, after_job="Backup TRON nodes")
    assert schedule(None) is None


def test_retention_and_included_vms_in_both_documented_forms():
    # Verbatim item of the 1.2-rev1 OpenAPI example JobsResultExample (nested form) and a flat one.
    nested = {"inventoryObject": {"type": "VirtualMachine", "hostName": "vcenter01.tech.local",
                                  "name": "filesrv02", "objectId": "vm-45006"}, "size": "43.5 GB"}
    flat = {"platform": "VMware", "type": "VirtualMachine", "hostName": "vc", "name": "srv45",
            "objectId": "vm-61281", "size": "152.5 GB"}
    job = {"virtualMachines": {"includes": [nested, flat, {"size": "1 GB"}]},
           "storage": {"retentionPolicy": {"type": "Days", "quantity": 7}}}
    assert targets(job) == ["filesrv02", "srv45"]
    assert retention(job) == Retention(duration=dt.timedelta(days=7))
    assert retention({"storage": {"retentionPolicy": {"type": "restorepoints", "quantity": 14}}}) == \
        Retention(count=14)
    assert retention({"jobSettings": {"restorePointsToKeep": 7}}) == Retention(count=7)
    assert retention({}) is None


@pytest.mark.parametrize(("job_type", "kind"), [
    ("Backup", JobKind.BACKUP), ("VSphereBackup", JobKind.BACKUP), ("vspherereplica", JobKind.REPLICATION),
    ("BackupCopy", JobKind.COPY), ("NutanixAHVBackupJob", JobKind.BACKUP)])
def test_job_types_are_open_strings(job_type, kind):
    assert job_kind(job_type) is kind


@pytest.mark.parametrize(("repo", "expected"), [
    ({"type": "LinuxLocal", "repository": {"useImmutableBackups": True}}, True),  # 1.0-rev1
    ({"type": "LinuxLocal", "repository": {"path": "/b"}}, False),
    ({"type": "LinuxHardened", "repository": {"makeRecentBackupsImmutableDays": 7}}, True),  # 1.1+
    ({"type": "S3Compatible", "bucket": {"immutability": {"isEnabled": False, "daysCount": 0}}}, False),
    ({"type": "AmazonS3", "bucket": {"immutability": {"isEnabled": True, "daysCount": 30}}}, True),
    ({"type": "AmazonS3Glacier", "bucket": {"immutabilityEnabled": True}}, True),
    ({"type": "DellDataDomain", "immutability": {"isEnabled": True, "daysCount": 14}}, True),  # 1.3
    ({"type": "WinLocal"}, False), ({"type": "SomethingNew"}, None),
])
def test_immutability_where_each_revision_keeps_it(repo, expected):
    assert immutable(repo) is expected


def test_medium_of_repository_types():
    assert [medium(t) for t in ("S3Compatible", "WASABICLOUD", "LinuxHardened", None)] == [
        "object", "object", "disk", None]


def test_sessions_kinds_results_and_job_runs():
    since = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    sessions = [
        {"id": "a", "name": "tron-full-01", "sessionType": "PLANNEDFAILOVER", "state": "Stopped",
         "creationTime": "2026-11-20T10:00:00+02:00", "endTime": "2026-11-20T10:05:30.5+02:00",
         "result": {"result": "Success"}},
        {"id": "b", "name": "TRON site failover", "sessionType": "FailoverPlan", "state": "Working",
         "creationTime": "2026-11-21T10:00:00+02:00", "result": {"result": "None"}},
        {"id": "e", "name": "tron-full-01_replica", "sessionType": "Failback", "state": "Stopped",
         "creationTime": "2026-11-22T10:00:00Z", "result": {"result": "Success"}},
        {"id": "c", "name": "x", "sessionType": "ConfigurationBackup",
         "creationTime": "2026-11-21T10:00:00Z"},
        {"id": "d", "name": "old", "sessionType": "RestoreVm", "creationTime": "2026-10-01T10:00:00Z"},
        {"id": "j1", "name": "Backup", "sessionType": "Job", "activityId": "job-1",
         "creationTime": "2026-11-20T02:00:00Z", "result": {"result": "Warning"}, "state": "Stopped"},
        {"id": "j2", "name": "Backup", "sessionType": "BackupJob", "jobId": "job-1",
         "creationTime": "2026-11-21T02:00:00Z", "result": {"result": "Failed"}, "state": "Stopped"},
    ]
    runs = recovery_runs("vbr", sessions, {"tron-full-01"}, since, {"_replica"})
    assert [(r.id, r.kind, r.assets, r.plan, r.result) for r in runs] == [
        ("a", RecoveryKind.PLANNED_FAILOVER, ["tron-full-01"], None, "success"),
        ("b", RecoveryKind.FAILOVER, [], "TRON site failover", "running"),
        ("e", RecoveryKind.FAILBACK, ["tron-full-01"], None, "success")]  # named after the replica
    assert runs[0].duration == dt.timedelta(minutes=5, seconds=30, milliseconds=500)
    assert last_job_runs(sessions) == {"job-1": (dt.datetime(2026, 11, 21, 2, tzinfo=dt.UTC), "failed")}
    assert result_of({"state": "stopped", "result": {"result": "NONE"}}) == "none"

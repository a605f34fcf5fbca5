"""Estates other than the example's: disabled jobs, other schedules and retention, move-only tiers,
offline repositories — and a sources.yaml that configures the Veeam source."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.veeam.conftest import NOW, collect
from tests.fakes.veeam_estate import (
    Backup,
    Job,
    Point,
    Repo,
    ScaleOut,
    Schedule,
    Session,
    VeeamEstate,
    Vm,
)
from trondocs.collectors.sources import load_sources
from trondocs.diagnostics import PlanError
from trondocs.state.models import RestorePointKind, Retention, ScheduleKind


def estate() -> VeeamEstate:
    day = dt.timedelta(days=1)
    return VeeamEstate(
        vms=[Vm("tron-full-01", "vm-7"), Vm("tron-solidity-01", "vm-8")],
        repos=[Repo("nas-01", "LinuxLocal", "/export/veeam", 1000.0, 10.0, online=False),
               Repo("wasabi", "AmazonS3", immutable_days=None, bucket="tron")],
        scale_outs=[ScaleOut("SOBR move", extents=["nas-01"], capacity_extent="wasabi", copy_policy=False,
                             move_policy=True, tier_encrypted=False)],
        jobs=[
            Job("Weekday backup", "backup", ["tron-full-01"], repository="SOBR move",
                schedule=Schedule(daily_time="4:00", daily_kind="WeekDays"), retention_type="Days",
                retention=30, disabled=True, status="disabled", last_result="Failed",
                last_run=NOW - 3 * day, next_run=None),
            Job("Chained backup", "backup", ["tron-solidity-01"], repository="nas-01",
                schedule=Schedule(after_job="Weekday backup"), status="running", last_result="None",
                last_run=NOW - dt.timedelta(minutes=5)),
        ],
        backups=[Backup("Weekday backup", "SOBR move", NOW - 40 * day, points=[
            Point("tron-full-01", NOW - 20 * day), Point("tron-full-01", NOW - 3 * day)])],
        sessions=[Session("Weekday backup", "BackupJob", NOW - 3 * day, job="Weekday backup",
                          ended=NOW - 3 * day + dt.timedelta(minutes=9), result="Failed")],
        utc_offset=dt.timedelta(hours=-5, minutes=-30))


@pytest.mark.parametrize("revision", ["1.2-rev1", "1.3-rev2"])
def test_disabled_and_chained_jobs_move_tier_and_offline_repository(veeam_server, revision):
    out = collect(veeam_server(revision, estate=estate()))
    jobs = {j.name: j for j in out.jobs}
    weekday = jobs["Weekday backup"]
    assert not weekday.enabled and weekday.status == "disabled" and weekday.last_result == "failed"
    assert weekday.schedule.kind is ScheduleKind.DAILY and weekday.schedule.time == "04:00"
    assert weekday.schedule.days == ["monday", "tuesday", "wednesday", "thursday", "friday"]
    assert weekday.retention == Retention(duration=dt.timedelta(days=30))
    assert weekday.last_run == NOW - dt.timedelta(days=3) and weekday.next_run is None
    assert weekday.copy_locations == ["wasabi"] and weekday.location == "SOBR move"
    chained = jobs["Chained backup"]
    assert chained.enabled and (chained.status, chained.last_result) == ("running", "none")
    assert (chained.schedule.kind, chained.schedule.after_job) == (ScheduleKind.AFTER_JOB, "Weekday backup")
    repos = {r.name: r for r in out.repositories}
    assert (repos["nas-01"].online, repos["nas-01"].immutable) == (False, False)
    assert (repos["wasabi"].medium, repos["wasabi"].immutable) == ("object", False)
    assert (repos["SOBR move"].online, repos["SOBR move"].capacity_tier) == (False, "wasabi")
    # Move policy, 14-day operational window: the 20-day-old point may live only in the tier, but
    # the API lists it under the scale-out repository and says nothing of the tier: no copy is made up.
    points = sorted(out.restore_points, key=lambda p: (p.created, p.kind))
    assert [(p.kind, p.location, p.immutable, p.encrypted) for p in points] == [
        (RestorePointKind.BACKUP, "SOBR move", False, False),  # neither the job nor the tier encrypts
        (RestorePointKind.BACKUP, "SOBR move", False, False)]
    assert weekday.unlisted_copies == ["wasabi"]
    assert points[1].created == NOW - dt.timedelta(days=3)  # sent as local time at -05:30


def test_sources_yaml_configures_the_veeam_source(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - name: vbr\n"
        "    type: veeam\n"
        "    url: https://vbr.buc.example:9419\n"
        "    api_version: 1.3-rev2\n"
        "    session_window: 30d\n"
        "    ca_bundle: certs/vbr-ca.pem\n")
    (source,) = load_sources(tmp_path)
    assert source.config.type == "veeam" and source.config.api_version == "1.3-rev2"
    assert source.config.session_window == dt.timedelta(days=30) and source.config.page_size == 200
    assert (source.config.username_env, source.config.password_env, source.config.insecure) == (
        "TRONDOCS_VEEAM_USER", "TRONDOCS_VEEAM_PASSWORD", False)


@pytest.mark.parametrize(("line", "complaint"), [
    ("    password: hunter2\n", "'password' would put a secret in sources.yaml"),
    ("    api_version: v12\n", "not an API revision like 1.2-rev1"),
    ("    url: vbr.example:9419\n", "url"),
])
def test_bad_veeam_settings_are_named(tmp_path, line, complaint):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: vbr\n    type: veeam\n" + ("" if "url" in line else
                                                       "    url: https://vbr.example:9419\n") + line)
    with pytest.raises(PlanError) as caught:
        load_sources(tmp_path)
    assert complaint in str(caught.value.diagnostics[0].message) + str(caught.value.diagnostics[0].location)

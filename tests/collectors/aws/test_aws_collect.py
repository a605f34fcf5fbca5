"""The AWS collector against moto (a server) and the DLM/Backup gap fake: the State in detail."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.aws.aws_estate import AMBIENT, COPY, EAST, HOME, HOURLY, PROD, WEEKLY, Estate
from trondocs.collectors.aws import collect
from trondocs.state.models import JobKind, RecoveryKind, RestorePointKind, ScheduleKind, ScopeRun

GIB = 2**30


@pytest.fixture(scope="module")
def got(full_run):
    return full_run[0]


def points(got, estate: Estate) -> dict:
    by_id = {p.id: p for p in got.restore_points}
    return {key: by_id[snap] for key, snap in estate.snapshots.items()}


def test_every_service_of_every_account_and_region_is_a_scope_and_all_were_read(got):
    def services(region):  # a copy region is read for snapshots and vaults only
        return ["backup", "ebs-snapshots"] if region == COPY else ["backup", "dlm", "ebs-snapshots", "ec2"]
    assert got.scopes == [ScopeRun(scope=f"{account}/{region}/{service}", ok=True)
                          for account in (PROD, AMBIENT) for region in sorted((HOME, EAST, COPY))
                          for service in services(region)]
    assert got.warnings == []
    assert got.api_calls > 0


def test_instances_become_assets_with_their_volumes_tags_and_state(got, estate):
    assets = {a.id: a for a in got.assets}
    # the standby in eu-west-1 is not an asset: a copy region is read for copies and vaults only
    assert set(assets) == {estate.instances[k] for k in ("full", "solidity", "east", "bastion")}
    full = assets[estate.instances["full"]]
    assert (full.source, full.platform, full.kind) == ("aws", "aws", "instance")
    assert full.name == "tron-full-aws-01"
    assert full.ref == estate.arn("full")
    assert (full.power_state, full.region, full.availability_zone) == ("on", HOME, f"{HOME}a")
    assert (full.account, full.instance_type) == (PROD, "m6i.2xlarge")
    assert estate.volumes["data"] in full.volumes and len(full.volumes) == 2
    assert full.tags == {"Name": "tron-full-aws-01", "backup": "tron-hourly"}
    solidity = assets[estate.instances["solidity"]]
    assert (solidity.power_state, solidity.availability_zone) == ("off", f"{HOME}b")
    assert (assets[estate.instances["east"]].region, assets[estate.instances["east"]].account) == (EAST, PROD)
    assert assets[estate.instances["bastion"]].account == AMBIENT


def test_snapshots_are_restore_points_of_the_instance_whose_volume_they_came_from(got, estate):
    p = points(got, estate)
    full, solidity = estate.instances["full"], estate.instances["solidity"]
    for n in (1, 2, 3):
        snap = p[f"dlm{n}"]
        assert (snap.kind, snap.asset_id, snap.asset_name) == (RestorePointKind.SNAPSHOT, full, full)
        assert (snap.job, snap.job_id) == ("tron-hourly", HOURLY)  # the DLM policy's name, and its id
        assert (snap.region, snap.location, snap.account) == (HOME, HOME, PROD)
        assert (snap.medium, snap.encrypted, snap.status) == ("cloud-snapshot", True, "ok")
        assert snap.size_bytes == 500 * GIB and snap.copy_of is None
    n2ws = p["n2ws"]
    assert (n2ws.asset_name, n2ws.job, n2ws.job_id, n2ws.encrypted) == (solidity, "TRON-daily", None, False)
    assert (p["east"].asset_name, p["east"].region, p["east"].job) == (estate.instances["east"], EAST, None)
    loose = p["loose"]  # a detached volume: no instance to name, so the volume stands in
    assert (loose.asset_id, loose.asset_name, loose.description) == (
        None, estate.volumes["loose"], "manual, detached volume")


def test_snapshot_times_are_the_times_they_were_taken(got, estate):
    # moto stamps snapshots with the second they were made; each was bracketed while seeding
    p = points(got, estate)
    for key, bracket in estate.times.items():
        assert p[key].created.tzinfo == dt.UTC
        assert bracket.holds(p[key].created), (key, p[key].created, bracket)
    order = sorted(estate.times, key=lambda k: estate.times[k].before)
    created = [p[k].created for k in order]
    assert created == sorted(created)


def test_cross_region_copies_point_at_their_source_and_inherit_instance_and_policy(got, estate):
    p = points(got, estate)
    for n in (1, 2):
        copy = p[f"dlm{n}-copy"]
        assert (copy.kind, copy.copy_of) == (RestorePointKind.COPY, estate.snapshots[f"dlm{n}"])
        assert (copy.region, copy.location, copy.account) == (COPY, COPY, PROD)
        assert (copy.asset_name, copy.job, copy.job_id) == (estate.instances["full"], "tron-hourly", HOURLY)
    tagged = p["n2ws-copy"]  # found by its SourceSnapshotId tag, its description says nothing
    assert (tagged.kind, tagged.copy_of, tagged.asset_name, tagged.job) == (
        RestorePointKind.COPY, estate.snapshots["n2ws"], estate.instances["solidity"], "TRON-daily")
    assert p["dlm3"].id not in {c.copy_of for c in got.restore_points}
    snapshots = [r for r in got.restore_points if r.medium == "cloud-snapshot" and r.kind != "backup"]
    assert len(snapshots) == len(estate.snapshots)  # nothing else: no foreign or AMI snapshots


def test_dlm_policies_are_snapshot_jobs(got, estate):
    jobs = {j.id: j for j in got.jobs if j.system == "dlm"}
    assert set(jobs) == {HOURLY, WEEKLY}
    hourly = jobs[HOURLY]
    assert (hourly.name, hourly.kind, hourly.enabled, hourly.status) == (
        "tron-hourly", JobKind.SNAPSHOT, True, "enabled")
    assert hourly.schedule.kind == ScheduleKind.PERIODIC
    assert (hourly.schedule.interval, hourly.schedule.time) == (dt.timedelta(hours=1), "00:15")
    assert (hourly.retention.count, hourly.retention.duration) == (48, None)
    assert hourly.copy_locations == [COPY] and hourly.target_tags == {"backup": "tron-hourly"}
    assert hourly.targets == [estate.instances["full"]]
    assert (hourly.location, hourly.region, hourly.account) == (HOME, HOME, PROD)
    weekly = jobs[WEEKLY]  # named by its Name tag; volume-targeted: the instance of the tagged volume
    assert (weekly.name, weekly.enabled, weekly.status) == ("chain-data weekly", False, "disabled")
    assert (weekly.schedule.kind, weekly.schedule.expression) == (ScheduleKind.CRON, "cron(0 4 ? * SUN *)")
    assert weekly.retention.duration == dt.timedelta(weeks=4) and weekly.retention.count is None
    assert weekly.targets == [estate.instances["full"]] and weekly.copy_locations == []


def test_backup_plan_rules_are_backup_jobs_with_their_last_result(got, estate):
    jobs = {j.id: j for j in got.jobs if j.system == "aws-backup"}
    daily = jobs[f"{estate.plan_id}/{estate.rules['daily']}"]
    monthly = jobs[f"{estate.plan_id}/{estate.rules['monthly']}"]
    assert len(jobs) == 2
    for job in (daily, monthly):
        assert (job.name, job.kind, job.location, job.region, job.account) == (
            "tron-daily", JobKind.BACKUP, "tron-vault", HOME, PROD)
        # one selection by tag, one by the full node's ARN
        assert job.targets == sorted([estate.instances["full"], estate.instances["solidity"]])
        assert job.target_tags == {"backup": "tron-daily"}
    assert (daily.schedule.kind, daily.schedule.expression) == (ScheduleKind.CRON, "cron(0 3 * * ? *)")
    assert daily.retention.duration == dt.timedelta(days=35) and daily.copy_locations == [COPY]
    assert (daily.last_result, daily.last_run) == ("failed", dt.datetime(2026, 11, 25, 3, tzinfo=dt.UTC))
    # completed, but with a message category other than SUCCESS: "completed with issues"
    assert (monthly.last_result, monthly.last_run) == ("warning", dt.datetime(2026, 11, 1, 5, tzinfo=dt.UTC))
    assert monthly.retention.duration == dt.timedelta(days=365) and monthly.copy_locations == []


def test_vaults_are_repositories_immutable_only_under_a_compliance_lock_past_its_lock_date(got, estate):
    vaults = {r.name: r for r in got.repositories}
    assert set(vaults) == {"tron-vault", "scratch", "tron-dr"}
    # tron-vault: compliance lock still in its 3-day grace time (removable); tron-dr: governance
    # mode (no lock date: removable at any time); scratch: no lock
    assert {n: (v.immutable, v.region, v.id) for n, v in vaults.items()} == {
        "tron-vault": (False, HOME, estate.vaults["tron-vault"]),
        "scratch": (False, HOME, estate.vaults["scratch"]),
        "tron-dr": (False, COPY, estate.vaults["tron-dr"]),
    }
    assert all(v.type == "aws-backup-vault" and v.source == "aws" for v in vaults.values())


def test_recovery_points_by_vault_are_backups_paged_and_tied_to_their_plan(got, estate):
    backups = sorted((r for r in got.restore_points if r.kind == RestorePointKind.BACKUP),
                     key=lambda r: r.created)
    assert len(backups) == 3  # two in tron-vault, one in scratch
    solidity = estate.instances["solidity"]
    assert all((b.asset_id, b.asset_name, b.region, b.account) == (solidity, solidity, HOME, PROD)
               for b in backups)
    assert [b.created for b in backups] == [
        dt.datetime(2026, 11, 23, 3, 7, tzinfo=dt.UTC), dt.datetime(2026, 11, 24, 3, 7, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 25, 3, 9, tzinfo=dt.UTC)]
    assert [(b.location, b.immutable, b.encrypted, b.status) for b in backups] == [
        ("tron-vault", False, True, "ok"), ("tron-vault", False, True, "ok"),
        ("scratch", False, False, "partial")]
    assert {(b.job, b.job_id) for b in backups} == {("tron-daily", estate.plan_id)}
    assert [b.size_bytes for b in backups] == [8 * GIB, 8 * GIB, GIB]


def test_restore_jobs_are_recovery_runs_with_their_duration(got, estate):
    runs = {r.id: r for r in got.recovery_runs}
    assert set(runs) == {"restore-1", "restore-2"}
    done, running = runs["restore-1"], runs["restore-2"]
    assert (done.kind, done.result) == (RecoveryKind.RESTORE, "success")
    assert done.assets == [estate.instances["solidity"]]
    assert done.started == dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    assert done.duration == dt.timedelta(minutes=42)
    assert (running.result, running.finished, running.duration) == ("running", None, None)


def test_recovery_points_are_listed_once_per_vault_page(aws_config, ctx, gap, estate):
    before = gap.requests["backup backup-vaults"]
    collect(aws_config(accounts=[{"role_arn": f"arn:aws:iam::{PROD}:role/trondocs-read"}], regions=[HOME],
                       copy_regions=[]), ctx)
    assert gap.requests["backup backup-vaults"] - before == 2  # tron-vault: one page; scratch: one


def test_a_copy_region_left_out_is_a_warning_and_its_copies_are_missing(aws_config, ctx, estate):
    got = collect(aws_config(copy_regions=[], accounts=[aws_config().accounts[0].model_dump()]), ctx)
    tail = f"({PROD}/{HOME}) copies to {COPY}, which was not read: add it to copy_regions"
    assert got.warnings == [f"dlm 'tron-hourly' {tail}", f"aws-backup 'tron-daily' {tail}"]
    assert not [p for p in got.restore_points if p.kind == RestorePointKind.COPY]


def test_services_can_be_limited_and_progress_is_reported(aws_config, ctx, estate):
    seen: list[tuple[str, int]] = []
    ctx.progress = lambda source, objects: seen.append((source, objects))
    got = collect(aws_config(services=["ec2"]), ctx)
    assert (got.jobs, got.repositories, got.recovery_runs) == ([], [], [])
    assert len(got.restore_points) == len(estate.snapshots) and all(s.ok for s in got.scopes)
    assert len(seen) == len({s.scope.rsplit("/", 1)[0] for s in got.scopes})
    assert {s for s, _ in seen} == {"aws"}
    assert [n for _, n in seen] == sorted(n for _, n in seen)
    assert seen[-1][1] == len(got.assets) + len(estate.snapshots)

"""Partial failure: a denied, a throttled and an unreachable region fail alone; the rest is collected."""

from __future__ import annotations

import pytest

from tests.collectors.aws.aws_estate import COPY, HOME, PROD, ROLE
from tests.collectors.aws.aws_fakes import FaultServer
from tests.conftest import free_port
from trondocs.collectors.aws import collect
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource
from trondocs.state.models import RestorePointKind, ScopeRun

DENIED, THROTTLED, DOWN = "us-west-2", "ap-northeast-1", "sa-east-1"


@pytest.fixture(scope="module")
def faults():
    deny, throttle = FaultServer("deny"), FaultServer("throttle")
    yield deny, throttle
    deny.stop()
    throttle.stop()


@pytest.fixture
def faulty_config(aws_config, faults):
    deny, throttle = faults
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there

    def make(**overrides):
        return aws_config(**{
            "regions": [HOME, DENIED, THROTTLED, DOWN], "copy_regions": [COPY],
            "accounts": [{"name": "tron-prod", "role_arn": ROLE}],
            "region_endpoint_urls": {DENIED: deny.url, THROTTLED: throttle.url, DOWN: closed},
            "timeout": 2, "max_attempts": 2,
        } | overrides)

    return make


def test_failed_regions_are_failed_scopes_and_the_others_are_intact(faulty_config, aws_config, faults, ctx):
    deny, throttle = faults
    config = faulty_config()
    before = throttle.requests["ec2:DescribeInstances"], deny.requests["ec2:DescribeInstances"]
    got = collect(config, ctx)
    closed = config.region_endpoint_urls[DOWN]
    failed = {s.scope: s.error for s in got.scopes if not s.ok}
    assert failed[f"{PROD}/{THROTTLED}/ec2"] == \
        "DescribeInstances: RequestLimitExceeded: Request limit exceeded. (after 2 attempts)"
    assert failed[f"{PROD}/{DOWN}/ec2"] == f"cannot reach {closed}/"
    assert failed[f"{PROD}/{DENIED}/ec2"] == \
        "DescribeInstances: UnauthorizedOperation: You are not authorized to perform this operation."
    # every service of a bad region fails on its own; the good regions are read in full
    assert {s.scope.rsplit("/", 1)[0] for s in got.scopes if not s.ok} == {
        f"{PROD}/{r}" for r in (THROTTLED, DOWN, DENIED)}
    assert [s.scope for s in got.scopes if s.ok] == [
        f"{PROD}/{HOME}/{s}" for s in ("backup", "dlm", "ebs-snapshots", "ec2")] + [
        f"{PROD}/{COPY}/{s}" for s in ("backup", "ebs-snapshots")]
    # the throttled region was retried until max_attempts ran out; denial is not retried
    assert throttle.requests["ec2:DescribeInstances"] - before[0] == 2
    assert deny.requests["ec2:DescribeInstances"] - before[1] == 1
    healthy = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}]), ctx)
    assert got.assets == healthy.assets and got.assets
    assert got.restore_points == healthy.restore_points and got.restore_points
    assert (got.jobs, got.repositories, got.recovery_runs) == (
        healthy.jobs, healthy.repositories, healthy.recovery_runs)
    assert {p.region for p in got.restore_points} == {HOME, COPY}


def test_the_runner_marks_the_source_failed_so_its_checks_are_unknown(faulty_config, ctx):
    state = collect_state([ConfiguredSource(faulty_config())], ctx)
    [run] = state.collection.sources
    assert (run.name, run.type, run.ok) == ("aws", "aws", False)
    assert not state.collection.complete
    assert {s.scope.rsplit("/", 1)[0] for s in run.scopes if not s.ok} == {
        f"{PROD}/{r}" for r in (THROTTLED, DOWN, DENIED)}
    assert f"{PROD}/{THROTTLED}/ec2: DescribeInstances: RequestLimitExceeded" in run.error
    assert f"{PROD}/{DENIED}/ec2: DescribeInstances: UnauthorizedOperation" in run.error
    assert run.objects == len(state.assets) + len(state.restore_points) + len(state.jobs) + len(
        state.repositories) + len(state.recovery_runs) > 0
    assert run.api_calls > 0


def test_dlm_failing_fails_only_dlm_and_keeps_what_ec2_and_backup_read(aws_config, faults, ctx, estate):
    """DLM throttled after EC2 answered: the instances, snapshots and copies stay; only DLM fails."""
    _deny, throttle = faults
    got = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}],
                             dlm_endpoint_url=throttle.url), ctx)
    healthy = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}]), ctx)
    assert [s for s in got.scopes if not s.ok] == [
        ScopeRun(scope=f"{PROD}/{HOME}/dlm", ok=False,
                 error="GetLifecyclePolicies: ThrottlingException: Rate exceeded (after 2 attempts)")]
    assert got.assets == healthy.assets and {estate.instances["full"], estate.instances["solidity"]} <= {
        a.id for a in got.assets}
    # the same points, tied to the same instances (without DLM, a snapshot's job is its policy id)
    assert [(p.id, p.asset_id, p.kind, p.job_id) for p in got.restore_points] == [
        (p.id, p.asset_id, p.kind, p.job_id) for p in healthy.restore_points]
    assert {p.region for p in got.restore_points} == {HOME, COPY}
    assert [j.system for j in got.jobs] == ["aws-backup", "aws-backup"]  # no DLM policy, the rest read
    copies = [p for p in got.restore_points if p.kind == RestorePointKind.COPY and p.region == COPY]
    assert copies and all(p.asset_id for p in copies)  # still tied to the instance they copy


def test_a_service_failing_half_way_yields_nothing_of_itself(aws_config, gap, ctx, estate, monkeypatch):
    """AWS Backup answering the vaults and then failing: no vault, no point of that region."""
    import trondocs.collectors.aws.scope as scope

    def broken(*_args, **_kwargs):
        raise RuntimeError("ListCopyJobs went away")

    monkeypatch.setattr(scope, "read_copy_jobs", broken)
    got = collect(aws_config(regions=[HOME], copy_regions=[], accounts=[{"role_arn": ROLE}]), ctx)
    assert [s.scope for s in got.scopes if not s.ok] == [f"{PROD}/{HOME}/backup"]
    assert got.repositories == [] and not [p for p in got.restore_points if p.kind == RestorePointKind.BACKUP]
    assert got.assets and [j.system for j in got.jobs] == ["dlm", "dlm"]


def test_an_account_that_cannot_log_in_fails_each_of_its_scopes(aws_config, ctx, aws_env):
    got = collect(aws_config(accounts=[{"profile": "no-such-profile"}, {"role_arn": ROLE}],
                             regions=[HOME], copy_regions=[]), ctx)
    assert [s for s in got.scopes if not s.ok or not s.scope.startswith(PROD)] == [
        ScopeRun(scope=f"profile:no-such-profile/{HOME}", ok=False,
                 error="The config profile (no-such-profile) could not be found: "
                       "check 'profile' in sources.yaml and ~/.aws/config"),
    ]


def test_aws_backup_denied_fails_the_scopes_that_read_it(aws_config, faults, ctx):
    deny, _throttle = faults
    got = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}],
                             backup_endpoint_url=deny.url), ctx)
    error = "ListBackupVaults: AccessDeniedException: User is not authorized"
    assert [s for s in got.scopes if not s.ok] == [
        ScopeRun(scope=f"{PROD}/{HOME}/backup", ok=False, error=error),
        ScopeRun(scope=f"{PROD}/{COPY}/backup", ok=False, error=error)]
    # EC2 and DLM were read: instances, snapshots and policies stay; no vault or recovery point
    assert got.assets and got.restore_points and {j.system for j in got.jobs} == {"dlm"}
    assert got.repositories == [] and all(p.kind != RestorePointKind.BACKUP for p in got.restore_points)

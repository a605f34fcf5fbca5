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
    assert got.scopes == [
        ScopeRun(scope=f"{PROD}/{THROTTLED}", ok=False,
                 error="DescribeInstances: RequestLimitExceeded: Request limit exceeded. (after 2 attempts)"),
        ScopeRun(scope=f"{PROD}/{HOME}", ok=True),
        ScopeRun(scope=f"{PROD}/{COPY}", ok=True),
        ScopeRun(scope=f"{PROD}/{DOWN}", ok=False, error=f"cannot reach {closed}/"),
        ScopeRun(scope=f"{PROD}/{DENIED}", ok=False,
                 error="DescribeInstances: UnauthorizedOperation: "
                       "You are not authorized to perform this operation."),
    ]
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
    assert [s.scope for s in run.scopes if not s.ok] == [f"{PROD}/{r}" for r in (THROTTLED, DOWN, DENIED)]
    assert run.error.startswith(f"{PROD}/{THROTTLED}: DescribeInstances: RequestLimitExceeded")
    assert f"{PROD}/{DENIED}: DescribeInstances: UnauthorizedOperation" in run.error
    assert run.objects == len(state.assets) + len(state.restore_points) + len(state.jobs) + len(
        state.repositories) + len(state.recovery_runs) > 0
    assert run.api_calls > 0


def test_a_scope_failing_half_way_yields_nothing_of_itself(aws_config, faults, ctx):
    """DLM throttled after EC2 answered: the region's snapshots are dropped, not half reported."""
    _deny, throttle = faults
    got = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}],
                             dlm_endpoint_url=throttle.url), ctx)
    assert got.scopes == [
        ScopeRun(scope=f"{PROD}/{HOME}", ok=False,
                 error="GetLifecyclePolicies: ThrottlingException: Rate exceeded (after 2 attempts)"),
        ScopeRun(scope=f"{PROD}/{COPY}", ok=True),  # a copy region reads no DLM
    ]
    assert got.assets == [] and got.jobs == []
    assert {p.region for p in got.restore_points} == {COPY}
    # copies whose source region failed still say what they copy; the instance is unknown
    assert all(p.kind == RestorePointKind.COPY and p.copy_of and p.asset_id is None
               for p in got.restore_points)


def test_an_account_that_cannot_log_in_fails_each_of_its_scopes(aws_config, ctx, aws_env):
    got = collect(aws_config(accounts=[{"profile": "no-such-profile"}, {"role_arn": ROLE}],
                             regions=[HOME], copy_regions=[]), ctx)
    assert got.scopes == [
        ScopeRun(scope=f"{PROD}/{HOME}", ok=True),
        ScopeRun(scope=f"profile:no-such-profile/{HOME}", ok=False,
                 error="The config profile (no-such-profile) could not be found: "
                       "check 'profile' in sources.yaml and ~/.aws/config"),
    ]


def test_aws_backup_denied_fails_the_scopes_that_read_it(aws_config, faults, ctx):
    deny, _throttle = faults
    got = collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[{"role_arn": ROLE}],
                             backup_endpoint_url=deny.url), ctx)
    error = "ListBackupVaults: AccessDeniedException: User is not authorized"
    assert got.scopes == [ScopeRun(scope=f"{PROD}/{HOME}", ok=False, error=error),
                          ScopeRun(scope=f"{PROD}/{COPY}", ok=False, error=error)]
    assert (got.assets, got.restore_points, got.jobs, got.repositories) == ([], [], [], [])

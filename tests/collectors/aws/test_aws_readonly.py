"""Read-only by construction: every call is recorded, writes are refused before they are sent,
and the least-privilege IAM policy in the docs lists exactly the actions a collection uses."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from tests.collectors.aws.aws_estate import HOME, PROD, ROLE
from tests.collectors.aws.aws_fakes import FaultServer
from tests.conftest import ROOT
from trondocs.collectors.aws.session import (
    CallLog,
    Endpoints,
    ReadOnlyViolation,
    client_config,
    is_read_only,
    open_account,
)

# What the collector may call: reads, plus logging in. A new call must be added here on purpose.
ALLOWED = {
    "ec2:DescribeInstances", "ec2:DescribeVolumes", "ec2:DescribeSnapshots",
    "dlm:GetLifecyclePolicies", "dlm:GetLifecyclePolicy",
    "backup:ListBackupPlans", "backup:GetBackupPlan", "backup:ListBackupSelections",
    "backup:GetBackupSelection", "backup:ListBackupVaults", "backup:ListRecoveryPointsByBackupVault",
    "backup:ListCopyJobs",
    "backup:ListBackupJobs", "backup:ListRestoreJobs",
    "sts:AssumeRole", "sts:GetCallerIdentity",
}


def test_a_full_collection_calls_only_allowed_reads(full_run):
    collected, calls = full_run
    assert calls.actions == ALLOWED  # every one was exercised, none beyond
    assert all(is_read_only(*a.split(":")) for a in calls.actions)
    assert collected.api_calls == calls.calls >= len(ALLOWED)


def test_the_iam_policy_lists_exactly_the_recorded_actions(full_run):
    policy = json.loads((ROOT / "docs" / "aws-iam-policy.json").read_text())
    statements = policy["Statement"]
    assert policy["Version"] == "2012-10-17"
    assert all(s["Effect"] == "Allow" for s in statements)
    listed = [a for s in statements for a in s["Action"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == full_run[1].actions
    assume = [s for s in statements if "sts:AssumeRole" in s["Action"]]
    assert [s["Action"] for s in assume] == [["sts:AssumeRole"]] and assume[0]["Resource"] != "*"


@pytest.mark.parametrize(("action", "allowed"), [
    ("ec2:DescribeSnapshots", True), ("backup:ListRestoreJobs", True), ("dlm:GetLifecyclePolicy", True),
    ("sts:AssumeRole", True), ("sts:GetCallerIdentity", True), ("sts:GetSessionToken", False),
    ("ec2:CreateSnapshot", False), ("ec2:DeleteSnapshot", False), ("ec2:CopySnapshot", False),
    ("backup:StartRestoreJob", False), ("dlm:UpdateLifecyclePolicy", False),
    ("ec2:ModifyInstanceAttribute", False),
])
def test_only_describe_list_get_pass_the_guard(action, allowed):
    assert is_read_only(*action.split(":")) is allowed


def test_a_write_is_refused_before_it_is_sent(moto_url, estate):
    calls = CallLog()
    witness = FaultServer("deny")  # counts every request that reaches it
    try:
        session = open_account(profile=None, role_arn=ROLE, external_id=None, sts_region=HOME, log=calls,
                               endpoints=Endpoints(default=moto_url, per_region={"eu-north-1": witness.url}),
                               config=client_config(5, 1))
        assert session.account_id == PROD
        ec2 = session.client("ec2", "eu-north-1")
        with pytest.raises(ReadOnlyViolation, match=r"refused ec2:CreateSnapshot: trondocs only reads"):
            ec2.create_snapshot(VolumeId=estate.volumes["data"], Description="must never exist")
        with pytest.raises(ReadOnlyViolation, match=r"refused ec2:DeleteSnapshot"):
            ec2.delete_snapshot(SnapshotId=estate.snapshots["dlm1"])
        assert sum(witness.requests.values()) == 0
        assert calls.actions == {"sts:AssumeRole", "sts:GetCallerIdentity"}
        with pytest.raises(ClientError, match="UnauthorizedOperation"):  # a read does get through
            ec2.describe_instances()
        assert witness.requests == {"ec2:DescribeInstances": 1}
    finally:
        witness.stop()

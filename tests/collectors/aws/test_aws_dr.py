"""Real estates the first estate does not show: a DR account's vault in another region, a
policy of two schedules, selections by volume ARN, compliance vs governance Vault Locks.

Seeded in accounts of their own (moto makes any account reachable by AssumeRole), so the
shared estate's tests are untouched. Shapes: botocore's ``backup`` and ``dlm`` models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import boto3
import pytest

from tests.collectors.aws.aws_estate import COPY, HOME, IMAGE, _tags, _ts
from trondocs.collectors.aws import collect
from trondocs.state.models import RestorePointKind

SRC, DR = "555566667777", "444455556666"  # a production account and its DR account
ROLE_SRC, ROLE_DR = (f"arn:aws:iam::{a}:role/trondocs-read" for a in (SRC, DR))
POLICY = "policy-0aaaabbbbccccdddd"
T0 = dt.datetime(2026, 11, 24, 3, 0, tzinfo=dt.UTC)


@dataclass
class Real:
    instance: str = ""
    volume: str = ""
    plan_id: str = ""
    source_point: str = ""
    dr_point: str = ""
    backup_snapshot: str = ""
    dr_vault: str = ""


def _session(moto_url: str, role: str) -> boto3.Session:
    creds = boto3.client("sts", region_name=HOME, endpoint_url=moto_url).assume_role(
        RoleArn=role, RoleSessionName="seed")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])


@pytest.fixture(scope="module")
def real(moto_url, gap) -> Real:
    out = Real()
    src, dr = _session(moto_url, ROLE_SRC), _session(moto_url, ROLE_DR)
    ec2 = src.client("ec2", region_name=HOME, endpoint_url=moto_url)
    reply = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="m6i.xlarge",
                              Placement={"AvailabilityZone": f"{HOME}a"},
                              TagSpecifications=_tags("instance", Name="tron-full-real"))
    out.instance = reply["Instances"][0]["InstanceId"]
    out.volume = ec2.create_volume(AvailabilityZone=f"{HOME}a", Size=800, Encrypted=True,
                                   TagSpecifications=_tags("volume", role="chain"))["VolumeId"]
    ec2.attach_volume(VolumeId=out.volume, InstanceId=out.instance, Device="/dev/sdf")
    volume_arn = f"arn:aws:ec2:{HOME}:{SRC}:volume/{out.volume}"
    # an EBS snapshot AWS Backup made of the volume: it names the volume ARN, not a snapshot
    out.backup_snapshot = ec2.create_snapshot(
        VolumeId=out.volume, Description="This snapshot is created by the AWS Backup service.",
        TagSpecifications=_tags("snapshot", **{"aws:backup:source-resource": volume_arn}))["SnapshotId"]
    # the daily schedule made this one (DLM tags the schedule's name)
    ec2.create_snapshot(VolumeId=out.volume, Description=f"Created for policy: {POLICY} schedule: daily",
                        TagSpecifications=_tags("snapshot", **{"aws:dlm:lifecycle-policy-id": POLICY,
                                                               "aws:dlm:lifecycle-schedule-name": "daily"}))
    backup = src.client("backup", region_name=HOME, endpoint_url=moto_url)
    source_vault = backup.create_backup_vault(BackupVaultName="prod-vault")["BackupVaultArn"]
    out.dr_vault = dr.client("backup", region_name=COPY, endpoint_url=moto_url).create_backup_vault(
        BackupVaultName="dr-vault")["BackupVaultArn"]
    out.plan_id = backup.create_backup_plan(BackupPlan={"BackupPlanName": "chain-volume", "Rules": [
        {"RuleName": "nightly", "TargetBackupVaultName": "prod-vault",
         "ScheduleExpression": "cron(0 3 * * ? *)", "ScheduleExpressionTimezone": "Europe/Berlin",
         "Lifecycle": {"DeleteAfterDays": 14},
         "CopyActions": [{"DestinationBackupVaultArn": out.dr_vault, "Lifecycle": {"DeleteAfterDays": 90}}]},
    ]})["BackupPlanId"]
    role = f"arn:aws:iam::{SRC}:role/service-role/AWSBackupDefaultServiceRole"
    home = gap.region(SRC, HOME)
    home.selections[out.plan_id] = [
        {"SelectionId": "sel-volume", "BackupPlanId": out.plan_id, "CreationDate": _ts(T0),
         "BackupSelection": {"SelectionName": "chain-volume", "IamRoleArn": role, "Resources": [volume_arn]}}]
    out.source_point = f"arn:aws:ec2:{HOME}::snapshot/snap-0source0000000001"
    out.dr_point = f"arn:aws:ec2:{COPY}::snapshot/snap-0drcopy0000000001"
    created_by = {"BackupPlanId": out.plan_id, "BackupRuleId": "nightly"}
    home.recovery_points["prod-vault"] = [
        {"RecoveryPointArn": out.source_point, "BackupVaultName": "prod-vault",
         "BackupVaultArn": source_vault,
         "ResourceArn": volume_arn, "ResourceType": "EBS", "CreatedBy": created_by, "Status": "COMPLETED",
         "CreationDate": _ts(T0), "IsEncrypted": True, "BackupSizeInBytes": 800 * 2**30,
         "VaultType": "BACKUP_VAULT"}]
    home.copy_jobs = [
        {"AccountId": SRC, "CopyJobId": "copy-1", "SourceBackupVaultArn": source_vault,
         "SourceRecoveryPointArn": out.source_point, "DestinationBackupVaultArn": out.dr_vault,
         "DestinationRecoveryPointArn": out.dr_point, "ResourceArn": volume_arn, "ResourceType": "EBS",
         "CreationDate": _ts(T0 + dt.timedelta(minutes=20)), "State": "COMPLETED"}]
    # the copy exists only in the DR account's vault in the copy region
    gap.region(DR, COPY).recovery_points["dr-vault"] = [
        {"RecoveryPointArn": out.dr_point, "BackupVaultName": "dr-vault", "BackupVaultArn": out.dr_vault,
         "SourceBackupVaultArn": source_vault, "ResourceArn": volume_arn, "ResourceType": "EBS",
         "Status": "COMPLETED", "CreationDate": _ts(T0 + dt.timedelta(minutes=25)), "IsEncrypted": True,
         "VaultType": "BACKUP_VAULT"}]
    home.policies = [{
        "PolicyId": POLICY, "Description": "chain snapshots", "State": "ENABLED", "Tags": {"Name": "chain"},
        "PolicyDetails": {
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"],
            "TargetTags": [{"Key": "role", "Value": "chain"}],
            "Schedules": [
                {"Name": "hourly", "CreateRule": {"Interval": 1, "IntervalUnit": "HOURS"},
                 "RetainRule": {"Count": 24}},
                {"Name": "daily", "CreateRule": {"CronExpression": "cron(0 3 * * ? *)"},
                 "RetainRule": {"Interval": 30, "IntervalUnit": "DAYS"},
                 "CrossRegionCopyRules": [{"TargetRegion": COPY, "Encrypted": True,
                                           "RetainRule": {"Interval": 90, "IntervalUnit": "DAYS"}}],
                 "ShareRules": [{"TargetAccounts": [DR]}]}]}}]
    return out


@pytest.fixture
def got(aws_config, ctx, real):
    return collect(aws_config(regions=[HOME], copy_regions=[COPY], accounts=[
        {"name": "prod", "role_arn": ROLE_SRC},
        {"name": "dr", "role_arn": ROLE_DR, "copies_only": True}]), ctx)


def test_a_copy_only_in_the_dr_accounts_vault_in_another_region_is_read_as_a_copy(got, real):
    assert all(s.ok for s in got.scopes)
    by_id = {p.id: p for p in got.restore_points}
    source, copy = by_id[real.source_point], by_id[real.dr_point]
    # both tied to the instance through the volume's attachment
    assert (source.kind, source.asset_id, source.region, source.account) == (
        RestorePointKind.BACKUP, real.instance, HOME, SRC)
    assert (copy.kind, copy.asset_id, copy.copy_of) == (
        RestorePointKind.COPY, real.instance, real.source_point)
    assert (copy.region, copy.account, copy.repository) == (COPY, DR, "dr-vault")
    assert copy.job == "chain-volume"  # the backup plan of the point it copies
    # a DR account is read for copies only: no instance, no plan of its own
    assert {a.account for a in got.assets} == {SRC} and {j.account for j in got.jobs} == {SRC}


def test_a_backup_copy_action_to_another_account_names_that_account(got, real):
    [nightly] = [j for j in got.jobs if j.system == "aws-backup"]
    assert nightly.copy_locations == [f"{DR}/{COPY}"]
    assert got.warnings == []  # the DR account's region was read


def test_a_selection_by_volume_arn_selects_the_instance_the_volume_is_attached_to(got, real):
    [nightly] = [j for j in got.jobs if j.system == "aws-backup"]
    assert nightly.targets == [real.instance]
    assert (nightly.schedule.expression, nightly.schedule.timezone) == ("cron(0 3 * * ? *)", "Europe/Berlin")


def test_a_snapshot_naming_its_volume_arn_in_the_backup_tag_belongs_to_the_instance(got, real):
    [snap] = [p for p in got.restore_points if p.id == real.backup_snapshot]
    assert (snap.kind, snap.asset_id, snap.copy_of) == (RestorePointKind.SNAPSHOT, real.instance, None)


def test_every_schedule_of_a_dlm_policy_is_read_and_points_name_their_schedule(got, real):
    jobs = {j.rule: j for j in got.jobs if j.system == "dlm"}
    assert set(jobs) == {"hourly", "daily"}
    hourly, daily = jobs["hourly"], jobs["daily"]
    assert (hourly.id, hourly.schedule.interval, hourly.retention.count) == (
        f"{POLICY}/hourly", dt.timedelta(hours=1), 24)
    assert (daily.id, daily.schedule.expression, daily.retention.duration) == (
        f"{POLICY}/daily", "cron(0 3 * * ? *)", dt.timedelta(days=30))
    assert daily.copy_locations == [COPY, f"{DR}/*"] and hourly.copy_locations == []
    assert hourly.targets == daily.targets == [real.instance] and hourly.name == daily.name == "chain"
    [made] = [p for p in got.restore_points if p.job_id and p.job_id.startswith(POLICY)]
    assert (made.job, made.job_id) == ("chain", f"{POLICY}/daily")


def test_a_vault_lock_is_immutable_only_in_compliance_mode_once_its_lock_date_passed(aws_config, ctx, estate):
    """tron-vault: ChangeableForDays=3 (compliance once 3 days pass); tron-dr: no lock date
    (governance: removable at any time, by anyone allowed to)."""
    config = aws_config(regions=[HOME], copy_regions=[COPY], services=["backup"])
    now = collect(config, ctx)
    ctx.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=4)
    later = collect(config, ctx)

    def locks(got):
        return {r.name: r.immutable for r in got.repositories if r.name in ("tron-vault", "tron-dr")}

    assert locks(now) == {"tron-vault": False, "tron-dr": False}
    assert locks(later) == {"tron-vault": True, "tron-dr": False}
    points = [p for p in later.restore_points if p.repository == "tron-vault"]
    assert points and all(p.immutable for p in points)

"""A TRON-like AWS estate, seeded through the AWS API (moto) and the gap fake.

Two accounts: ``PROD`` (reached by AssumeRole) runs the nodes in eu-central-1 and us-east-1
and copies snapshots to eu-west-1; the ambient account runs a bastion. moto stamps a snapshot
with the wall-clock second it was created and offers no way to set it, so each snapshot's
known time is the bracket [before, after] measured around its CreateSnapshot/CopySnapshot call.
AWS Backup recovery points, jobs and restores come from the gap fake at fixed known times.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import boto3

PROD = "111122223333"
AMBIENT = "123456789012"
ROLE = f"arn:aws:iam::{PROD}:role/trondocs-read"
HOME, EAST, COPY = "eu-central-1", "us-east-1", "eu-west-1"
HOURLY, WEEKLY = "policy-0123456789abcdef0", "policy-0fedcba9876543210"
N2WS_SERVER = "6c1f1e2a-9d1b-4c1e-8f51-3f3b0d1a2b3c"
IMAGE = "ami-0c0ffee0tron00001"  # moto runs any image id; its public AMIs are not loaded (faster)
DAY = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)


@dataclass
class Bracket:
    before: dt.datetime
    after: dt.datetime

    def holds(self, when: dt.datetime) -> bool:
        # moto keeps whole seconds
        return self.before.replace(microsecond=0) <= when <= self.after


@dataclass
class Estate:
    instances: dict[str, str] = field(default_factory=dict)  # key → instance id
    volumes: dict[str, str] = field(default_factory=dict)
    snapshots: dict[str, str] = field(default_factory=dict)  # key → snapshot id
    times: dict[str, Bracket] = field(default_factory=dict)  # snapshot key → when it was made
    plan_id: str = ""
    rules: dict[str, str] = field(default_factory=dict)  # rule name → rule id
    vaults: dict[str, str] = field(default_factory=dict)  # vault name → ARN

    def arn(self, key: str, region: str = HOME) -> str:
        return f"arn:aws:ec2:{region}:{PROD}:instance/{self.instances[key]}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _tags(kind: str, **tags: str) -> list[dict]:
    return [{"ResourceType": kind, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


def prod_session(moto_url: str) -> boto3.Session:
    sts = boto3.client("sts", region_name=HOME, endpoint_url=moto_url)
    creds = sts.assume_role(RoleArn=ROLE, RoleSessionName="seed")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                         aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"])


def seed(moto_url: str, gap) -> Estate:
    estate = Estate()
    prod = prod_session(moto_url)
    home = prod.client("ec2", region_name=HOME, endpoint_url=moto_url)
    east = prod.client("ec2", region_name=EAST, endpoint_url=moto_url)
    copy = prod.client("ec2", region_name=COPY, endpoint_url=moto_url)
    _run(estate, home, "full", "tron-full-aws-01", "m6i.2xlarge", f"{HOME}a", backup="tron-hourly")
    _run(estate, home, "solidity", "tron-solidity-aws-01", "t3.large", f"{HOME}b", backup="tron-daily")
    home.stop_instances(InstanceIds=[estate.instances["solidity"]])
    _run(estate, east, "east", "tron-full-aws-02", "m6i.xlarge", f"{EAST}a")
    _run(estate, copy, "standby", "tron-dr-standby", "m6i.xlarge", f"{COPY}a")  # copy region: not read
    data = home.create_volume(AvailabilityZone=f"{HOME}a", Size=500, Encrypted=True,
                              TagSpecifications=_tags("volume", role="chain-data"))["VolumeId"]
    home.attach_volume(VolumeId=data, InstanceId=estate.instances["full"], Device="/dev/sdf")
    loose = home.create_volume(AvailabilityZone=f"{HOME}a", Size=8)["VolumeId"]
    estate.volumes.update(data=data, loose=loose)
    for n in (1, 2, 3):
        _snap(estate, home, f"dlm{n}", data, f"Created for policy: {HOURLY} schedule: hourly",
              **{"aws:dlm:lifecycle-policy-id": HOURLY, "aws:dlm:lifecycle-schedule-name": "hourly"})
    solidity_root = _root(home, estate.instances["solidity"])
    _snap(estate, home, "n2ws", solidity_root, "N2WS TRON-daily",
          cpm_policy_name="TRON-daily", cpm_server_id=N2WS_SERVER)
    _snap(estate, home, "loose", loose, "manual, detached volume")
    _snap(estate, east, "east", _root(east, estate.instances["east"]), "before upgrade")
    for n in (1, 2):
        source = estate.snapshots[f"dlm{n}"]
        _copy(estate, copy, f"dlm{n}-copy", source, f"[Copied {source} from {HOME}]")
    _copy(estate, copy, "n2ws-copy", estate.snapshots["n2ws"], "TRON DR copy",
          tags={"SourceSnapshotId": estate.snapshots["n2ws"]})
    _backup(estate, prod, moto_url)
    _gaps(estate, gap)
    ambient = boto3.client("ec2", region_name=HOME, endpoint_url=moto_url)
    _run(estate, ambient, "bastion", "bastion", "t3.micro", f"{HOME}c")
    return estate


def _run(estate: Estate, ec2, key: str, name: str, kind: str, zone: str, **tags: str) -> None:
    reply = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType=kind,
                              Placement={"AvailabilityZone": zone},
                              TagSpecifications=_tags("instance", Name=name, **tags))
    estate.instances[key] = reply["Instances"][0]["InstanceId"]


def _root(ec2, instance: str) -> str:
    item = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]
    return item["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]


def _snap(estate: Estate, ec2, key: str, volume: str, description: str, **tags: str) -> None:
    before = _now()
    extra = {"TagSpecifications": _tags("snapshot", **tags)} if tags else {}
    reply = ec2.create_snapshot(VolumeId=volume, Description=description, **extra)
    estate.snapshots[key] = reply["SnapshotId"]
    estate.times[key] = Bracket(before, _now())


def _copy(estate: Estate, ec2, key: str, source: str, description: str, tags: dict | None = None) -> None:
    before = _now()
    extra = {"TagSpecifications": _tags("snapshot", **tags)} if tags else {}
    estate.snapshots[key] = ec2.copy_snapshot(SourceSnapshotId=source, SourceRegion=HOME,
                                              Description=description, **extra)["SnapshotId"]
    estate.times[key] = Bracket(before, _now())


def _backup(estate: Estate, prod: boto3.Session, moto_url: str) -> None:
    backup = prod.client("backup", region_name=HOME, endpoint_url=moto_url)
    for name in ("tron-vault", "scratch"):
        estate.vaults[name] = backup.create_backup_vault(BackupVaultName=name)["BackupVaultArn"]
    backup.put_backup_vault_lock_configuration(BackupVaultName="tron-vault", MinRetentionDays=7,
                                               MaxRetentionDays=365, ChangeableForDays=3)
    dr = prod.client("backup", region_name=COPY, endpoint_url=moto_url)
    estate.vaults["tron-dr"] = dr.create_backup_vault(BackupVaultName="tron-dr")["BackupVaultArn"]
    dr.put_backup_vault_lock_configuration(BackupVaultName="tron-dr", MinRetentionDays=30)
    plan = backup.create_backup_plan(BackupPlan={"BackupPlanName": "tron-daily", "Rules": [
        {"RuleName": "daily", "TargetBackupVaultName": "tron-vault",
         "ScheduleExpression": "cron(0 3 * * ? *)",
         "Lifecycle": {"DeleteAfterDays": 35},
         "CopyActions": [{"DestinationBackupVaultArn": estate.vaults["tron-dr"],
                          "Lifecycle": {"DeleteAfterDays": 90}}]},
        {"RuleName": "monthly", "TargetBackupVaultName": "tron-vault",
         "ScheduleExpression": "cron(0 5 1 * ? *)", "Lifecycle": {"DeleteAfterDays": 365}},
    ]})
    estate.plan_id = plan["BackupPlanId"]
    rules = backup.get_backup_plan(BackupPlanId=estate.plan_id)["BackupPlan"]["Rules"]
    estate.rules = {r["RuleName"]: r["RuleId"] for r in rules}


def _ts(when: dt.datetime) -> float:
    return when.timestamp()


def _gaps(estate: Estate, gap) -> None:
    """DLM policies and the AWS Backup reads moto lacks, in the documented shapes."""
    region = gap.region(PROD, HOME)
    region.policies = [
        {"PolicyId": HOURLY, "Description": "tron-hourly", "State": "ENABLED", "StatusMessage": "ENABLED",
         "ExecutionRoleArn": f"arn:aws:iam::{PROD}:role/AWSDataLifecycleManagerDefaultRole",
         "DateCreated": _ts(DAY), "DateModified": _ts(DAY), "Tags": {"team": "tron"},
         "PolicyArn": f"arn:aws:dlm:{HOME}:{PROD}:policy/{HOURLY}", "DefaultPolicy": False,
         "PolicyDetails": {
             "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["INSTANCE"],
             "ResourceLocations": ["CLOUD"], "TargetTags": [{"Key": "backup", "Value": "tron-hourly"}],
             "Schedules": [{
                 "Name": "hourly", "CopyTags": True,
                 "CreateRule": {"Location": "CLOUD", "Interval": 1, "IntervalUnit": "HOURS",
                                "Times": ["00:15"]},
                 "RetainRule": {"Count": 48},
                 "CrossRegionCopyRules": [{"TargetRegion": COPY, "Encrypted": True, "CopyTags": True,
                                           "RetainRule": {"Interval": 7, "IntervalUnit": "DAYS"}}]}]}},
        {"PolicyId": WEEKLY, "Description": "tron-weekly-volumes", "State": "DISABLED",
         "ExecutionRoleArn": f"arn:aws:iam::{PROD}:role/AWSDataLifecycleManagerDefaultRole",
         "DateCreated": _ts(DAY), "DateModified": _ts(DAY), "Tags": {"Name": "chain-data weekly"},
         "PolicyDetails": {
             "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["VOLUME"],
             "TargetTags": [{"Key": "role", "Value": "chain-data"}],
             "Schedules": [{"Name": "weekly", "CreateRule": {"CronExpression": "cron(0 4 ? * SUN *)"},
                            "RetainRule": {"Interval": 4, "IntervalUnit": "WEEKS"}}]}},
    ]
    role = f"arn:aws:iam::{PROD}:role/service-role/AWSBackupDefaultServiceRole"
    region.selections[estate.plan_id] = [
        {"SelectionId": "sel-tagged", "BackupPlanId": estate.plan_id, "CreationDate": _ts(DAY),
         "BackupSelection": {"SelectionName": "tron-tagged", "IamRoleArn": role, "Resources": [],
                             "ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "backup",
                                             "ConditionValue": "tron-daily"}]}},
        {"SelectionId": "sel-arn", "BackupPlanId": estate.plan_id, "CreationDate": _ts(DAY),
         "BackupSelection": {"SelectionName": "full-node", "IamRoleArn": role,
                             "Resources": [estate.arn("full")]}},
    ]
    key = f"arn:aws:kms:{HOME}:{PROD}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    points = []
    for n, day in enumerate((23, 24), start=1):
        points.append({"RecoveryPointArn": f"arn:aws:ec2:{HOME}::image/ami-0backup{n:010d}",
                       "CreationDate": _ts(DAY.replace(day=day, hour=3, minute=7)), "Status": "COMPLETED",
                       "EncryptionKeyArn": key, "BackupSizeInBytes": 8 * 2**30,
                       "BackupVaultName": "tron-vault",
                       "BackupVaultArn": estate.vaults["tron-vault"], "ResourceArn": estate.arn("solidity"),
                       "ResourceType": "EC2", "IsParent": False, "ResourceName": "tron-solidity-aws-01",
                       "VaultType": "BACKUP_VAULT"})
    points.append({"RecoveryPointArn": f"arn:aws:ec2:{HOME}::image/ami-0backup{3:010d}",
                   "CreationDate": _ts(DAY.replace(day=25, hour=3, minute=9)), "Status": "PARTIAL",
                   "BackupSizeInBytes": 2**30, "BackupVaultName": "scratch",
                   "BackupVaultArn": estate.vaults["scratch"], "ResourceArn": estate.arn("solidity"),
                   "ResourceType": "EC2", "VaultType": "BACKUP_VAULT"})
    region.recovery_points["tron-vault"] = points[:2]
    region.recovery_points["scratch"] = points[2:]
    created_by = {"BackupPlanId": estate.plan_id, "BackupPlanName": "tron-daily",
                  "BackupPlanArn": f"arn:aws:backup:{HOME}:{PROD}:backup-plan:{estate.plan_id}"}

    def job(n: int, when: dt.datetime, state: str, rule: str, point: str | None, category: str) -> dict:
        return {"AccountId": PROD, "BackupJobId": f"job-{n}", "BackupVaultName": "tron-vault",
                "RecoveryPointArn": point, "ResourceArn": estate.arn("solidity"), "ResourceType": "EC2",
                "CreationDate": _ts(when), "CompletionDate": _ts(when + dt.timedelta(minutes=9)),
                "State": state, "MessageCategory": category,
                "CreatedBy": created_by | {"BackupRuleId": estate.rules[rule], "BackupRuleName": rule}}

    region.backup_jobs = [
        job(1, DAY.replace(day=23, hour=3), "COMPLETED", "daily", points[0]["RecoveryPointArn"], "SUCCESS"),
        job(2, DAY.replace(day=24, hour=3), "COMPLETED", "daily", points[1]["RecoveryPointArn"], "SUCCESS"),
        job(3, DAY.replace(day=25, hour=3), "FAILED", "daily", None, "ACCESS_DENIED"),
        job(4, DAY.replace(day=1, hour=5), "COMPLETED", "monthly", points[2]["RecoveryPointArn"],
            "AGGREGATE_ALL"),
    ]
    region.restore_jobs = [
        {"AccountId": PROD, "RestoreJobId": "restore-1", "RecoveryPointArn": points[1]["RecoveryPointArn"],
         "CreationDate": _ts(DAY.replace(day=24, hour=10)), "Status": "COMPLETED",
         "CompletionDate": _ts(DAY.replace(day=24, hour=10, minute=42)), "ResourceType": "EC2",
         "CreatedResourceArn": f"arn:aws:ec2:{HOME}:{PROD}:instance/i-0restored000000001"},
        {"AccountId": PROD, "RestoreJobId": "restore-2", "RecoveryPointArn": points[0]["RecoveryPointArn"],
         "CreationDate": _ts(DAY.replace(day=25, hour=9)), "Status": "RUNNING", "ResourceType": "EC2"},
    ]

"""AWS Backup vaults (repositories), recovery points per vault, copy jobs, restore jobs (RTO evidence).

Recovery points are read vault by vault (``ListRecoveryPointsByBackupVault``) in every region
and account read, so a copy that exists only in a DR account's vault in another region is
seen; which instance each point protects is decided after every scope is read, from its
``ResourceArn`` (an instance, or a volume whose attachment names the instance).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from trondocs.collectors.aws.ec2 import utc
from trondocs.plan.models import Medium
from trondocs.state.models import (
    RESULT_FAILED,
    RESULT_RUNNING,
    RESULT_SUCCESS,
    RecoveryKind,
    RecoveryRun,
    Repository,
)

POINT_STATUS = {"COMPLETED": "ok", "AVAILABLE": "ok", "PARTIAL": "partial", "CREATING": "creating",
                "EXPIRED": "expired", "DELETING": "deleting", "STOPPED": "failed"}
RESTORE_RESULTS = {"COMPLETED": RESULT_SUCCESS, "FAILED": RESULT_FAILED, "ABORTED": RESULT_FAILED,
                   "PENDING": RESULT_RUNNING, "RUNNING": RESULT_RUNNING}
# A logically air-gapped vault is locked in compliance mode by AWS, always (AWS Backup guide).
AIR_GAPPED = "LOGICALLY_AIR_GAPPED_BACKUP_VAULT"
INSTANCE_ARN = re.compile(r"^arn:[^:]+:ec2:[^:]*:(?P<account>\d*):instance/(?P<id>i-[0-9a-f]+)$")
VOLUME_ARN = re.compile(r"^arn:[^:]+:ec2:[^:]*:(?P<account>\d*):volume/(?P<id>vol-[0-9a-f]+)$")


def vault_immutable(vault: dict, now: dt.datetime) -> bool:
    """Only a compliance-mode Vault Lock makes points immutable.

    AWS: ``LockDate`` is "when Backup Vault Lock configuration becomes immutable"; a lock
    without a lock date (governance mode) "can be changed or deleted at any time", and before
    its lock date a compliance lock is still in its grace time and can be removed too.
    """
    if vault.get("VaultType") == AIR_GAPPED:
        return True
    if not vault.get("Locked"):
        return False
    lock_date = vault.get("LockDate")
    return lock_date is not None and utc(lock_date) <= now


def read_vaults(backup, *, source: str, region: str, now: dt.datetime) -> list[Repository]:
    vaults = []
    for page in backup.get_paginator("list_backup_vaults").paginate():
        for vault in page.get("BackupVaultList", []):
            vaults.append(Repository(
                source=source, id=vault["BackupVaultArn"], name=vault["BackupVaultName"],
                type="aws-backup-vault" if vault.get("VaultType", "BACKUP_VAULT") == "BACKUP_VAULT"
                else vault["VaultType"].lower().replace("_", "-"),
                immutable=vault_immutable(vault, now),
                encrypted=True if vault.get("EncryptionKeyArn") else None,
                online=vault.get("VaultState", "AVAILABLE") == "AVAILABLE", medium=Medium.CLOUD_SNAPSHOT,
                region=region,
            ))
    return vaults


@dataclass(frozen=True)
class VaultPoint:
    """A ListRecoveryPointsByBackupVault entry, before it is tied to an instance."""

    arn: str
    vault: str
    vault_arn: str
    source_vault_arn: str | None
    resource_arn: str
    resource_type: str | None
    resource_name: str | None
    created: dt.datetime
    status: str
    encrypted: bool
    size_bytes: int | None
    plan_id: str | None
    region: str
    account: str
    immutable: bool | None


@dataclass(frozen=True)
class CopyJob:
    source_point: str
    destination_point: str | None
    destination_vault_arn: str | None
    resource_arn: str | None
    state: str


def read_vault_points(backup, *, region: str, account: str, vaults: list[Repository]) -> list[VaultPoint]:
    points = []
    for vault in vaults:
        pages = backup.get_paginator("list_recovery_points_by_backup_vault").paginate(
            BackupVaultName=vault.name)
        for page in pages:
            for item in page.get("RecoveryPoints", []):
                status = item.get("Status", "COMPLETED")
                points.append(VaultPoint(
                    arn=item["RecoveryPointArn"], vault=vault.name, vault_arn=vault.id,
                    source_vault_arn=item.get("SourceBackupVaultArn"),
                    resource_arn=item.get("ResourceArn") or "", resource_type=item.get("ResourceType"),
                    resource_name=item.get("ResourceName"), created=utc(item["CreationDate"]),
                    status=POINT_STATUS.get(status, status.lower()),
                    encrypted=bool(item.get("EncryptionKeyArn") or item.get("IsEncrypted")),
                    size_bytes=item.get("BackupSizeInBytes"),
                    plan_id=(item.get("CreatedBy") or {}).get("BackupPlanId"),
                    region=region, account=account, immutable=vault.immutable,
                ))
    return points


def read_copy_jobs(backup) -> list[CopyJob]:
    jobs = []
    for page in backup.get_paginator("list_copy_jobs").paginate():
        for item in page.get("CopyJobs", []):
            jobs.append(CopyJob(source_point=item.get("SourceRecoveryPointArn", ""),
                                destination_point=item.get("DestinationRecoveryPointArn"),
                                destination_vault_arn=item.get("DestinationBackupVaultArn"),
                                resource_arn=item.get("ResourceArn"), state=item.get("State", "")))
    return jobs


def resource_instance(arn: str, volume_owner: dict[tuple[str, str], str]) -> str | None:
    """The instance a recovery point protects: its instance ARN, or its volume's attachment."""
    match = INSTANCE_ARN.match(arn)
    if match:
        return match.group("id")
    match = VOLUME_ARN.match(arn)
    if match:
        return volume_owner.get((match.group("account"), match.group("id")))
    return None


def read_restore_jobs(backup) -> list[dict]:
    """ListRestoreJobs entries; tied to instances once every scope's points are known."""
    return [item for page in backup.get_paginator("list_restore_jobs").paginate()
            for item in page.get("RestoreJobs", [])]


def restore_runs(items: list[dict], *, source: str, instance_of: dict[str, str]) -> list[RecoveryRun]:
    runs = []
    for item in items:
        point = item.get("RecoveryPointArn", "")
        status = item.get("Status", "")
        runs.append(RecoveryRun(
            source=source, id=item["RestoreJobId"], kind=RecoveryKind.RESTORE,
            name=f"AWS Backup restore of {point.rsplit(':', 1)[-1]}" if point else None,
            assets=[instance_of[point]] if point in instance_of else [],
            started=utc(item["CreationDate"]),
            finished=utc(item["CompletionDate"]) if item.get("CompletionDate") else None,
            result=RESTORE_RESULTS.get(status, status.lower()),
        ))
    return runs

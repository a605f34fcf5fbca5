"""AWS Backup vaults (repositories), recovery points per instance, and restore jobs (RTO evidence)."""

from __future__ import annotations

from trondocs.collectors.aws.backup import BackupJob
from trondocs.collectors.aws.ec2 import utc
from trondocs.state.models import (
    RESULT_FAILED,
    RESULT_RUNNING,
    RESULT_SUCCESS,
    Asset,
    RecoveryKind,
    RecoveryRun,
    Repository,
    RestorePoint,
    RestorePointKind,
)

POINT_STATUS = {"COMPLETED": "ok", "AVAILABLE": "ok", "PARTIAL": "partial", "CREATING": "creating"}
RESTORE_RESULTS = {"COMPLETED": RESULT_SUCCESS, "FAILED": RESULT_FAILED, "ABORTED": RESULT_FAILED,
                   "PENDING": RESULT_RUNNING, "RUNNING": RESULT_RUNNING}


def read_vaults(backup, *, source: str, region: str) -> list[Repository]:
    vaults = []
    for page in backup.get_paginator("list_backup_vaults").paginate():
        for vault in page.get("BackupVaultList", []):
            vaults.append(Repository(
                source=source, id=vault["BackupVaultArn"], name=vault["BackupVaultName"],
                type="aws-backup-vault",
                # AWS: Locked "indicates whether Vault Lock is currently protecting the vault".
                immutable=bool(vault.get("Locked")),
                encrypted=True if vault.get("EncryptionKeyArn") else None,
                online=True, medium="cloud-snapshot", region=region,
            ))
    return vaults


def read_recovery_points(backup, *, source: str, region: str, account: str, instances: list[Asset],
                         vaults: list[Repository], history: list[BackupJob]) -> list[RestorePoint]:
    locked = {v.name: v.immutable for v in vaults}
    made_by = {j.recovery_point: j for j in history if j.recovery_point}
    points = []
    for asset in instances:
        pages = backup.get_paginator("list_recovery_points_by_resource").paginate(ResourceArn=asset.ref)
        for page in pages:
            for item in page.get("RecoveryPoints", []):
                arn = item["RecoveryPointArn"]
                job = made_by.get(arn)
                status = item.get("Status", "COMPLETED")
                points.append(RestorePoint(
                    source=source, id=arn, kind=RestorePointKind.BACKUP, asset_id=asset.id,
                    asset_name=asset.id, created=utc(item["CreationDate"]),
                    location=item.get("BackupVaultName"), repository=item.get("BackupVaultName"),
                    region=region, account=account,
                    medium="cloud-snapshot", immutable=locked.get(item.get("BackupVaultName", "")),
                    encrypted=bool(item.get("EncryptionKeyArn") or item.get("IsEncrypted")),
                    job=job.plan_name if job else None, job_id=job.plan_id if job else None,
                    status=POINT_STATUS.get(status, status.lower()), size_bytes=item.get("BackupSizeBytes"),
                ))
    return points


def read_restore_jobs(backup, *, source: str, points: list[RestorePoint]) -> list[RecoveryRun]:
    instance_of = {p.id: p.asset_name for p in points}
    runs = []
    for page in backup.get_paginator("list_restore_jobs").paginate():
        for item in page.get("RestoreJobs", []):
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

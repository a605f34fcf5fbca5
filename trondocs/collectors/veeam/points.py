"""Backups, restore points, replica points → RestorePoint (backup and replica).

The REST API does not say per restore point whether it has reached a scale-out repository's
capacity tier, and lists no offload sessions: no tier copy is made up here. The job records
the tier as an unlisted copy target (``ProtectionJob.unlisted_copies``) and evaluation treats
a copy there as possible, never as observed.
"""

from __future__ import annotations

from trondocs.collectors.veeam.repositories import Storage
from trondocs.collectors.veeam.values import low, parse_time
from trondocs.plan.models import Medium
from trondocs.state.models import RestorePoint, RestorePointKind


def _status(point: dict) -> str:
    malware = low(point.get("malwareStatus"))
    return malware if malware in ("suspicious", "infected") else "ok"


def backup_points(source: str, points: list[dict], backups: list[dict], jobs: dict[str, str],
                  storage: Storage, encrypted: dict[str, bool | None]) -> list[RestorePoint]:
    """points: restorePoints/objectRestorePoints items; jobs: job id → name; encrypted: job id → flag."""
    by_backup = {b.get("id"): b for b in backups}
    out: list[RestorePoint] = []
    for point in points:
        created, name = parse_time(point.get("creationTime")), point.get("name")
        if created is None or not name or not point.get("id"):
            continue
        backup = by_backup.get(point.get("backupId"), {})
        repo_id, job_id = backup.get("repositoryId"), backup.get("jobId")
        job = jobs.get(job_id) or backup.get("name")  # a backup's name is its job's name
        out.append(RestorePoint(
            source=source, id=str(point["id"]), kind=RestorePointKind.BACKUP, asset_name=str(name),
            created=created, location=storage.names.get(repo_id), repository=storage.names.get(repo_id),
            medium=storage.medium.get(repo_id), immutable=storage.immutable.get(repo_id),
            encrypted=encrypted.get(job_id), job=job, job_id=job_id, status=_status(point),
            description=f"{low(point.get('type'))} backup" if point.get("type") else None))
    return out


def replica_points(source: str, points: list[dict], replicas: list[dict], jobs: dict[str, str],
                   locations: dict[str, str]) -> list[RestorePoint]:
    """locations: job id → where its replicas live (the destination host)."""
    by_id = {r.get("id"): r for r in replicas}
    out = []
    for point in points:
        created, name = parse_time(point.get("creationTime")), point.get("name")
        if created is None or not name or not point.get("id"):
            continue
        replica = by_id.get(point.get("replicaId"), {})
        job_id = replica.get("jobId")
        out.append(RestorePoint(
            source=source, id=str(point["id"]), kind=RestorePointKind.REPLICA, asset_name=str(name),
            created=created, location=locations.get(job_id), host=locations.get(job_id), medium=Medium.DISK,
            job=jobs.get(job_id),
            job_id=job_id, status=_status(point), name=replica.get("name")))
    return out

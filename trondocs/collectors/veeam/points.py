"""Backups, restore points, replica points → RestorePoint (backup, replica, and capacity-tier copy).

The REST API does not say per restore point whether it has reached the capacity tier; the
copy is inferred from the scale-out repository's tier policy (copy: every point; move: points
older than the operational restore period) and says so in its description.
"""

from __future__ import annotations

import datetime as dt

from trondocs.collectors.veeam.repositories import Storage
from trondocs.collectors.veeam.values import low, parse_time
from trondocs.state.models import RestorePoint, RestorePointKind

TIER_NOTE = "capacity-tier copy inferred from the scale-out repository's {policy} policy"


def _status(point: dict) -> str:
    malware = low(point.get("malwareStatus"))
    return malware if malware in ("suspicious", "infected") else "ok"


def _either(*flags: bool | None) -> bool | None:
    return True if True in flags else False if all(f is False for f in flags) else None


def backup_points(source: str, points: list[dict], backups: list[dict], jobs: dict[str, str],
                  storage: Storage, now: dt.datetime,
                  encrypted: dict[str, bool | None]) -> list[RestorePoint]:
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
        main = RestorePoint(
            source=source, id=str(point["id"]), kind=RestorePointKind.BACKUP, asset_name=str(name),
            created=created, location=storage.names.get(repo_id), medium=storage.medium.get(repo_id),
            immutable=storage.immutable.get(repo_id), encrypted=encrypted.get(job_id), job=job, job_id=job_id,
            status=_status(point),
            description=f"{low(point.get('type'))} backup" if point.get("type") else None)
        tier = storage.tiers.get(repo_id)
        moved = (tier is not None and tier.move_after_days is not None
                 and now - created > dt.timedelta(days=tier.move_after_days))
        if tier is None or not (tier.copy or moved):
            out.append(main)
            continue
        if not moved:  # a moved point lives only in the tier
            out.append(main)
        out.append(main.model_copy(update={
            "id": f"{main.id}@capacity-tier", "kind": RestorePointKind.COPY, "location": tier.name,
            "medium": "object", "immutable": tier.immutable, "copy_of": main.id,
            # offloaded data stays encrypted by the job, and the tier may encrypt it again
            "encrypted": _either(tier.encrypted, main.encrypted),
            "description": TIER_NOTE.format(policy="copy" if tier.copy else "move")}))
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
            created=created, location=locations.get(job_id), medium="disk", job=jobs.get(job_id),
            job_id=job_id, status=_status(point), name=replica.get("name")))
    return out

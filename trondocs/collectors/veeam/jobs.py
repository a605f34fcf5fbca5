"""Jobs and job states → ProtectionJob: kind, schedule, retention, included VMs, last result."""

from __future__ import annotations

import datetime as dt

from trondocs.collectors.veeam.values import clock, low, name_of, parse_time
from trondocs.plan.models import ProtectionSystem
from trondocs.state.models import DiscoveredSchedule, JobKind, ProtectionJob, Retention, ScheduleKind

WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def job_kind(job_type: object) -> JobKind:
    """Open string: VBR adds job types every release (Backup → VSphereBackup in 1.3)."""
    kind = low(job_type)
    if "replica" in kind:
        return JobKind.REPLICATION
    if "copy" in kind:
        return JobKind.COPY
    return JobKind.BACKUP


def _on(block: object) -> bool:
    return isinstance(block, dict) and block.get("isEnabled") is True


def schedule(raw: object) -> DiscoveredSchedule | None:
    """BackupScheduleModel (same shape 1.0 → 1.3) → DiscoveredSchedule; the enabled option wins."""
    if not isinstance(raw, dict):
        return None
    if raw.get("runAutomatically") is False:
        return DiscoveredSchedule(kind=ScheduleKind.MANUAL)
    if _on(raw.get("continuously")):
        return DiscoveredSchedule(kind=ScheduleKind.CONTINUOUS)
    periodic = raw.get("periodically")
    if _on(periodic):
        unit = UNITS.get(low(periodic.get("periodicallyKind")))
        every = periodic.get("frequency")
        interval = dt.timedelta(seconds=unit * every) if unit and isinstance(every, int) else None
        return DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=interval,
                        expression=f"every {every} {low(periodic.get('periodicallyKind'))}",
                        window=window(periodic.get("backupWindow")))
    daily = raw.get("daily")
    if _on(daily):
        kind = low(daily.get("dailyKind"))
        days = (list(WEEK) if kind in ("everyday", "") else list(WEEK[:5]) if kind == "weekdays"
                else [low(d) for d in daily.get("days") or [] if low(d)])
        return DiscoveredSchedule(kind=ScheduleKind.DAILY, time=clock(daily.get("localTime")), days=days,
                        expression=daily.get("dailyKind"))
    monthly = raw.get("monthly")
    if _on(monthly):
        which = monthly.get("dayNumberInMonth")
        day = (f"day {monthly.get('dayOfMonth')}" if low(which) == "onday"
               else f"{which} {monthly.get('dayOfWeek')}")
        return DiscoveredSchedule(kind=ScheduleKind.MONTHLY, time=clock(monthly.get("localTime")),
                        expression=day.lower())
    after = raw.get("afterThisJob")
    if _on(after):
        return DiscoveredSchedule(kind=ScheduleKind.AFTER_JOB, after_job=after.get("jobName"))
    return DiscoveredSchedule(kind=ScheduleKind.MANUAL)


def window(raw: object) -> dict[str, str]:
    """BackupWindowSettingModel {days: [{day, hours: "1,1,0,…" (24)}]} → day → "110…"; {} when
    every hour is permitted or the window cannot be read (then it restricts nothing we know of)."""
    days = raw.get("days") if isinstance(raw, dict) else None
    out = {}
    for item in days if isinstance(days, list) else []:
        hours = str(item.get("hours") or "").replace(",", "").strip() if isinstance(item, dict) else ""
        day = low(item.get("day")) if isinstance(item, dict) else ""
        if day in WEEK and len(hours) == 24 and set(hours) <= {"0", "1"}:
            out[day] = hours
    return {} if all(h == "1" * 24 for h in out.values()) else out


def retention(job: dict) -> Retention | None:
    policy = ((job.get("storage") or job.get("target") or {}).get("retentionPolicy")) or {}
    quantity = policy.get("quantity")
    if isinstance(quantity, int):
        if low(policy.get("type")) == "days":
            return Retention(duration=dt.timedelta(days=quantity))
        return Retention(count=quantity)
    keep = (job.get("jobSettings") or {}).get("restorePointsToKeep")  # vSphere replica jobs
    return Retention(count=keep) if isinstance(keep, int) else None


def encrypted(job: dict) -> bool | None:
    """Storage encryption of a backup job's restore points (None: the job does not say)."""
    storage = ((job.get("storage") or {}).get("advancedSettings") or {}).get("storageData") or {}
    flag = (storage.get("encryption") or {}).get("isEnabled")
    return flag if isinstance(flag, bool) else None


def _objects(job: dict) -> dict:
    """Included/excluded objects: ``virtualMachines`` (backup, replica jobs) or ``sourceObjects``
    (1.3 backup copy jobs)."""
    return job.get("virtualMachines") or job.get("sourceObjects") or {}


def _kind(item: object) -> str:
    inner = item.get("inventoryObject") if isinstance(item, dict) else None
    obj = inner if isinstance(inner, dict) else item if isinstance(item, dict) else {}
    return low(obj.get("type")) or "virtualmachine"  # untyped includes have always been VMs


def targets(job: dict) -> list[str]:
    """The VMs the job names; containers (folders, pools, tags, hosts…) are not VM names."""
    includes = _objects(job).get("includes") or []
    if not isinstance(includes, list):  # a backup copy job includes jobs (source_jobs)
        return []
    return [n for i in includes if _kind(i) == "virtualmachine" and (n := name_of(i))]


def source_jobs(job: dict) -> list[str]:
    """A 1.3 backup copy job's source jobs (BackupCopyIncludeObjectsModel.jobs: JobObjectModel)."""
    includes = _objects(job).get("includes")
    jobs = includes.get("jobs") if isinstance(includes, dict) else None
    return [str(j["id"]) for j in jobs or [] if isinstance(j, dict) and j.get("id")]


def copy_schedule(raw: object, after: str | None) -> DiscoveredSchedule | None:
    """BackupCopyJobScheduleModel: Immediate copies each new point as its source job makes it;
    Periodic has the backup schedule's options."""
    if not isinstance(raw, dict):
        return None
    if low(raw.get("type")) == "immediate":
        return DiscoveredSchedule(kind=ScheduleKind.AFTER_JOB, after_job=after,
                                  window=window(raw.get("backupWindow")))
    return schedule(raw)


def containers(job: dict) -> list[str]:
    includes = _objects(job).get("includes") or []
    includes = includes if isinstance(includes, list) else []
    return [f"{_kind(i)}:{n}" for i in includes if _kind(i) != "virtualmachine" and (n := name_of(i))]


def excludes(job: dict) -> list[str]:
    """VMs excluded from the job (BackupJobExclusions.vms); containers excluded as kind:name."""
    found = _objects(job).get("excludes") or {}
    vms = found.get("vms") if isinstance(found, dict) else None
    out = []
    for item in vms if isinstance(vms, list) else []:
        name = name_of(item)
        if name:
            out.append(name if _kind(item) == "virtualmachine" else f"{_kind(item)}:{name}")
    return out


def to_jobs(source: str, jobs: list[dict], states: list[dict], storage: dict[str, str],
            copy_tiers: dict[str, str]) -> list[ProtectionJob]:
    """storage: repository/SOBR id → name; copy_tiers: SOBR id → capacity-tier name."""
    by_id = {s.get("id"): s for s in states}
    raw_by_id = {j.get("id"): j for j in jobs}
    out = []
    for job in jobs:
        if not job.get("id") or not job.get("name"):
            continue
        state = by_id.get(job["id"], {})
        repo_id = (job.get("storage") or job.get("target") or {}).get("backupRepositoryId")
        sources = [raw_by_id[s] for s in source_jobs(job) if s in raw_by_id]
        copied = sorted({t for s in sources for t in targets(s)})
        destination = ((job.get("destination") or {}).get("host") or {})
        status = low(state.get("status")) or None
        out.append(ProtectionJob(
            source=source, system=ProtectionSystem.VEEAM, id=str(job["id"]), name=str(job["name"]),
            kind=job_kind(job.get("type")),
            enabled=job.get("isDisabled") is not True and status != "disabled",
            schedule=(copy_schedule(job.get("schedule"), sources[0].get("name") if sources else None)
                      if "sourceObjects" in job else schedule(job.get("schedule"))),
            retention=retention(job), targets=targets(job) or copied,
            containers=containers(job) + sorted({c for s in sources for c in containers(s)}),
            excludes=excludes(job),
            location=storage.get(repo_id) or name_of(destination) or state.get("repositoryName"),
            copy_locations=[copy_tiers[repo_id]] if repo_id in copy_tiers else [],
            # VBR's REST API lists no restore points in a capacity tier, nor offload sessions.
            unlisted_copies=[copy_tiers[repo_id]] if repo_id in copy_tiers else [],
            last_result=low(state.get("lastResult")) or None,
            last_run=parse_time(state.get("lastRun")), next_run=parse_time(state.get("nextRun")),
            status=status,
            replica_suffix=(job.get("jobSettings") or {}).get("replicaNameSuffix"),
        ))
    return out

"""N2WS records → State: policies as ProtectionJobs, successful backups as RestorePoints.

N2WS spells statuses as letters in filters (``status=B`` is a successful backup) and as
words in its UI; both are read, and unknown values are kept as they came.

What N2WS's published material confirms (API guide v2.0.0 table of contents and its example
scripts, user guide §14/§21): the token endpoints, ``/api/aws/policies/`` with ``id``, ``name``,
``generations``; ``/api/schedules/`` with ``every_unit``/``every_how_many``; ``/api/aws/backups/``
with ``id``, ``name``, ``start_time``, ``status``, ``policy`` and ``status=B`` as successful;
a backup's ``snapshots`` with ``snapshot_id``, ``status``, ``region``; accounts with
``is_dr_account``. UNCERTAIN (read defensively, several spellings accepted): the other status
letters (``F``, ``P``, ``I``), a snapshot's ``account``, a target's ``resource_type`` /
``resource_id``, an account's ``aws_account_id`` / ``account_number``, and the DR-copy statuses
(see ``copy_status``). S3 repository copies and their retention are not read: no documented
field ties a backup to its S3 copy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from trondocs.collectors.base import Collected, SourceError
from trondocs.plan.models import Medium, ProtectionSystem
from trondocs.state.models import (
    RESULT_FAILED,
    RESULT_RUNNING,
    RESULT_SUCCESS,
    RESULT_WARNING,
    DiscoveredSchedule,
    JobKind,
    ProtectionJob,
    RestorePoint,
    RestorePointKind,
    Retention,
    ScheduleKind,
)

_RESULTS = {
    RESULT_SUCCESS: {"b", "backup successful", "successful", "success", "completed", "ok"},
    RESULT_WARNING: {"p", "partial", "partially successful", "backup partially successful"},
    RESULT_FAILED: {"f", "failed", "backup failed", "error", "not completed"},
    RESULT_RUNNING: {"i", "in progress", "backup in progress", "running"},
}
_UNIT_SECONDS = {"minute": 60, "min": 60, "m": 60, "hour": 3600, "hr": 3600, "h": 3600,
                 "day": 86400, "d": 86400, "week": 604800, "w": 604800}


def result_of(status: object) -> str:
    text = str(status or "").strip()
    for result, spellings in _RESULTS.items():
        if text.lower() in spellings:
            return result
    return text or "none"  # an unknown value is kept as it came


def schedule_of(raw: dict) -> DiscoveredSchedule:
    """``every_how_many`` × ``every_unit`` → a periodic schedule (months are monthly)."""
    unit = str(raw.get("every_unit") or "").strip().lower()
    how_many = raw.get("every_how_many")
    text = f"every {how_many} {unit}".strip()
    key = unit[:-1] if unit.endswith("s") and len(unit) > 1 else unit
    if key == "month":
        return DiscoveredSchedule(kind=ScheduleKind.MONTHLY, expression=text)
    seconds = _UNIT_SECONDS.get(key)
    if seconds and isinstance(how_many, int) and how_many > 0:
        return DiscoveredSchedule(kind=ScheduleKind.PERIODIC,
                                  interval=dt.timedelta(seconds=seconds * how_many),
                        expression=text)
    return DiscoveredSchedule(kind=ScheduleKind.PERIODIC, expression=text)  # unknown unit: kept as text


def parse_time(value: object, what: str) -> dt.datetime:
    if not isinstance(value, str):
        raise SourceError(f"N2WS: {what} has no start_time")
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"N2WS: {what} has an unreadable start_time {value!r}") from None
    # N2WS keeps its times in UTC; a value without an offset is read as UTC.
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _ref(value: object) -> object:
    """A related object given as an id or as ``{"id": …}``."""
    return value.get("id") if isinstance(value, dict) else value


def _flag(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "y", "1"}
    return default


def account_label(account: dict | None) -> str | None:
    if not account:
        return None
    for key in ("aws_account_id", "account_number", "name"):
        if account.get(key):
            return str(account[key])
    return str(account.get("id"))


@dataclass
class Policy:
    id: str
    name: str
    enabled: bool
    generations: int | None
    schedule: DiscoveredSchedule | None
    account: dict | None
    targets: list[dict] = field(default_factory=list)

    @classmethod
    def read(cls, raw: dict, schedules: dict, accounts: dict) -> Policy:
        picked = [schedules.get(_ref(s)) or (s if isinstance(s, dict) else None)
                  for s in raw.get("schedules") or []]
        options = [schedule_of(s) for s in picked if s and _flag(s.get("enabled"), True)]
        options.sort(key=lambda s: s.interval or dt.timedelta.max)
        generations = raw.get("generations")
        return cls(id=str(raw.get("id")), name=str(raw.get("name") or raw.get("id")),
                   enabled=_flag(raw.get("enabled"), True),
                   generations=generations if isinstance(generations, int) else None,
                   schedule=options[0] if options else None, account=accounts.get(_ref(raw.get("account"))))

    def instances(self) -> list[str]:
        return [i for i in (_instance_id(t) for t in self.targets) if i]

    def region_of(self, instance: str) -> str | None:
        target = next((t for t in self.targets if _instance_id(t) == instance), {})
        return target.get("region") or target.get("aws_region")


def _instance_id(target: dict) -> str | None:
    kind = str(target.get("resource_type") or target.get("type") or "instance").lower()
    if "instance" not in kind and "ec2" not in kind:
        return None  # volumes, databases, file systems: not a node's instance
    for key in ("resource_id", "instance_id", "instance"):
        value = target.get(key)
        if isinstance(value, str) and value:
            return value
    return None


@dataclass
class BackupRecord:
    id: str
    name: str | None
    policy: str
    start_time: dt.datetime
    result: str
    snapshots: dict[str, list[dict]] = field(default_factory=dict)  # instance id → its snapshots

    @classmethod
    def read(cls, raw: dict) -> BackupRecord:
        what = f"backup {raw.get('id')}"
        return cls(id=str(raw.get("id")), name=raw.get("name"), policy=str(_ref(raw.get("policy"))),
                   start_time=parse_time(raw.get("start_time"), what), result=result_of(raw.get("status")))

    @property
    def successful(self) -> bool:
        return self.result == RESULT_SUCCESS


def build(source: str, policies: list[Policy], backups: list[BackupRecord], accounts: dict,
          out: Collected) -> None:
    newest = {}
    copy_regions: dict[str, set[str]] = {}
    for backup in backups:  # newest first
        newest.setdefault(backup.policy, backup)
    by_id = {p.id: p for p in policies}
    for backup in backups:
        policy = by_id.get(backup.policy)
        if not backup.successful or policy is None:
            continue
        for instance, snapshots in backup.snapshots.items():
            points = _points(source, policy, backup, instance, snapshots, accounts)
            out.restore_points.extend(points)
            copy_regions.setdefault(policy.id, set()).update(
                p.region for p in points if p.kind is RestorePointKind.COPY and p.region)
    for policy in policies:
        last = newest.get(policy.id)
        regions = {policy.region_of(i) for i in policy.instances()} - {None}
        out.jobs.append(ProtectionJob(
            source=source, system=ProtectionSystem.N2WS, id=policy.id, name=policy.name, kind=JobKind.BACKUP,
            enabled=policy.enabled, schedule=policy.schedule,
            retention=Retention(count=policy.generations) if policy.generations is not None else None,
            targets=policy.instances(), region=regions.pop() if len(regions) == 1 else None,
            account=account_label(policy.account),
            copy_locations=sorted(copy_regions.get(policy.id, set())),
            last_result=last.result if last else None, last_run=last.start_time if last else None,
            status=None if policy.enabled else "disabled",
        ))


def _points(source: str, policy: Policy, backup: BackupRecord, instance: str, snapshots: list[dict],
            accounts: dict[Any, dict]) -> list[RestorePoint]:
    """The backup's restore point of ``instance``, plus one copy per DR account/other region."""
    home_account = account_label(policy.account)
    placed = []  # (snapshot, region, account label, in a DR account)
    for snap in snapshots:
        account = accounts.get(_ref(snap.get("account")))
        dr = bool(account and _flag(account.get("is_dr_account"), False))
        placed.append((snap, snap.get("region"), account_label(account) or home_account, dr))
    home_region = policy.region_of(instance) or next((r for _s, r, _a, dr in placed if not dr), None)
    base = dict(source=source, asset_id=instance, asset_name=instance, created=backup.start_time,
                medium=Medium.CLOUD_SNAPSHOT, job=policy.name, job_id=policy.id, name=backup.name)
    primary_id = f"{backup.id}/{instance}"
    home = [s for s, region, _a, dr in placed if not dr and region in (home_region, None)]
    points = [RestorePoint(id=primary_id, kind=RestorePointKind.BACKUP, region=home_region,
                           location=home_region, account=home_account,
                           description=_snapshot_ids(home), **base)]
    copies: dict[tuple[str | None, str | None], list[dict]] = {}
    for snap, region, account, dr in placed:
        if dr or region not in (home_region, None):
            copies.setdefault((region, account), []).append(snap)
    for (region, account), snaps in sorted(copies.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")):
        points.append(RestorePoint(
            id=f"{primary_id}/{account}/{region}", kind=RestorePointKind.COPY, region=region,
            location=region, account=account, copy_of=primary_id, description=_snapshot_ids(snaps),
            status=copy_status(snaps), **base))
    return points


# UNCERTAIN: N2WS's published API guide and example scripts show a snapshot record's ``status``
# but not its values for DR copies; read like backup statuses (B, I, F, P and their words). A
# DR copy is usable only when every snapshot of it reports success: one still copying is
# "creating", one failed is "failed", an unknown value is kept as it came (not usable either).
_COPY_STATUS = {RESULT_SUCCESS: "ok", RESULT_RUNNING: "creating", RESULT_FAILED: "failed",
                RESULT_WARNING: "partial"}


def copy_status(snapshots: list[dict]) -> str:
    results = [result_of(s.get("status")) for s in snapshots] or ["none"]
    for worst in (RESULT_FAILED, RESULT_WARNING, RESULT_RUNNING):
        if worst in results:
            return _COPY_STATUS[worst]
    unknown = [r for r in results if r != RESULT_SUCCESS]
    return unknown[0].lower() if unknown else "ok"


def _snapshot_ids(snapshots: list[dict]) -> str | None:
    ids = [str(s.get("snapshot_id")) for s in snapshots if s.get("snapshot_id")]
    return "snapshots " + ", ".join(ids) if ids else None

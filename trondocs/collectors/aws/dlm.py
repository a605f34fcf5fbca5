"""Data Lifecycle Manager: snapshot policies → protection jobs (schedule, retention, copies, targets)."""

from __future__ import annotations

import datetime as dt

from trondocs.state.models import Asset, JobKind, ProtectionJob, Retention, Schedule, ScheduleKind

# DLM retains by calendar units; months and years are approximated by days (30, 365).
UNIT = {"HOURS": dt.timedelta(hours=1), "DAYS": dt.timedelta(days=1), "WEEKS": dt.timedelta(weeks=1),
        "MONTHS": dt.timedelta(days=30), "YEARS": dt.timedelta(days=365)}


def read_dlm(dlm, *, source: str, region: str, account: str, instances: list[Asset],
             volume_tags: dict[str, dict[str, str]], volume_owner: dict[str, str]) -> list[ProtectionJob]:
    jobs = []
    # GetLifecyclePolicies has no pagination: it returns every policy's summary at once.
    for summary in dlm.get_lifecycle_policies().get("Policies", []):
        policy = dlm.get_lifecycle_policy(PolicyId=summary["PolicyId"])["Policy"]
        jobs.append(_job(policy, source=source, region=region, account=account,
                         targets=_targets(policy, instances, volume_tags, volume_owner)))
    return jobs


def _job(policy: dict, *, source: str, region: str, account: str, targets: list[str]) -> ProtectionJob:
    details = policy.get("PolicyDetails", {})
    schedules = details.get("Schedules") or []
    first = schedules[0] if schedules else {}
    state = policy.get("State", "ENABLED")
    tags = policy.get("Tags") or {}
    return ProtectionJob(
        source=source, system="dlm", id=policy["PolicyId"],
        name=tags.get("Name") or policy.get("Description") or policy["PolicyId"],
        kind=JobKind.SNAPSHOT, enabled=state == "ENABLED", status=state.lower(),
        schedule=_schedule(first.get("CreateRule"), details),
        retention=_retention(first.get("RetainRule"), details),
        targets=targets, target_tags={t["Key"]: t.get("Value", "") for t in details.get("TargetTags", [])},
        location=region, copy_locations=_copy_regions(details), region=region, account=account,
    )


def _schedule(rule: dict | None, details: dict) -> Schedule | None:
    if rule and rule.get("CronExpression"):
        return Schedule(kind=ScheduleKind.CRON, expression=rule["CronExpression"])
    if rule and rule.get("Interval"):
        times = rule.get("Times") or []
        return Schedule(kind=ScheduleKind.PERIODIC,
                        interval=rule["Interval"] * UNIT[rule.get("IntervalUnit", "HOURS")],
                        time=times[0] if times else None)
    if details.get("CreateInterval"):  # default policies: every N days
        return Schedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(days=details["CreateInterval"]))
    return None


def _retention(rule: dict | None, details: dict) -> Retention | None:
    if rule and rule.get("Count"):
        return Retention(count=rule["Count"])
    if rule and rule.get("Interval"):
        return Retention(duration=rule["Interval"] * UNIT[rule.get("IntervalUnit", "DAYS")])
    if details.get("RetainInterval"):
        return Retention(duration=dt.timedelta(days=details["RetainInterval"]))
    return None


def _copy_regions(details: dict) -> list[str]:
    regions: list[str] = []
    rules = [r for s in details.get("Schedules") or [] for r in s.get("CrossRegionCopyRules") or []]
    rules += [r for a in details.get("Actions") or [] for r in a.get("CrossRegionCopy") or []]
    rules += details.get("CrossRegionCopyTargets") or []
    for rule in rules:
        target = rule.get("TargetRegion") or rule.get("Target")
        if target and target not in regions:
            regions.append(target)
    return regions


def _targets(policy: dict, instances: list[Asset], volume_tags: dict[str, dict[str, str]],
             volume_owner: dict[str, str]) -> list[str]:
    """Instances the policy's target tags select (DLM takes resources matching any of them)."""
    details = policy.get("PolicyDetails", {})
    wanted = {(t["Key"], t.get("Value", "")) for t in details.get("TargetTags", [])}
    if not wanted:
        return []
    types = set(details.get("ResourceTypes") or ["INSTANCE", "VOLUME"])
    found: set[str] = set()
    if "INSTANCE" in types:
        found |= {a.id for a in instances if wanted & set(a.tags.items())}
    if "VOLUME" in types:
        found |= {volume_owner[v] for v, tags in volume_tags.items()
                  if wanted & set(tags.items()) and v in volume_owner}
    return sorted(found)

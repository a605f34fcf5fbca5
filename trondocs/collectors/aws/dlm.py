"""Data Lifecycle Manager: snapshot policies → protection jobs (schedule, retention, copies, targets)."""

from __future__ import annotations

import datetime as dt

from trondocs.plan.models import ProtectionSystem
from trondocs.state.models import Asset, DiscoveredSchedule, JobKind, ProtectionJob, Retention, ScheduleKind

# DLM retains by calendar units; months and years are approximated by days (30, 365).
UNIT = {"HOURS": dt.timedelta(hours=1), "DAYS": dt.timedelta(days=1), "WEEKS": dt.timedelta(weeks=1),
        "MONTHS": dt.timedelta(days=30), "YEARS": dt.timedelta(days=365)}


def read_dlm(dlm, *, source: str, region: str, account: str, instances: list[Asset],
             volume_tags: dict[str, dict[str, str]], volume_owner: dict[str, str]) -> list[ProtectionJob]:
    jobs = []
    # GetLifecyclePolicies has no pagination: it returns every policy's summary at once.
    for summary in dlm.get_lifecycle_policies().get("Policies", []):
        policy = dlm.get_lifecycle_policy(PolicyId=summary["PolicyId"])["Policy"]
        jobs += _jobs(policy, source=source, region=region, account=account,
                      targets=_targets(policy, instances, volume_tags, volume_owner))
    return jobs


def _jobs(policy: dict, *, source: str, region: str, account: str, targets: list[str]) -> list[ProtectionJob]:
    """One job per schedule (a policy has up to four), ids ``policy-id/schedule-name`` when
    there are several (the policy id alone for one).

    DLM tags each snapshot with the schedule that made it (``aws:dlm:lifecycle-schedule-name``),
    so a point belongs to its schedule's job. An event-based policy (copying snapshots shared
    by another account) has no schedule: it is one copy job.
    """
    details = policy.get("PolicyDetails", {})
    state = policy.get("State", "ENABLED")
    tags = policy.get("Tags") or {}
    common = dict(source=source, system=ProtectionSystem.DLM,
                  name=tags.get("Name") or policy.get("Description") or policy["PolicyId"],
                  enabled=state == "ENABLED", status=state.lower(), targets=targets,
                  target_tags={t["Key"]: t.get("Value", "") for t in details.get("TargetTags", [])},
                  location=region, region=region, account=account)
    if details.get("PolicyType") == "EVENT_BASED_POLICY":
        owners = (details.get("EventSource") or {}).get("Parameters", {}).get("SnapshotOwner") or []
        return [ProtectionJob(id=policy["PolicyId"], kind=JobKind.COPY, **common,
                              copy_locations=_copy_regions(details),
                              schedule=DiscoveredSchedule(kind=ScheduleKind.AFTER_JOB,
                                                after_job=f"snapshots shared by {', '.join(owners) or '?'}"))]
    schedules = details.get("Schedules") or []
    if not schedules:  # default policies: CreateInterval/RetainInterval at the top level
        return [ProtectionJob(id=policy["PolicyId"], kind=JobKind.SNAPSHOT, **common,
                              schedule=_schedule(None, details), retention=_retention(None, details),
                              copy_locations=_copy_regions(details))]
    out = []
    for schedule in schedules:
        name = schedule.get("Name") or ""
        out.append(ProtectionJob(
            id=f"{policy['PolicyId']}/{name}" if len(schedules) > 1 else policy["PolicyId"],
            kind=JobKind.SNAPSHOT, **common, rule=name or None,
            schedule=_schedule(schedule.get("CreateRule"), details),
            retention=_retention(schedule.get("RetainRule"), details),
            copy_locations=_copy_regions({"Schedules": [schedule]}) + _shares(schedule),
        ))
    return out


def _shares(schedule: dict) -> list[str]:
    """Accounts the schedule shares its snapshots with (ShareRules): ``account/*``."""
    return [f"{a}/*" for rule in schedule.get("ShareRules") or [] for a in rule.get("TargetAccounts") or []]


def _schedule(rule: dict | None, details: dict) -> DiscoveredSchedule | None:
    # DLM: CreateRule times and cron expressions are in UTC.
    if rule and rule.get("CronExpression"):
        return DiscoveredSchedule(kind=ScheduleKind.CRON, expression=rule["CronExpression"])
    if rule and rule.get("Interval"):
        times = rule.get("Times") or []
        return DiscoveredSchedule(kind=ScheduleKind.PERIODIC,
                        interval=rule["Interval"] * UNIT[rule.get("IntervalUnit", "HOURS")],
                        time=times[0] if times else None)
    if details.get("CreateInterval"):  # default policies: every N days
        return DiscoveredSchedule(kind=ScheduleKind.PERIODIC,
                                  interval=dt.timedelta(days=details["CreateInterval"]))
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

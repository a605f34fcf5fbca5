"""AWS Backup plans: each rule a protection job (schedule, lifecycle, copies, selections, last result)."""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass

from trondocs.collectors.aws.ec2 import utc
from trondocs.plan.models import ProtectionSystem
from trondocs.state.models import (
    RESULT_FAILED,
    RESULT_RUNNING,
    RESULT_SUCCESS,
    RESULT_WARNING,
    Asset,
    DiscoveredSchedule,
    JobKind,
    ProtectionJob,
    Retention,
    ScheduleKind,
)

JOB_RESULTS = {"COMPLETED": RESULT_SUCCESS, "PARTIAL": RESULT_WARNING, "FAILED": RESULT_FAILED,
               "ABORTED": RESULT_FAILED, "EXPIRED": RESULT_FAILED, "CREATED": RESULT_RUNNING,
               "PENDING": RESULT_RUNNING, "RUNNING": RESULT_RUNNING, "ABORTING": RESULT_RUNNING}
RATE = re.compile(r"rate\((\d+) (minute|hour|day)s?\)")
VAULT_ARN = re.compile(r"^arn:[^:]+:backup:(?P<region>[^:]+):(?P<account>\d*):")


@dataclass(frozen=True)
class BackupJob:
    """A ListBackupJobs entry, reduced to what the plan rules and recovery points need."""

    plan_id: str | None
    plan_name: str | None
    rule_id: str | None
    recovery_point: str | None
    created: dt.datetime
    result: str


def job_result(item: dict) -> str:
    result = JOB_RESULTS.get(item.get("State", ""), str(item.get("State", "")).lower())
    # "Completed with issues": COMPLETED whose message category is not SUCCESS.
    if result == RESULT_SUCCESS and item.get("MessageCategory") not in (None, "", "SUCCESS"):
        return RESULT_WARNING
    return result


def read_backup_jobs(backup) -> list[BackupJob]:
    jobs = []
    for page in backup.get_paginator("list_backup_jobs").paginate():
        for item in page.get("BackupJobs", []):
            created_by = item.get("CreatedBy") or {}
            jobs.append(BackupJob(
                plan_id=created_by.get("BackupPlanId"), plan_name=created_by.get("BackupPlanName"),
                rule_id=created_by.get("BackupRuleId"), recovery_point=item.get("RecoveryPointArn"),
                created=utc(item["CreationDate"]), result=job_result(item)))
    return jobs


def read_plans(backup, *, source: str, region: str, account: str, instances: list[Asset],
               history: list[BackupJob], volume_tags: dict[str, dict[str, str]] | None = None,
               volume_owner: dict[str, str] | None = None) -> list[ProtectionJob]:
    latest: dict[tuple[str | None, str | None], BackupJob] = {}
    for job in sorted(history, key=lambda j: j.created):
        latest[(job.plan_id, job.rule_id)] = job
    out = []
    for page in backup.get_paginator("list_backup_plans").paginate():
        for summary in page.get("BackupPlansList", []):
            plan_id = summary["BackupPlanId"]
            plan = backup.get_backup_plan(BackupPlanId=plan_id)["BackupPlan"]
            targets, tags = _selections(backup, plan_id, instances, volume_tags or {}, volume_owner or {},
                                        region=region, account=account)
            for rule in plan.get("Rules", []):
                last = latest.get((plan_id, rule.get("RuleId")))
                rule_id = rule.get("RuleId") or rule["RuleName"]
                out.append(ProtectionJob(
                    source=source, system=ProtectionSystem.AWS_BACKUP, id=f"{plan_id}/{rule_id}",
                    name=plan["BackupPlanName"], kind=JobKind.BACKUP,
                    schedule=_schedule(rule.get("ScheduleExpression"),
                                       rule.get("ScheduleExpressionTimezone")),
                    retention=_retention(rule.get("Lifecycle")), targets=targets, target_tags=tags,
                    location=rule.get("TargetBackupVaultName"), copy_locations=_copies(rule, account),
                    last_result=last.result if last else None, last_run=last.created if last else None,
                    region=region, account=account, rule=rule.get("RuleName"),
                ))
    return out


def _schedule(expression: str | None, timezone: str | None = None) -> DiscoveredSchedule | None:
    if not expression:
        return None
    # ScheduleExpressionTimezone: the zone the cron is in; AWS's default is UTC.
    zone = timezone if timezone and timezone not in ("UTC", "Etc/UTC") else None
    rate = RATE.fullmatch(expression)
    if rate:
        unit = {"minute": "minutes", "hour": "hours", "day": "days"}[rate.group(2)]
        return DiscoveredSchedule(kind=ScheduleKind.PERIODIC,
                                  interval=dt.timedelta(**{unit: int(rate.group(1))}),
                        expression=expression)
    return DiscoveredSchedule(kind=ScheduleKind.CRON, expression=expression, timezone=zone)


def _retention(lifecycle: dict | None) -> Retention | None:
    if not lifecycle or not lifecycle.get("DeleteAfterDays"):
        return None
    return Retention(duration=dt.timedelta(days=lifecycle["DeleteAfterDays"]))


def _copies(rule: dict, account: str) -> list[str]:
    """Copy destinations: the region, or ``account/region`` for a vault of another account."""
    out = []
    for action in rule.get("CopyActions") or []:
        match = VAULT_ARN.match(action.get("DestinationBackupVaultArn", ""))
        if not match:
            continue
        other = match.group("account") and match.group("account") != account
        where = f"{match.group('account')}/{match.group('region')}" if other else match.group("region")
        if where not in out:
            out.append(where)
    return out


def _selections(backup, plan_id: str, instances: list[Asset], volume_tags: dict[str, dict[str, str]],
                volume_owner: dict[str, str], *, region: str, account: str
                ) -> tuple[list[str], dict[str, str]]:
    """(instance ids selected, tag conditions) over all of the plan's resource selections.

    A selection names resources by ARN (wildcards allowed) and/or tags; an EBS volume it selects
    (by volume ARN or the volume's tags) protects the instance the volume is attached to.
    """
    targets: set[str] = set()
    tags: dict[str, str] = {}
    volumes = [(f"arn:aws:ec2:{region}:{account}:volume/{v}", v, volume_tags.get(v, {}))
               for v in sorted(set(volume_owner) | set(volume_tags))]
    for page in backup.get_paginator("list_backup_selections").paginate(BackupPlanId=plan_id):
        for item in page.get("BackupSelectionsList", []):
            selection = backup.get_backup_selection(
                BackupPlanId=plan_id, SelectionId=item["SelectionId"])["BackupSelection"]
            wanted = {c["ConditionKey"]: c["ConditionValue"] for c in selection.get("ListOfTags") or []
                      if c.get("ConditionType", "STRINGEQUALS") == "STRINGEQUALS"}
            for cond in (selection.get("Conditions") or {}).get("StringEquals") or []:
                wanted[cond["ConditionKey"].removeprefix("aws:ResourceTag/")] = cond["ConditionValue"]
            tags.update(wanted)
            patterns = selection.get("Resources") or []
            excluded = selection.get("NotResources") or []

            def chosen(arn: str, resource_tags: dict[str, str], patterns=patterns, excluded=excluded,
                       wanted=wanted) -> bool:
                by_arn = any(fnmatch.fnmatchcase(arn, p) for p in patterns)
                by_tag = any(resource_tags.get(k) == v for k, v in wanted.items())
                hit = (by_arn and (by_tag or not wanted)) if patterns else by_tag
                return hit and not any(fnmatch.fnmatchcase(arn, p) for p in excluded)

            targets |= {a.id for a in instances if chosen(a.ref or "", a.tags)}
            targets |= {volume_owner[v] for arn, v, vtags in volumes
                        if v in volume_owner and chosen(arn, vtags)}
    return sorted(targets), tags

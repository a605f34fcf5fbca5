"""Jobs: do the declared backup, replication and snapshot jobs exist and run as declared?

One finding per (protection, covered node): the subject is the protection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trondocs.diagnostics import Location
from trondocs.evaluate.attribution import casefolded, unresolved_containers
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import job_source
from trondocs.evaluate.evidence import schedules
from trondocs.evaluate.evidence.usable import usable
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    PROTECTION,
    Result,
    gaps_for,
    missing,
    node_result,
    rule,
)
from trondocs.plan.models import Protection
from trondocs.state.models import DiscoveredSchedule, ProtectionJob

NOT_CLEAN = {"failed", "warning", "error"}  # "failed or warned"
GOOD_RESULTS = {"success"}


def _covered(ctx: EvaluationContext) -> Iterator[tuple[Protection, NodeFacts, list[ProtectionJob]]]:
    for prot in ctx.plan.protection:
        for name in prot.covers:
            if name in ctx.by_name:
                yield prot, ctx.by_name[name], ctx.jobs.get(prot.name, [])


def _found(ctx: EvaluationContext) -> Iterator[tuple[Protection, NodeFacts, list[ProtectionJob]]]:
    """Covered nodes whose job was found; UNKNOWN results come from TRD201's own pass."""
    for prot, facts, jobs in _covered(ctx):
        if jobs:
            yield prot, facts, jobs


def _unknown_without_job(ctx: EvaluationContext, field: str | None = None) -> Iterator[Result]:
    """Jobs not found while their source is incomplete: the job rules cannot judge."""
    for prot, facts, jobs in _covered(ctx):
        gaps = gaps_for(ctx, facts, job_source(prot.system.value)) if not jobs else []
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), subject=prot.name,
                              location=ctx.locate("protection", prot.name, *([field] if field else [])))


@rule("TRD201", "Declared job or policy missing in its source", Severity.HIGH,
      rationale="""The plan counts on a job or policy that its system does not have: nothing
      makes the restore points the plan promises.""",
      remediation="""Create the job/policy, or fix its name in the plan ('job:' or 'policy:')
      to match the system exactly.""",
      needs=[PROTECTION], monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_exists(ctx: EvaluationContext) -> Iterator[Result]:
    """Looks the protection's job (Veeam, AWS Backup) or policy (DLM, N2WS) up by name or id
    in the jobs of its system. UNKNOWN when that system's source failed or is not configured."""
    for prot, facts, jobs in _covered(ctx):
        where = ctx.locate("protection", prot.name, "job" if prot.job else "policy")
        if jobs:
            yield node_result(facts, Status.PASS, f"{prot.system.value} job '{prot.source_name}' found",
                              subject=prot.name, location=where, job=prot.source_name, source=jobs[0].source)
            continue
        gaps = gaps_for(ctx, facts, job_source(prot.system.value))
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), subject=prot.name, location=where)
        else:
            yield node_result(facts, Status.FAIL, f"{prot.system.value} has no job or policy named "
                              f"'{prot.source_name}'", subject=prot.name, location=where,
                              job=prot.source_name)


@rule("TRD202", "Job disabled", Severity.HIGH,
      rationale="""A disabled job makes no new restore points: the RPO grows by the minute,
      silently, until someone notices.""",
      remediation="""Enable the job (or the DLM/N2WS policy); if it was disabled on purpose,
      change the plan and record a waiver with a reason and an end date.""",
      needs=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_enabled(ctx: EvaluationContext) -> Iterator[Result]:
    """FAIL when the job is disabled (``enabled: false`` or status ``disabled``)."""
    yield from _unknown_without_job(ctx)
    for prot, facts, jobs in _found(ctx):
        off = [j for j in jobs if not j.enabled or (j.status or "").lower() == "disabled"]
        status = Status.FAIL if off else Status.PASS
        text = f"job '{prot.source_name}' is {'disabled' if off else 'enabled'}"
        yield node_result(facts, status, text, subject=prot.name,
                          location=ctx.locate("protection", prot.name), job=prot.source_name, enabled=not off)


@rule("TRD203", "Schedule or interval differs from the plan", Severity.MEDIUM,
      rationale="""The plan's RPO rests on the declared interval: a replication job slowed from
      15 to 60 minutes quietly quadruples the data a disaster can take.""",
      remediation="""Set the job's schedule back to what the plan declares, or update the plan
      (and its RPO) to the schedule you really want.""",
      needs=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_schedule(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares interval, time of day and weekday; a cron expression is expanded into the times
    it fires (in its time zone) and compared by its interval and time of day. A job chained
    after another runs on that one's schedule. A policy with several schedules (or a backup
    plan with several rules) passes when one of them gives what the plan declares (the plan's
    ``rule:`` names the one it means). UNKNOWN when the source gives no schedule or the two
    cannot be compared (a cron expression this reader does not understand: L, W, #)."""
    yield from _unknown_without_job(ctx, "every")
    by_name = {j.name.casefold(): j for j in ctx.state.jobs}

    def follow(name: str) -> DiscoveredSchedule | None:
        job = by_name.get(name.casefold())
        return job.schedule if job else None

    verdicts: dict[str, tuple[Status, str, Location | None, dict]] = {}  # per protection, as below
    for prot, facts, jobs in _found(ctx):
        if prot.name not in verdicts:  # the same for every node it covers: judged once
            verdicts[prot.name] = _schedule_verdict(prot, jobs, follow, ctx.locate)
        status, message, where, values = verdicts[prot.name]
        yield node_result(facts, status, message, subject=prot.name, location=where, **values)


def _schedule_verdict(prot: Protection, jobs: list[ProtectionJob],
                      follow: Callable[[str], DiscoveredSchedule | None],
                      locate: Callable[..., Location | None]) -> tuple[Status, str, Location | None, dict]:
    # a policy of several schedules (DLM) or a plan of several rules (AWS Backup) is several
    # jobs: the one that gives what the plan declares satisfies it, and is named
    judged = [(j, schedules.matches(prot, j.schedule, follow)) for j in jobs]
    job, same = next(((j, s) for j, s in judged if s), None) or next(
        ((j, s) for j, s in judged if s is None), judged[0])
    where = locate("protection", prot.name, "every" if prot.every is not None else "schedule")
    plan, actual = schedules.plan_text(prot), schedules.state_text(job.schedule)
    if job.rule and len(jobs) > 1:
        actual += f" (schedule '{job.rule}')"
    values = dict(job=prot.source_name, plan=plan, actual=actual)
    if same is None:
        return (Status.UNKNOWN, missing([f"cannot compare the plan's '{plan}' with the job's '{actual}'"]),
                where, values)
    if same:
        return Status.PASS, f"job '{prot.source_name}' runs {actual}, as planned", where, values
    return Status.FAIL, f"job '{prot.source_name}' runs {actual}; the plan says {plan}", where, values


@rule("TRD204", "Retention below the plan", Severity.MEDIUM,
      rationale="""Fewer restore points kept than declared means a corruption noticed late
      (a bad block database, a deleted keystore) may have no clean point left to go back to.""",
      remediation="""Raise the job's retention to at least what the plan's 'keep' declares.""",
      needs=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_retention(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares retention counts or durations; a count converts to a duration through the
    declared interval. No finding when the plan declares no 'keep'."""
    yield from _unknown_without_job(ctx, "keep")
    for prot, facts, jobs in _found(ctx):
        if prot.keep is None:
            continue
        job = jobs[0]
        where = ctx.locate("protection", prot.name, "keep")
        enough = schedules.retention_enough(prot.keep, job.retention, prot.interval)
        plan, actual = schedules.retention_text(prot.keep), schedules.retention_text(job.retention)
        values = dict(job=prot.source_name, plan=plan, actual=actual)
        if enough is None:
            yield node_result(facts, Status.UNKNOWN, missing([f"cannot compare the plan's retention ({plan}) "
                              f"with the job's ({actual})"]), subject=prot.name, location=where, **values)
        else:
            status = Status.PASS if enough else Status.FAIL
            yield node_result(facts, status, f"job '{prot.source_name}' keeps {actual}; the plan says {plan}",
                              subject=prot.name, location=where, **values)


@rule("TRD205", "Last run failed or warned", Severity.MEDIUM,
      rationale="""A failed or warning run may have skipped this node or left an incomplete
      restore point; the next disaster will find out which.""",
      remediation="""Read the job's session log, fix the cause, and rerun the job.""",
      needs=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_last_run(ctx: EvaluationContext) -> Iterator[Result]:
    """Reads the job's last result. Systems without job runs (DLM policies) are judged by
    the newest restore point the job made for the node: ok → PASS, failed/partial → FAIL.
    UNKNOWN when neither is known (never ran, still running)."""
    yield from _unknown_without_job(ctx)
    for prot, facts, jobs in _found(ctx):
        where = ctx.locate("protection", prot.name)
        results = [(j.last_result or "").lower() for j in jobs if j.last_result]
        bad = [r for r in results if r in NOT_CLEAN]
        values = dict(job=prot.source_name, last_result=", ".join(results) or None,
                      last_run=max((j.last_run for j in jobs if j.last_run), default=None))
        if bad:
            yield node_result(facts, Status.FAIL, f"last run of '{prot.source_name}' ended: {bad[0]}",
                              subject=prot.name, location=where, **values)
        elif any(r in GOOD_RESULTS for r in results):
            yield node_result(facts, Status.PASS, f"last run of '{prot.source_name}' succeeded",
                              subject=prot.name, location=where, **values)
        else:
            yield _by_points(ctx, prot, facts, where, values)


def _by_points(ctx: EvaluationContext, prot: Protection, facts: NodeFacts, where, values) -> Result:
    name = prot.source_name.casefold()
    made = [p for p in facts.points if (p.job or "").casefold() == name and p.created <= ctx.as_of]
    if not made:
        return node_result(facts, Status.UNKNOWN, missing([f"the source reports no finished run of "
                           f"'{prot.source_name}' and no restore point from it"]), subject=prot.name,
                           location=where, **values)
    newest = made[-1]
    ok = usable(newest, ctx.as_of)
    return node_result(facts, Status.PASS if ok else Status.FAIL,
                       f"newest restore point of '{prot.source_name}' ({newest.id}) is {newest.status}",
                       subject=prot.name, location=where, newest_point=newest.id,
                       newest_status=newest.status, **values)


@rule("TRD206", "Job does not include the node", Severity.HIGH,
      rationale="""The plan says this job protects the node, but the job's selection does not
      contain its VM or instance: the node has none of the restore points the plan counts on.""",
      remediation="""Add the VM (or a tag/folder that holds it) to the job, or tag the instance
      with the policy's target tags.""",
      needs=BACKUPS, monotone_in=BACKUPS,
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def job_includes_node(ctx: EvaluationContext) -> Iterator[Result]:
    """The job's targets must name the node's VM or instance, its target tags match the
    instance's tags, or a VMware container it includes (folder, host, cluster, datacenter,
    datastore) hold the VM as vSphere reports it; a VM the job excludes is not included.
    UNKNOWN when the selection is by tags or containers and the VM or instance was not
    collected, or by containers vSphere's inventory does not resolve (resource pools, tags)."""
    yield from _unknown_without_job(ctx, "covers")
    # per protection: the jobs' target tags, the containers vSphere cannot resolve, all containers
    selections: dict[str, tuple[list, list[str], list[str]]] = {}
    for prot, facts, jobs in _found(ctx):
        where = ctx.locate("protection", prot.name, "covers")
        matches = [m for m in facts.attribution.jobs if m.protection == prot.name and m.found]
        by_name = any(facts.asset_name.casefold() in casefolded(tuple(j.targets))
                      or (facts.asset and {facts.asset.id.casefold(), facts.asset.name.casefold()}
                          & casefolded(tuple(j.targets))) for j in jobs)
        if prot.name not in selections:  # the same for every node it covers: read once
            selections[prot.name] = ([j.target_tags for j in jobs if j.target_tags],
                                     sorted({c for j in jobs for c in unresolved_containers(j)}),
                                     sorted({c for j in jobs for c in j.containers}))
        tags, unresolved, containers = selections[prot.name]
        values = dict(job=prot.source_name, asset=facts.asset_name)
        excluded = any(facts.asset_name.casefold() in casefolded(tuple(j.excludes)) for j in jobs)
        if any(m.includes_node for m in matches):
            how = ("by name" if by_name else "by a container (" + ", ".join(containers) + ")"
                   if containers and not tags else "by tags")
            yield node_result(facts, Status.PASS, f"job '{prot.source_name}' includes "
                              f"{facts.asset_name} {how}", subject=prot.name, location=where, **values)
        elif excluded:
            yield node_result(facts, Status.FAIL, f"job '{prot.source_name}' excludes {facts.asset_name}",
                              subject=prot.name, location=where, **values)
        elif tags and facts.asset is None:
            why = f"job '{prot.source_name}' selects by tags, and {facts.asset_name} was not collected"
            yield node_result(facts, Status.UNKNOWN, missing([why]),
                              subject=prot.name, location=where, **values)
        elif unresolved or (containers and facts.asset is None):
            what = ", ".join(unresolved) if unresolved else ", ".join(containers)
            why = (f"job '{prot.source_name}' selects VMware containers ({what}) whose VMs the "
                   "collected vSphere inventory cannot tell" if unresolved else
                   f"job '{prot.source_name}' selects VMware containers ({what}), and "
                   f"{facts.asset_name} was not collected (no vSphere source?)")
            yield node_result(facts, Status.UNKNOWN, missing([why]),
                              subject=prot.name, location=where, **values)
        else:
            yield node_result(facts, Status.FAIL, f"job '{prot.source_name}' does not include "
                              f"{facts.asset_name}", subject=prot.name, location=where, **values)

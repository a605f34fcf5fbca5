"""RPO: is there a restore point recent enough, and has there been one all week?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import SYSTEM_SOURCE
from trondocs.evaluate.models import CopyStanding, ProtectionRpo, Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    NODE_ENTRY,
    PROTECTION,
    Result,
    age,
    gaps_for,
    missing,
    node_result,
    rule,
)
from trondocs.plan.models import Protection, ProtectionKind
from trondocs.state.models import RestorePointKind


def _values(facts: NodeFacts) -> dict:
    rpo = facts.rpo
    return dict(rpo=rpo.target, newest=rpo.newest, newest_age=rpo.newest_age, largest_gap=rpo.largest_gap,
                window=rpo.window, restore_points=sum(rpo.counts_by_kind.values()))


def _judge(ctx: EvaluationContext, facts: NodeFacts, value, what: str) -> Result | None:
    """PASS within the RPO; FAIL beyond it with complete evidence, else UNKNOWN (a newer point
    may sit in the source that failed). No finding without any point: TRD303 judges that."""
    where = ctx.locate("nodes", facts.name, "rpo") if facts.node.rpo else NODE_ENTRY
    target = facts.rpo.target
    gaps = gaps_for(ctx, facts, *facts.point_sources)
    if value is None:
        if not gaps:
            return None
        return node_result(facts, Status.UNKNOWN, missing(gaps), location=where, **_values(facts))
    if value <= target:
        return node_result(facts, Status.PASS, f"{what} is {age(value)}, within the RPO of {age(target)}",
                           location=where, **_values(facts))
    if gaps:
        return node_result(facts, Status.UNKNOWN, missing(gaps) + f" (in what was collected, {what} is "
                           f"{age(value)})", location=where, **_values(facts))
    return node_result(facts, Status.FAIL, f"{what} is {age(value)}, beyond the RPO of {age(target)}",
                       location=where, **_values(facts))


@rule("TRD301", "Newest restore point older than the RPO", Severity.HIGH,
      rationale="""If the node were lost now, everything since its newest usable restore point
      would be lost with it; the plan promised no more than the RPO.""",
      remediation="""Find why the jobs stopped producing points (TRD2xx findings tell which),
      run the job now, then fix its schedule.""",
      needs=BACKUPS, monotone_in=BACKUPS,
      controls=["iso27001:5.30", "iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def newest_point(ctx: EvaluationContext) -> Iterator[Result]:
    """Age at as_of of the newest usable restore point across every copy (the best copy wins)
    against the node's RPO. A point counts when its status is ok and it exists at as_of."""
    for facts in ctx.nodes:
        found = _judge(ctx, facts, facts.rpo.newest_age, "the newest usable restore point's age")
        if found is not None:
            yield found


@rule("TRD302", "Largest gap in the window exceeds the RPO", Severity.MEDIUM,
      rationale="""A gap between restore points longer than the RPO is a time when a disaster
      would have cost more data than promised, even if the newest point is fresh now.""",
      remediation="""Look at the job history around the gap (failed runs, a paused job, a full
      repository) and make the schedule at least as frequent as the RPO.""",
      needs=BACKUPS, monotone_in=BACKUPS,
      controls=["iso27001:5.30", "iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def largest_gap(ctx: EvaluationContext) -> Iterator[Result]:
    """The longest time, over the window (7 days by default), between consecutive usable
    restore points of any copy, the time since the newest point included."""
    for facts in ctx.nodes:
        found = _judge(ctx, facts, facts.rpo.largest_gap, f"the largest gap over {age(facts.rpo.window)}")
        if found is not None:
            yield found


@rule("TRD303", "No restore point at all", Severity.CRITICAL,
      rationale="""Without a single usable restore point the node can only be rebuilt from
      scratch: a witness would need its keystore re-created, a full node a full re-sync.""",
      remediation="""Protect the node with the jobs the plan declares and run them once now.""",
      needs=BACKUPS, monotone_in=BACKUPS,
      controls=["iso27001:5.30", "iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def any_point(ctx: EvaluationContext) -> Iterator[Result]:
    """FAIL when no usable restore point exists at as_of (failed or future points do not
    count); UNKNOWN when the sources that hold the node's points failed or are missing."""
    for facts in ctx.nodes:
        where = NODE_ENTRY
        count = sum(facts.rpo.counts_by_kind.values())
        if count:
            yield node_result(facts, Status.PASS, f"{count} usable restore points", location=where,
                              **_values(facts))
            continue
        gaps = gaps_for(ctx, facts, *facts.point_sources)
        unusable = len(facts.points)
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where, **_values(facts))
        else:
            extra = f" ({unusable} failed, incomplete or later than as_of)" if unusable else ""
            yield node_result(facts, Status.FAIL, f"no usable restore point{extra}", location=where,
                              unusable_points=unusable, **_values(facts))


@rule("TRD304", "A declared protection stopped making restore points", Severity.MEDIUM,
      rationale="""The best copy hides a dead one: while nightly backups keep the node within its
      RPO, a replication job that stopped leaves the DR site's replica — the one the failover
      plan boots — days behind.""",
      remediation="""Look at the job's recent sessions for this node (excluded, failing, paused),
      fix it and run it once now.""",
      needs=[PROTECTION], monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def protection_fresh(ctx: EvaluationContext) -> Iterator[Result]:
    """For each protection covering the node, its newest usable restore point — and that of its
    copy, if it declares one (copy_to, copy_to_region) — must be younger than twice its
    declared interval. No finding for cron schedules (no interval); UNKNOWN when its source
    is incomplete."""
    for facts in ctx.nodes:
        for prot in facts.protections:
            interval = prot.interval  # a property, asked below several times
            if interval is None:
                continue
            where = ctx.locate("protection", prot.name, "every" if prot.every is not None else "schedule")
            rows = [r for r in facts.rpo.per_protection if r.protection == prot.name]
            problems = _stale_parts(prot, rows, 2 * interval)
            values = dict(expected_every=interval,
                          chains=[f"{r.kind}@{r.location}: {age(r.newest_age)}" for r in rows])
            if not problems:
                newest = min(r.newest_age for r in rows if r.newest_age is not None)
                yield node_result(facts, Status.PASS, f"'{prot.name}' made a restore point {age(newest)} ago "
                                  f"(one every {age(interval)} planned)", subject=prot.name,
                                  location=where, **values)
                continue
            gaps = gaps_for(ctx, facts, SYSTEM_SOURCE[prot.system.value])
            unlisted = [c.why for c in facts.copies.copies
                        if c.label == f"copy: {prot.name}" and c.standing is CopyStanding.UNLISTED]
            if unlisted and problems == ["no usable copy of this node"]:
                gaps += unlisted  # the job copies where its source lists nothing: not seen, not absent
            if gaps:
                yield node_result(facts, Status.UNKNOWN, missing(gaps), subject=prot.name, location=where,
                                  **values)
            else:
                yield node_result(facts, Status.FAIL, f"'{prot.name}': " + "; ".join(problems)
                                  + f" (one every {age(interval)} planned)", subject=prot.name,
                                  location=where, **values)


def _stale_parts(prot: Protection, rows: list[ProtectionRpo], limit: dt.timedelta) -> list[str]:
    copies = prot.kind is not ProtectionKind.COPY and bool(prot.copy_to or prot.copy_to_region)
    parts = {"restore point": [r for r in rows
                               if r.kind is not RestorePointKind.COPY or prot.kind is ProtectionKind.COPY]}
    if copies:
        parts["copy"] = [r for r in rows if r.kind is RestorePointKind.COPY]
    problems = []
    for what, found in parts.items():
        ages = [r.newest_age for r in found if r.newest_age is not None]
        if not ages:
            problems.append(f"no usable {what} of this node")
        elif min(ages) > limit:
            problems.append(f"newest {what} is {age(min(ages))} old")
    return problems

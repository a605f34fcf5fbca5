"""Failover: do the failover plans and the standby witness match what the plan declares?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trondocs.durations import format_duration
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import SYSTEM_SOURCE
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    PROTECTION,
    Result,
    age,
    evidence,
    gaps_for,
    missing,
    node_result,
    rule,
)
from trondocs.plan.models import FailoverPlan, ProtectionKind
from trondocs.state.models import FailoverPlan as FoundPlan

RUNNING = {"on", "running", "poweredon"}


def _idents(ctx: EvaluationContext, fplan: FailoverPlan) -> frozenset[str]:
    return frozenset(i for s in fplan.boot if s.node in ctx.by_name for i in ctx.by_name[s.node].idents)


def _steps(ctx: EvaluationContext, found: FoundPlan) -> list[tuple[str, dt.timedelta]]:
    """The found plan's steps as plan node names (replica VMs map to the VM they replicate)."""
    suffixes = {j.replica_suffix for j in ctx.state.jobs if j.replica_suffix}
    out = []
    for step in found.steps:
        name = step.asset_name
        replica_of = next((a.replica_of for a in ctx.assets.get(name, []) if a.replica_of), None)
        name = replica_of or next((name.removesuffix(s) for s in suffixes if name.endswith(s)
                                   and name.removesuffix(s) in ctx.by_asset), name)
        facts = ctx.by_asset.get(name)
        out.append((facts.name if facts else step.asset_name, step.delay))
    return out


def _found_plans(ctx: EvaluationContext) -> Iterator[tuple[FailoverPlan, FoundPlan | None, list[str]]]:
    """Each declared plan, the plan its system reported (if any), and why evidence is missing."""
    for fplan in ctx.plan.failover_plans:
        found = ctx.state_failover.get(fplan.name.casefold())
        gaps = [] if found else ctx.coverage.gaps([SYSTEM_SOURCE[fplan.system.value]], _idents(ctx, fplan))
        yield fplan, found, gaps


NOT_EXPOSED = ("{system} does not expose failover plans through its API (Veeam's REST API has "
               "none): members, order and delays cannot be compared")


def _exposes_plans(ctx: EvaluationContext, fplan: FailoverPlan) -> bool:
    """Whether any source of the plan's system reported failover plans at all."""
    kind = SYSTEM_SOURCE[fplan.system.value]
    names = {run.name for run in ctx.state.collection.sources if run.type == kind}
    return any(found.source in names for found in ctx.state.failover_plans)


def _without_replica(ctx: EvaluationContext, fplan: FailoverPlan) -> list[str]:
    """Members with no replica to fail over to: neither a replica VM nor replica restore points."""
    lacking = []
    for step in fplan.boot:
        facts = ctx.by_name.get(step.node)
        if facts is None:
            continue
        has_points = any(p.kind.value == "replica" for p in facts.points)
        if not (facts.replicas or has_points):
            lacking.append(step.node)
    return lacking


@rule("TRD501", "Failover plan missing or different from the plan", Severity.HIGH,
      rationale="""In a disaster the operator runs the failover plan as the system has it; if
      its members, order or delays differ from the declared plan, the recovery differs too.""",
      remediation="""Edit the failover plan in the backup system to match the declared boot
      order and delays (or update the declared plan after review).""",
      needs=BACKUPS,
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.4", "nist-csf:PR.IR-03", "nist-csf:RC.RP-01",
                "soc2:A1.2"])
def failover_plan(ctx: EvaluationContext) -> Iterator[Result]:
    """Looks the failover plan up by name in its system and compares members, boot order and
    the delay after each member. When the system does not expose failover plans (Veeam's REST
    API), FAIL if a member has no replica to fail over to, else UNKNOWN. UNKNOWN too when that
    system's source failed or is missing."""
    for fplan, found, gaps in _found_plans(ctx):
        where = ctx.locate("failover_plans", fplan.name)
        if found is None and not gaps and not _exposes_plans(ctx, fplan):
            lacking = _without_replica(ctx, fplan)
            if lacking:  # what can be checked without the plan itself: every member has a replica
                yield Result(Status.FAIL, f"failover plan '{fplan.name}' cannot fail over "
                             + ", ".join(lacking) + ": no replica found", subject=fplan.name,
                             location=where, evidence=evidence(without_replica=", ".join(lacking)))
                continue
            yield Result(Status.UNKNOWN, missing([NOT_EXPOSED.format(system=fplan.system.value)]),
                         subject=fplan.name, location=where)
            continue
        if found is None:
            status = Status.UNKNOWN if gaps else Status.FAIL
            text = missing(gaps) if gaps else (
                f"{fplan.system.value} has no failover plan named '{fplan.name}'")
            yield Result(status, text, subject=fplan.name, location=where)
            continue
        steps = _steps(ctx, found)
        want = [(s.node, s.delay) for s in fplan.boot]
        have, need = [n for n, _ in steps], [n for n, _ in want]
        problems = [f"missing {n}" for n in need if n not in have]
        problems += [f"extra {n}" for n in have if n not in need]
        if not problems and have != need:
            problems.append(f"order {' → '.join(have)} instead of {' → '.join(need)}")
        delays = dict(steps)
        problems += [f"delay after {n} is {format_duration(delays[n])}, planned {format_duration(d)}"
                     for n, d in want if n in delays and delays[n] != d]
        values = evidence(planned=" → ".join(need), found=" → ".join(have))
        if problems:
            yield Result(Status.FAIL, f"failover plan '{fplan.name}' differs: " + "; ".join(problems),
                         subject=fplan.name, location=where, evidence=values)
        else:
            yield Result(Status.PASS, f"failover plan '{fplan.name}' matches: {' → '.join(have)}",
                         subject=fplan.name, location=where, evidence=values)


@rule("TRD502", "Boot order starts a node before one it depends on", Severity.HIGH,
      rationale="""A solidity node started before its full node has nothing to read from and
      may fail its health checks or sync from the wrong peer; the failover then stalls.""",
      remediation="""Reorder the failover plan so every node starts after the nodes it depends
      on, with a delay long enough for them to serve blocks.""",
      needs=[PROTECTION],
      controls=["iso27001:5.30", "iso22301:8.4", "nist-csf:RC.RP-01"])
def boot_order(ctx: EvaluationContext) -> Iterator[Result]:
    """Checks the failover plan as found in the source (the declared one is checked when the
    plan is loaded): no member may start before a member it depends_on."""
    for fplan, found, gaps in _found_plans(ctx):
        where = ctx.locate("failover_plans", fplan.name, "boot")
        if found is None:
            if gaps:
                yield Result(Status.UNKNOWN, missing(gaps), subject=fplan.name, location=where)
            continue
        order = [n for n, _ in _steps(ctx, found)]
        position = {n: i for i, n in enumerate(order)}
        early = [f"{n} before {dep}" for i, n in enumerate(order) if n in ctx.by_name
                 for dep in ctx.by_name[n].node.depends_on if position.get(dep, -1) > i]
        values = evidence(order=" → ".join(order))
        if early:
            yield Result(Status.FAIL, f"failover plan '{fplan.name}' starts " + ", ".join(early),
                         subject=fplan.name, location=where, evidence=values)
        else:
            yield Result(Status.PASS, f"failover plan '{fplan.name}' starts dependencies first",
                         subject=fplan.name, location=where, evidence=values)


@rule("TRD503", "Standby witness not ready", Severity.CRITICAL,
      rationale="""The standby witness is what keeps an elected SR producing when the primary
      fails; if its VM/instance is gone or off, or its replica is stale, the SR misses blocks
      for the whole recovery time.""",
      remediation="""Power the standby on, or rebuild it; fix the replication job so its
      replica is fresh (see TRD2xx/TRD3xx findings for the job).""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def standby_ready(ctx: EvaluationContext) -> Iterator[Result]:
    """For each standby witness (priority 2 and up): its VM/instance exists and runs, and the
    replica of every replication protecting it is no older than the larger of its RPO and
    twice the declared replication interval."""
    for facts in [ctx.by_name[w.name] for w in ctx.plan.witnesses()[1:]]:
        problems, gaps = _standby_problems(ctx, facts)
        where = ctx.locate("nodes", facts.name)
        values = dict(asset=facts.asset_name, power_state=facts.asset.power_state if facts.asset else None)
        if problems:
            yield node_result(facts, Status.FAIL, "; ".join(problems), location=where, **values)
        elif gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where, **values)
        else:
            yield node_result(facts, Status.PASS, f"{facts.asset_name} runs and its replicas are fresh",
                              location=where, **values)


def _standby_problems(ctx: EvaluationContext, facts: NodeFacts) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    gaps: list[str] = []
    if facts.asset is None:
        missing_gaps = gaps_for(ctx, facts, facts.platform_source)
        gaps += missing_gaps
        if not missing_gaps:
            problems.append(f"{facts.asset_name} was not found")
    elif facts.asset.power_state.lower() not in RUNNING:
        problems.append(f"{facts.asset_name} is {facts.asset.power_state}")
    for prot in (p for p in facts.protections if p.kind is ProtectionKind.REPLICATION):
        chain = [c for c in facts.chains if c.protection is prot]
        limit = max(facts.objectives.rpo, 2 * (prot.interval or dt.timedelta(0)))
        if not chain:
            replica_gaps = gaps_for(ctx, facts, SYSTEM_SOURCE[prot.system.value])
            gaps += replica_gaps
            if not replica_gaps:
                problems.append(f"no replica from '{prot.name}'")
            continue
        newest = max(c.newest.created for c in chain)
        if ctx.as_of - newest > limit:
            problems.append(f"replica from '{prot.name}' is {age(ctx.as_of - newest)} old "
                            f"(stale beyond {age(limit)})")
    return problems, gaps


@rule("TRD504", "Replica in the same site as its source", Severity.HIGH,
      rationale="""A replica in the production site burns with it: it protects against a failed
      VM, not against the site disaster replication is there for.""",
      remediation="""Point the replication job at a host and datastore in the DR site.""",
      needs=BACKUPS,
      controls=["iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def replica_site(ctx: EvaluationContext) -> Iterator[Result]:
    """Replica restore points must be placed, by what their sources report, at a site other
    than the node's, and replica VMs must run in another datacenter than the source VM.
    UNKNOWN when a replica chain is at a location no site claims."""
    for facts in ctx.nodes:
        replicating = any(p.kind is ProtectionKind.REPLICATION for p in facts.protections)
        chains = [c for c in facts.chains if c.kind == "replica"]
        if not replicating and not chains and not facts.replicas:
            continue
        where = ctx.locate("nodes", facts.name, "runs_on")
        home = facts.site.name if facts.site else None
        same = [f"replica points at {c.location}" for c in chains if home and c.site and c.site.name == home]
        if facts.asset and facts.asset.datacenter:
            same += [f"replica VM {r.name} in datacenter {r.datacenter}" for r in facts.replicas
                     if r.datacenter == facts.asset.datacenter]
        unplaced = [c.place.observed for c in chains if c.site is None]
        sites = sorted({c.location for c in chains} | {r.datacenter or "unknown" for r in facts.replicas})
        values = dict(site=home, replica_sites=sites)
        if same:
            yield node_result(facts, Status.FAIL, "replica in the production site: " + "; ".join(same),
                              location=where, **values)
        elif unplaced or (home is None and chains):
            why = [f"replica points at {u}, which no site claims" for u in unplaced] or [
                "the node's own site is not known"]
            yield node_result(facts, Status.UNKNOWN, missing(why), location=where, **values)
        elif chains or facts.replicas:
            yield node_result(facts, Status.PASS, f"replicas at {', '.join(sites)}, away from {home}",
                              location=where, **values)
        else:
            gaps = gaps_for(ctx, facts, *facts.point_sources, facts.platform_source)
            if gaps:
                yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where, **values)

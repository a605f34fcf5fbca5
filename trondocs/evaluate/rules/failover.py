"""Failover: do the failover plans and the standby witness match what the plan declares?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trondocs.durations import format_duration
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import SYSTEM_SOURCE, failover_sources
from trondocs.evaluate.models import BackupIssueKind, Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    JAVA_TRON,
    NODE_ENTRY,
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
from trondocs.state.models import DiscoveredFailoverPlan, RestorePointKind


def _idents(ctx: EvaluationContext, fplan: FailoverPlan) -> frozenset[str]:
    return frozenset(i for s in fplan.boot if s.node in ctx.by_name for i in ctx.by_name[s.node].idents)


def _steps(ctx: EvaluationContext, found: DiscoveredFailoverPlan) -> list[tuple[str, dt.timedelta]]:
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


def _found_plans(
        ctx: EvaluationContext) -> Iterator[tuple[FailoverPlan, DiscoveredFailoverPlan | None, list[str]]]:
    """Each declared plan, the plan its system reported (if any), and why evidence is missing."""
    for fplan in ctx.plan.failover_plans:
        found = ctx.state_failover.get(fplan.name.casefold())
        # the system's own source, and (Veeam) Enterprise Manager where one is configured
        kinds = [k for k in failover_sources(fplan.system.value) if ctx.coverage.configured(k)] \
            or [SYSTEM_SOURCE[fplan.system.value]]
        gaps = [] if found else ctx.coverage.gaps(kinds, _idents(ctx, fplan))
        yield fplan, found, gaps


NOT_EXPOSED = ("{system} does not expose failover plans through its API (Veeam's REST API has "
               "none; add a veeam-em source for Enterprise Manager): members, order and delays "
               "cannot be compared")


def _exposes_plans(ctx: EvaluationContext, fplan: FailoverPlan) -> bool:
    """Whether any source of the plan's system reported failover plans at all."""
    kinds = failover_sources(fplan.system.value)
    runs = [run for run in ctx.state.collection.sources if run.type in kinds]
    if any(run.ok and run.type != SYSTEM_SOURCE[fplan.system.value] for run in runs):
        return True  # a source made for failover plans (Enterprise Manager) read them all
    names = {run.name for run in runs}
    return any(found.source in names for found in ctx.state.failover_plans)


def _without_replica(ctx: EvaluationContext, fplan: FailoverPlan) -> list[str]:
    """Members with no replica to fail over to: neither a replica VM nor replica restore points."""
    lacking = []
    for step in fplan.boot:
        facts = ctx.by_name.get(step.node)
        if facts is None:
            continue
        has_points = any(p.kind is RestorePointKind.REPLICA for p in facts.points)
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
        have_set, need_set = set(have), set(need)  # a plan of every node: no scan of it per member
        problems = [f"missing {n}" for n in need if n not in have_set]
        problems += [f"extra {n}" for n in have if n not in need_set]
        if not problems and have != need:
            problems.append(f"order {' → '.join(have)} instead of {' → '.join(need)}")
        delays = dict(steps)
        problems += [f"delay after {n} is {format_duration(delays[n])}, planned {format_duration(d)}"
                     for n, d in want if n in delays and delays[n] != d]
        values = evidence(planned=" → ".join(need), found=" → ".join(have))
        message = (f"failover plan '{fplan.name}' differs: " + "; ".join(problems) if problems
                   else f"failover plan '{fplan.name}' matches: {' → '.join(have)}")
        yield Result(Status.FAIL if problems else Status.PASS, message, subject=fplan.name,
                     location=where, evidence=values)


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
        message = (f"failover plan '{fplan.name}' starts " + ", ".join(early) if early
                   else f"failover plan '{fplan.name}' starts dependencies first")
        yield Result(Status.FAIL if early else Status.PASS, message, subject=fplan.name,
                     location=where, evidence=values)


@rule("TRD503", "Standby witness not ready", Severity.CRITICAL,
      rationale="""The standby witness is what keeps an elected SR producing when the primary
      fails. java-tron hands production over only in backup mode: both witnesses list each other
      as members, the producer has the higher priority, and the standby is in sync. If not, or if
      the standby's VM is gone or its replica stale, the SR misses blocks for the whole recovery.""",
      remediation="""Configure node.backup on both witnesses (same port and keepAliveInterval,
      each listing the other's IP in members, the producer with the higher priority); keep the
      standby in sync and powered on, and its replication fresh.""",
      needs=[*BACKUPS, JAVA_TRON], monotone_in=[PROTECTION],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def standby_ready(ctx: EvaluationContext) -> Iterator[Result]:
    """The standby (the witness of priority 2) is ready when java-tron's backup mode would hand
    over to it (no TRD505–TRD508 problem: mode on, members, priorities, one MASTER), it is in
    sync with the network (reference head and head block age), and, as the second path, its
    VM/instance runs and its replicas are no older than the larger of its RPO and twice the
    replication interval. UNKNOWN when the backup mode or the sync cannot be read."""
    standby = ctx.witness.standby if ctx.witness else None
    if standby is None:
        return
    facts = ctx.by_name[standby.node]
    where = NODE_ENTRY
    values = dict(asset=facts.asset_name, power_state=facts.asset.power_state if facts.asset else None,
                  takeover=standby.takeover_longest, keep_alive=standby.keep_alive,
                  keep_alive_basis=standby.keep_alive_basis)
    if standby.status is Status.FAIL:
        yield node_result(facts, Status.FAIL, "; ".join(standby.reasons), location=where, **values)
    elif standby.status is Status.UNKNOWN:
        yield node_result(facts, Status.UNKNOWN, missing(standby.reasons), location=where, **values)
    else:
        yield node_result(facts, Status.PASS, f"backup mode would hand over within "
                          f"{age(standby.takeover_longest)}; {facts.asset_name} runs, is in sync and its "
                          "replicas are fresh", location=where, **values)


def _issues(ctx: EvaluationContext, kind: BackupIssueKind) -> Iterator[tuple[NodeFacts, list[str]]]:
    """Per witness of a backup pair: the messages of this kind of backup-mode issue."""
    if ctx.witness is None or len(ctx.witness.witnesses) < 2:
        return
    for view in ctx.witness.witnesses:
        yield ctx.by_name[view.node], [i.message for i in ctx.witness.issues if i.kind is kind
                                       and i.node == view.node]


def _unknown_mode(ctx: EvaluationContext, node: str) -> bool:
    if ctx.witness is None:
        return True
    return any(i.kind is BackupIssueKind.UNKNOWN and i.node == node for i in ctx.witness.issues)


@rule("TRD505", "Backup mode off on a witness", Severity.CRITICAL,
      rationale="""java-tron starts its backup server only when node.backup.port is above 0 and
      members is not empty (BackupServer.initServer). Without it a witness never yields: the
      standby cannot take over, and both witnesses produce if both run.""",
      remediation="""Set node.backup.port and node.backup.members (the other witness's IP) in
      both witnesses' config.conf and restart them one at a time.""",
      needs=[JAVA_TRON],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def backup_mode_on(ctx: EvaluationContext) -> Iterator[Result]:
    """For each witness of a pair (a standby is declared): the port and member count the node
    reports in getnodeinfo's configNodeInfo, else the plan's declared backup settings. UNKNOWN
    when neither is known."""
    for facts, messages in _issues(ctx, BackupIssueKind.OFF):
        where = NODE_ENTRY
        if messages:
            yield node_result(facts, Status.FAIL, "; ".join(messages), location=where)
        elif _unknown_mode(ctx, facts.name):
            yield node_result(facts, Status.UNKNOWN, missing([f"{facts.name}'s backup mode: not declared and "
                                                              "not reported"]), location=where)
        else:
            yield node_result(facts, Status.PASS, "backup mode on (port and members set)", location=where)


@rule("TRD506", "Standby not among the primary's backup members", Severity.HIGH,
      rationale="""A witness ignores keep-alives from any address not in its members
      (BackupManager.handleEvent): the pair never agrees on a MASTER.""",
      remediation="""List each witness's IP in the other's node.backup.members.""",
      needs=[JAVA_TRON],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def backup_members(ctx: EvaluationContext) -> Iterator[Result]:
    """The declared members of each witness include the other's endpoint host. The node reports
    only how many members it has, so the addresses are checked in the plan (``backup.members``)."""
    for facts, messages in _issues(ctx, BackupIssueKind.MEMBERS):
        if facts.name == ctx.witness.witnesses[0].node:
            continue
        where = ctx.locate("nodes", facts.name, "backup")
        undeclared = [v.node for v in ctx.witness.witnesses if not v.declared_members]
        names = [i.message for i in ctx.witness.issues if i.kind is BackupIssueKind.MEMBERS_UNKNOWN]
        if messages:
            yield node_result(facts, Status.FAIL, "; ".join(messages), location=where)
        elif names:
            yield node_result(facts, Status.UNKNOWN, missing(names), location=where)
        elif undeclared:  # the nodes report how many members, never which: nothing to compare
            yield node_result(facts, Status.UNKNOWN, missing([
                f"no backup members declared for {', '.join(undeclared)}: the nodes report only how many "
                "members they have"]), location=where)
        else:
            yield node_result(facts, Status.PASS, "the witnesses list each other as backup members",
                              location=where)


@rule("TRD507", "Backup priorities equal or in the wrong order", Severity.HIGH,
      rationale="""Between two MASTERs java-tron lets the lower priority yield; with equal
      priorities the lower IP address (string order) yields. The plan's producer must have the
      higher priority, or the standby produces after every restart.""",
      remediation="""Give the producing witness the higher node.backup.priority.""",
      needs=[JAVA_TRON],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def backup_priority(ctx: EvaluationContext) -> Iterator[Result]:
    """The producer's backup priority (reported, else declared) is above the standby's."""
    for facts, messages in _issues(ctx, BackupIssueKind.PRIORITY):
        if facts.name == ctx.witness.witnesses[0].node:
            continue
        where = ctx.locate("nodes", facts.name, "backup")
        if messages:
            yield node_result(facts, Status.FAIL, "; ".join(messages), location=where)
        elif _unknown_mode(ctx, facts.name) or _unknown_mode(ctx, ctx.witness.witnesses[0].node):
            yield node_result(facts, Status.UNKNOWN, missing(["a witness's backup priority is not known"]),
                              location=where)
        else:
            yield node_result(facts, Status.PASS, "the producer has the higher backup priority",
                              location=where)


@rule("TRD508", "Both witnesses producing (split brain)", Severity.CRITICAL,
      rationale="""Two witnesses with the SR's key that are both MASTER both sign blocks for the
      SR's slot: the network sees conflicting blocks from one SR.""",
      remediation="""Stop the standby's java-tron, fix node.backup on both (members, priority),
      then start it again: it must come up as SLAVER.""",
      needs=[JAVA_TRON],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def split_brain(ctx: EvaluationContext) -> Iterator[Result]:
    """From /monitor/getstatsinfo ``node.backupStatus`` (1 = MASTER): more than one witness of
    the pair MASTER is a FAIL. UNKNOWN when a reachable witness's status was not read."""
    if ctx.witness is None or len(ctx.witness.witnesses) < 2:
        return
    views = ctx.witness.witnesses
    sr = ctx.plan.organization.sr_address
    where = ctx.locate("nodes", views[1].node)
    brain = [i.message for i in ctx.witness.issues if i.kind is BackupIssueKind.SPLIT_BRAIN]
    states = ", ".join(f"{v.node} {'MASTER' if v.master else 'not MASTER' if v.master is False else '?'}"
                       for v in views)
    if brain:
        yield Result(Status.FAIL, brain[0], subject=sr, location=where,
                     evidence=evidence(backup_status=states))
    elif any(v.master is None and v.reachable for v in views):
        yield Result(Status.UNKNOWN, missing(["/monitor/getstatsinfo gave no backup status for a running "
                                              "witness"]), subject=sr, location=where,
                     evidence=evidence(backup_status=states))
    else:
        yield Result(Status.PASS, f"one MASTER at most ({states})", subject=sr, location=where,
                     evidence=evidence(backup_status=states))


@rule("TRD509", "Backup mode differs from the plan", Severity.MEDIUM,
      rationale="""The failover the plan documents is not the one java-tron will do if the nodes'
      node.backup settings differ from it.""",
      remediation="""Update the plan's backup: settings, or the nodes' config.conf, so they agree.""",
      needs=[JAVA_TRON],
      controls=["iso27001:8.14", "iso22301:8.4", "nist-csf:PR.IR-03"])
def backup_declared(ctx: EvaluationContext) -> Iterator[Result]:
    """Port, priority and member count declared under ``backup:`` against what the node reports
    in getnodeinfo (keepAliveInterval is not reported: it stays as declared)."""
    for facts, messages in _issues(ctx, BackupIssueKind.DECLARED):
        view = next(v for v in ctx.witness.witnesses if v.node == facts.name)
        where = ctx.locate("nodes", facts.name, "backup")
        if messages:
            yield node_result(facts, Status.FAIL, "; ".join(messages), location=where)
        elif view.declared_port is None:
            continue  # nothing declared to compare
        elif view.observed_port is None:
            why = [f"{facts.name} did not report its backup mode"]
            yield node_result(facts, Status.UNKNOWN, missing(why), location=where)
        else:
            yield node_result(facts, Status.PASS, "reported backup settings match the plan", location=where)


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
        chains = [c for c in facts.chains if c.kind is RestorePointKind.REPLICA]
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

"""TRON evidence: the SR's record on the chain, its witnesses' backup mode, the standby verdict,
and the blocks an elected SR misses while its producing witness is down.

java-tron's backup mode (``node.backup``: port, priority, members, keepAliveInterval) is what
makes a standby witness take over: a SLAVER that hears no keep-alive from the MASTER turns INIT,
then MASTER (see ``trondocs.tron.takeover_seconds``). It runs only when ``port > 0`` and
``members`` is not empty (java-tron BackupServer.initServer); otherwise the node stays MASTER
and produces, so two witnesses with the same key both produce. Blocks at risk are counted as
the worst case: every 81-s round an outage can span costs the SR's slot.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from urllib.parse import urlsplit

from trondocs.evaluate.models import (
    BackupIssue,
    BackupIssueKind,
    BackupView,
    ChainRecord,
    ElectedBasis,
    KeepAliveBasis,
    StandbyEvidence,
    Status,
    TronImpact,
    WitnessEvidence,
)
from trondocs.plan.models import Node, Objectives, Plan
from trondocs.state.models import LagBasis, NodeStatus, State, WitnessRecord
from trondocs.tron import (
    ACTIVE_WITNESSES,
    BACKUP_DEFAULT_KEEP_ALIVE_MS,
    BLOCK_INTERVAL_SECONDS,
    MAINTENANCE_SKIP_SLOTS,
    blocks_at_risk,
    slot_miss_chance,
    takeover_seconds,
)
from trondocs.wording import count_noun

# An elected SR produces once per round of 27 slots; a maintenance period skips 2 more. A
# latest slot further behind the head slot than that means its last slot passed unproduced.
NOT_PRODUCING_SLOTS = ACTIVE_WITNESSES + MAINTENANCE_SKIP_SLOTS


def tron_impact(outage: dt.timedelta, *, elected: bool, takeover: dt.timedelta | None) -> TronImpact:
    """Blocks at risk for this outage; with a standby, for its worst-case takeover instead."""
    seconds = outage.total_seconds()
    with_standby = chance_standby = None
    if takeover is not None:
        fast = min(seconds, takeover.total_seconds())
        with_standby = blocks_at_risk(fast, elected)
        chance_standby = slot_miss_chance(fast, elected)
    return TronImpact(elected=elected, outage=outage, blocks_at_risk=blocks_at_risk(seconds, elected),
                      blocks_at_risk_with_standby=with_standby,
                      miss_chance=slot_miss_chance(seconds, elected), takeover=takeover,
                      miss_chance_with_standby=chance_standby)


def chain_record(plan: Plan, state: State, previous: State | None) -> ChainRecord:
    """The chain's word: elected (isJobs), votes, rank and production; the plan's only without it."""
    w: WitnessRecord | None = state.witness
    plan_elected = plan.organization.elected
    if w is None:
        return ChainRecord(elected=plan_elected, elected_basis=ElectedBasis.PLAN, plan_elected=plan_elected)
    behind = None
    if w.head_slot is not None and w.latest_slot:
        behind = max(w.head_slot - w.latest_slot, 0)
    producing = None
    if not w.is_jobs:
        producing = False
    elif behind is not None:
        producing = behind <= NOT_PRODUCING_SLOTS
    before = previous.witness if previous is not None else None
    if before is not None and before.address == w.address:
        missed, basis = max(w.missed - before.missed, 0), (
            f"since the previous snapshot ({previous.collection.finished:%Y-%m-%d %H:%M}Z)")
    else:
        missed, basis = w.missed, "lifetime total (totalMissed; no earlier snapshot)"
    return ChainRecord(elected=w.is_jobs, elected_basis=ElectedBasis.CHAIN, plan_elected=plan_elected,
                       votes=w.votes, rank=w.rank, produced=w.produced, missed=w.missed,
                       latest_block=w.latest_block, latest_slot=w.latest_slot, head_slot=w.head_slot,
                       slots_behind=behind, producing=producing, missed_in_period=missed, missed_basis=basis)


def head_age_limit(objectives: Objectives) -> dt.timedelta:
    """A head older than max_sync_lag blocks' worth of time is behind, whatever the others say."""
    return dt.timedelta(seconds=BLOCK_INTERVAL_SECONDS * max(objectives.max_sync_lag or 0, 1))


def sync_state(status: NodeStatus | None, objectives: Objectives) -> tuple[bool | None, str]:
    """(in sync?, why) against the reference head and by the head block's age; None: not known.

    The lag counts only when an independent reference gave the head: measured against the
    highest of our own nodes, nodes all stuck at one height would show no lag.
    """
    if status is None:
        return None, "no java-tron status for the node"
    if not status.reachable or status.head_block is None:
        return None, "the node is unreachable" if not status.reachable else "the node reported no head"
    limit = objectives.max_sync_lag
    problems, known = [], False
    if status.lag_blocks is not None and status.lag_basis is not LagBasis.OWN_NODES:
        known = True
        if limit is not None and status.lag_blocks > limit:
            problems.append(f"{count_noun(status.lag_blocks, 'block')} behind the reference (limit {limit})")
    if status.head_time is not None:
        known = True
        age = status.checked - status.head_time
        if age > head_age_limit(objectives):
            problems.append(f"its head block is {int(age.total_seconds())} s old "
                            f"(limit {int(head_age_limit(objectives).total_seconds())} s)")
    if problems:
        return False, "; ".join(problems)
    if not known:
        return None, ("no reference head answered and the node's head block has no time: "
                      "its lag cannot be judged")
    return True, "in sync"


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host(node: Node) -> str | None:
    return urlsplit(node.endpoint).hostname if node.endpoint else None


def _view(node: Node, order: int, status: NodeStatus | None) -> BackupView:
    declared, seen = node.backup, status.backup if status else None
    return BackupView(
        node=node.name, order=order,
        declared_port=declared.port if declared else None,
        declared_priority=declared.priority if declared else None,
        declared_members=list(declared.members) if declared else [],
        keep_alive=declared.keep_alive_interval if declared else None,
        observed_port=seen.listen_port if seen else None,
        observed_members=seen.member_size if seen else None,
        observed_priority=seen.priority if seen else None, master=seen.master if seen else None,
        reachable=status.reachable if status else None)


def _port(v: BackupView) -> int | None:
    return v.observed_port if v.observed_port is not None else v.declared_port


def _members(v: BackupView) -> int | None:
    if v.observed_members is not None:
        return v.observed_members
    return len(v.declared_members) if v.declared_port is not None else None


def _priority(v: BackupView) -> int | None:
    return v.observed_priority if v.observed_priority is not None else v.declared_priority


def backup_issues(views: list[BackupView], nodes: dict[str, Node]) -> list[BackupIssue]:
    """What would stop java-tron's backup mode from failing over as the plan says."""
    issues: list[BackupIssue] = []
    for v in views:
        port, members = _port(v), _members(v)
        if port is None and members is None:
            issues.append(BackupIssue(kind=BackupIssueKind.UNKNOWN, node=v.node, message=(
                f"{v.node}'s backup mode is neither declared (backup:) nor reported by the node")))
        elif (port is not None and port <= 0) or members == 0:
            issues.append(BackupIssue(kind=BackupIssueKind.OFF, node=v.node, message=(
                f"backup mode is off on {v.node} (port {port}, {members} members): java-tron starts no "
                "backup server, the node stays MASTER and produces whenever it runs")))
        mismatch = [f"{what} declared {want}, reported {have}" for what, want, have in (
            ("port", v.declared_port, v.observed_port),
            ("priority", v.declared_priority, v.observed_priority),
            ("members", len(v.declared_members) if v.declared_port is not None else None, v.observed_members))
            if want is not None and have is not None and want != have]
        if mismatch:
            issues.append(BackupIssue(kind=BackupIssueKind.DECLARED, node=v.node,
                                      message=f"{v.node}'s backup mode differs from the plan: "
                                              + "; ".join(mismatch)))
    primary = views[0]
    for standby in views[1:]:
        for a, b in ((primary, standby), (standby, primary)):
            host = _host(nodes[b.node])
            if a.declared_members and host and host not in a.declared_members and not _is_ip(host):
                issues.append(BackupIssue(kind=BackupIssueKind.MEMBERS_UNKNOWN, node=b.node, message=(
                    f"{b.node}'s endpoint host {host} is a name, {a.node}'s members are "
                    f"{', '.join(a.declared_members)}: java-tron compares IP addresses")))
            elif a.declared_members and host and host not in a.declared_members:
                issues.append(BackupIssue(kind=BackupIssueKind.MEMBERS, node=b.node, message=(
                    f"{b.node} ({host}) is not among {a.node}'s backup members "
                    f"({', '.join(a.declared_members)}): they ignore each other's keep-alives")))
        p, q = _priority(primary), _priority(standby)
        if p is not None and q is not None and p == q:
            issues.append(BackupIssue(kind=BackupIssueKind.PRIORITY, node=standby.node, message=(
                f"{primary.node} and {standby.node} have the same backup priority ({p}): java-tron "
                "lets the lower IP address yield, not the plan's order")))
        elif p is not None and q is not None and q > p:
            issues.append(BackupIssue(kind=BackupIssueKind.PRIORITY, node=standby.node, message=(
                f"{standby.node} has a higher backup priority ({q}) than {primary.node} ({p}): it, "
                "not the declared producer, becomes MASTER when both start")))
    masters = [v.node for v in views if v.master is True]
    if len(masters) > 1:
        issues.append(BackupIssue(kind=BackupIssueKind.SPLIT_BRAIN, node=masters[-1], message=(
            f"{' and '.join(masters)} both report backup status MASTER: both produce blocks with "
            "the same key")))
    return issues


def keep_alive(views: list[BackupView]) -> tuple[dt.timedelta, KeepAliveBasis]:
    """The standby's keepAliveInterval: it sets the timeouts (getnodeinfo does not report it)."""
    standby = views[1] if len(views) > 1 else views[0]
    if standby.keep_alive is not None:
        return standby.keep_alive, KeepAliveBasis.DECLARED
    return dt.timedelta(milliseconds=BACKUP_DEFAULT_KEEP_ALIVE_MS), KeepAliveBasis.JAVA_TRON_DEFAULT


def takeover(views: list[BackupView]) -> tuple[dt.timedelta, dt.timedelta, dt.timedelta, KeepAliveBasis]:
    interval, basis = keep_alive(views)
    shortest, longest = takeover_seconds(int(interval.total_seconds() * 1000))
    return dt.timedelta(seconds=shortest), dt.timedelta(seconds=longest), interval, basis


def witness_evidence(plan: Plan, state: State, previous: State | None,
                     statuses: dict[str, NodeStatus]) -> WitnessEvidence:
    """Record, backup mode and issues; the standby verdict is added once the node facts exist."""
    record = chain_record(plan, state, previous)
    witnesses = plan.witnesses()
    views = [_view(n, i + 1, statuses.get(n.name)) for i, n in enumerate(witnesses)]
    issues = backup_issues(views, {n.name: n for n in witnesses}) if len(views) > 1 else []
    return WitnessEvidence(record=record, witnesses=views, issues=issues)


def standby_verdict(evidence: WitnessEvidence, standby: str, sync: tuple[bool | None, str],
                    replica_problems: list[str], replica_gaps: list[str]) -> StandbyEvidence:
    """Ready when backup mode would hand over and the standby is in sync; its VM and replica are
    the second path (the standby itself recovered). FAIL on any problem, UNKNOWN on gaps."""
    shortest, longest, interval, basis = takeover(evidence.witnesses)
    # A plan that misdescribes the mode (DECLARED) is its own finding: the node's reported
    # settings are what java-tron acts on.
    reasons = [i.message for i in evidence.issues
               if not i.kind.is_gap and i.kind is not BackupIssueKind.DECLARED]
    gaps = [i.message for i in evidence.issues if i.kind.is_gap]
    in_sync, why = sync
    if in_sync is False:
        reasons.append(f"{standby} is not in sync: {why}")
    elif in_sync is None:
        gaps.append(f"{standby}'s sync cannot be judged: {why}")
    reasons += replica_problems
    gaps += replica_gaps
    status = Status.FAIL if reasons else Status.UNKNOWN if gaps else Status.PASS
    return StandbyEvidence(node=standby, status=status, reasons=reasons or gaps, takeover_shortest=shortest,
                           takeover_longest=longest, keep_alive=interval, keep_alive_basis=basis)

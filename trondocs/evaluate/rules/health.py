"""Health: are the java-tron nodes up, in sync, and producing?"""

from __future__ import annotations

from collections.abc import Iterator

from trondocs.diagnostics import Location
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import JAVA_TRON
from trondocs.evaluate.evidence.tron import NOT_PRODUCING_SLOTS, head_age_limit, sync_state
from trondocs.evaluate.models import ElectedBasis, Needs, Severity, Status
from trondocs.evaluate.rules.base import NODE_ENTRY, Result, evidence, gaps_for, missing, node_result, rule
from trondocs.plan.models import NodeRole
from trondocs.state.models import LagBasis
from trondocs.tron import SOLIDIFIED_DEPTH
from trondocs.wording import count_noun

# Without an earlier snapshot only the lifetime totalMissed is known: trondocs' own limit on
# its share of the SR's slots (not a java-tron figure).
MISSED_SHARE_LIMIT = 0.01
NO_RECORD = "the java-tron source did not report the SR's witness record"


def _no_status(ctx: EvaluationContext, facts: NodeFacts) -> list[str]:
    gaps = gaps_for(ctx, facts, JAVA_TRON)
    if gaps:
        return gaps
    if facts.node.endpoint is None:
        return ["the plan declares no endpoint for this node"]
    return ["the java-tron source reported nothing for this node"]


@rule("TRD701", "Node unreachable", Severity.HIGH,
      rationale="""A node whose HTTP API does not answer is down, hung or cut off: a witness
      among them produces no blocks, a full node serves no one.""",
      remediation="""Check the VM/instance, the java-tron process and its logs, and the network
      path from where trondocs runs.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03", "soc2:A1.2"])
def reachable(ctx: EvaluationContext) -> Iterator[Result]:
    """FAIL when the node's java-tron HTTP API did not answer, or answered without a head block
    (an error in the body, no chain data). UNKNOWN when no java-tron source is configured or it
    failed, or the node has no endpoint."""
    for facts in ctx.nodes:
        where = ctx.locate("nodes", facts.name, "endpoint") if facts.node.endpoint else NODE_ENTRY
        status = facts.status
        if status is None:
            yield node_result(facts, Status.UNKNOWN, missing(_no_status(ctx, facts)), location=where)
        elif status.reachable and status.head_block is not None:
            yield node_result(facts, Status.PASS, f"{status.endpoint} answers (head {status.head_block})",
                              location=where, endpoint=status.endpoint, head_block=status.head_block)
        elif status.reachable:  # it answers, but with an error instead of a block: not serving
            yield node_result(facts, Status.FAIL, f"{status.endpoint} answers but serves no block: "
                              f"{status.error or 'no head block'}", location=where,
                              endpoint=status.endpoint, error=status.error)
        else:
            yield node_result(facts, Status.FAIL, f"{status.endpoint} does not answer: "
                              f"{status.error or 'no reply'}", location=where, endpoint=status.endpoint,
                              error=status.error)


@rule("TRD702", "Sync lag above the limit", Severity.MEDIUM,
      rationale="""A node far behind the network serves stale data; a lagging witness cannot
      produce its slot, and a standby that lags cannot take over in time.""",
      remediation="""Check peers, disk and CPU of the node; resync from a snapshot if it does
      not catch up.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03"])
def sync_lag(ctx: EvaluationContext) -> Iterator[Result]:
    """Blocks behind an independent reference head (the reference endpoint) against the node's
    max_sync_lag, and the age of its head block at the check against max_sync_lag × 3 s: a head
    that old is behind even when every node agrees. Lag measured only against the operator's own
    nodes (no reference answered) is not used. UNKNOWN when the node is unreachable, or neither
    a reference lag nor a head time is known."""
    for facts in ctx.nodes:
        where = NODE_ENTRY
        status, limit = facts.status, facts.objectives.max_sync_lag
        if status is None:
            yield node_result(facts, Status.UNKNOWN, missing(_no_status(ctx, facts)), location=where)
            continue
        in_sync, why = sync_state(status, facts.objectives)
        age = (status.checked - status.head_time).total_seconds() if status.head_time else None
        values = dict(lag_blocks=status.lag_blocks, lag_basis=status.lag_basis, max_sync_lag=limit,
                      head_age_seconds=age, head_age_limit=head_age_limit(facts.objectives))
        if in_sync is None:
            yield node_result(facts, Status.UNKNOWN, missing([why]), location=where, **values)
        elif in_sync:
            by_reference = status.lag_basis is LagBasis.REFERENCE
            basis = (f"{count_noun(status.lag_blocks, 'block')} behind the reference" if by_reference
                     else "no reference head: judged by its head block's age")
            yield node_result(facts, Status.PASS, f"{basis} (limit {limit})", location=where, **values)
        else:
            yield node_result(facts, Status.FAIL, why, location=where, **values)


@rule("TRD703", "Witness missed blocks since the previous snapshot", Severity.HIGH,
      rationale="""Missed blocks are lost rewards for voters and a public sign of an unreliable
      SR; new misses mean the producing witness or its network failed since the last check.""",
      remediation="""Read the witness's logs around the misses; check clock sync, peers and
      whether the standby took over as it should.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03", "soc2:A1.2"])
def missed_blocks(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares the SR's total missed blocks (from the witness list) with the previous
    snapshot's: any new miss is a FAIL. Without a previous snapshot, the lifetime totalMissed
    against 1 % of the SR's slots (produced + missed), saying so. UNKNOWN when the java-tron
    source is missing or failed."""
    sr = ctx.plan.organization.sr_address
    where = ctx.loaded.source_map.locate(("organization", "sr_address"))
    now = ctx.state.witness
    if now is None:
        gaps = ctx.coverage.gaps([JAVA_TRON])
        why = gaps or ["the java-tron source did not report the SR's witness record"]
        yield Result(Status.UNKNOWN, missing(why), subject=sr, location=where)
        return
    before = ctx.previous.witness if ctx.previous is not None else None
    if before is None:
        slots = now.produced + now.missed
        share = now.missed / slots if slots else 0.0
        values = evidence(missed_total=now.missed, produced_total=now.produced, missed_share=round(share, 5),
                          basis="lifetime totalMissed (no earlier snapshot)")
        text = (f"{now.missed} blocks missed of {slots} slots in the SR's lifetime ({share:.2%}; "
                "totalMissed, no earlier snapshot to count the period from)")
        yield Result(Status.FAIL if share > MISSED_SHARE_LIMIT else Status.PASS, text, subject=sr,
                     location=where, evidence=values)
        return
    new = now.missed - before.missed
    values = evidence(missed_total=now.missed, missed_before=before.missed, missed_new=new,
                      since=ctx.previous.collection.finished)
    if new > 0:
        yield Result(Status.FAIL, f"{new} blocks missed since the previous snapshot", subject=sr,
                     location=where, evidence=values)
    else:
        yield Result(Status.PASS, "no block missed since the previous snapshot", subject=sr,
                     location=where, evidence=values)


@rule("TRD704", "Solidity node behind its full node", Severity.MEDIUM,
      rationale="""Wallets read confirmed balances from the solidity node; if it trails its full
      node, they see old data and may reject valid transactions.""",
      remediation="""Check the solidity node's connection to its full node and its disk; restart
      or resync it.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03"])
def solidity_behind(ctx: EvaluationContext) -> Iterator[Result]:
    """For each solidity node and each full node it depends on: the full node's head minus the
    solidity node's solidified block, less the normal 18-block confirmation depth (java-tron
    DposService.updateSolidBlock: the 9th lowest latest block of the 27 SRs), against the
    solidity node's max_sync_lag. UNKNOWN when either node's status is missing."""
    for facts in ctx.nodes:
        if facts.node.role is not NodeRole.SOLIDITY:
            continue
        where = ctx.locate("nodes", facts.name, "depends_on")
        for dep in facts.node.depends_on:
            full = ctx.by_name.get(dep)
            if full is None or full.node.role is not NodeRole.FULL:
                continue
            a, b = facts.status, full.status
            if a is None or b is None or not (a.reachable and b.reachable) or b.head_block is None or (
                    a.solidity_block is None and a.head_block is None):
                why = (_no_status(ctx, facts) if a is None else _no_status(ctx, full) if b is None
                       else ["a node is unreachable or did not report its block"])
                yield node_result(facts, Status.UNKNOWN, missing(why), subject=dep, location=where)
                continue
            if a.solidity_block is not None:
                behind = max(b.head_block - a.solidity_block - SOLIDIFIED_DEPTH, 0)
            else:
                behind = b.head_block - a.head_block
            limit = facts.objectives.max_sync_lag
            ok = limit is None or behind <= limit
            yield node_result(facts, Status.PASS if ok else Status.FAIL,
                              f"{count_noun(behind, 'block')} behind {dep} beyond normal confirmation "
                              f"(limit {limit})",
                              subject=dep, location=where, behind=behind, max_sync_lag=limit,
                              full_head=b.head_block, solidity_block=a.solidity_block)


def _chain_record(ctx: EvaluationContext):
    """The SR's record as the chain's witness list gives it, or None when it was not read."""
    record = ctx.witness.record if ctx.witness else None
    return record if record is not None and record.elected_basis is ElectedBasis.CHAIN else None


def _no_record(ctx: EvaluationContext, where: Location | None) -> Result:
    """An SR rule's finding when the chain's witness record was not read: UNKNOWN, saying why."""
    return Result(Status.UNKNOWN, missing(ctx.coverage.gaps([JAVA_TRON]) or [NO_RECORD]),
                  subject=ctx.plan.organization.sr_address, location=where)


@rule("TRD705", "Elected status differs from the chain", Severity.HIGH,
      rationale="""Whether the SR produces blocks is the chain's fact (listwitnesses isJobs), not
      the plan's: a plan that says elected when the SR is not (or the reverse) misjudges every
      block-at-risk figure and the delegators' answer.""",
      remediation="""Set organization.elected to what the chain says, or find out why the SR
      lost (or gained) its place among the 27.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:5.30", "iso22301:8.4"])
def elected_matches(ctx: EvaluationContext) -> Iterator[Result]:
    """organization.elected against the witness list's isJobs; the chain's value is the one the
    evaluation uses. UNKNOWN when the witness list was not read."""
    sr = ctx.plan.organization.sr_address
    where = ctx.loaded.source_map.locate(("organization", "elected"))
    record = _chain_record(ctx)
    if record is None:
        yield _no_record(ctx, where)
        return
    values = evidence(plan_elected=record.plan_elected, is_jobs=record.elected, votes=record.votes,
                      rank=record.rank)
    said = "elected" if record.elected else "not elected"
    if record.elected != record.plan_elected:
        yield Result(Status.FAIL, f"the chain lists the SR as {said} (isJobs {str(record.elected).lower()}, "
                     f"rank {record.rank}); the plan says elected: {str(record.plan_elected).lower()}",
                     subject=sr, location=where, evidence=values)
    else:
        yield Result(Status.PASS, f"the chain and the plan agree: {said} (rank {record.rank})", subject=sr,
                     location=where, evidence=values)


@rule("TRD706", "Elected SR not producing", Severity.CRITICAL,
      rationale="""An elected SR has a slot every 27 × 3 s = 81 s. A latest produced slot more
      than a round behind the head's slot means its witness stopped producing now, whatever
      the earlier snapshots say.""",
      remediation="""Check which witness should be MASTER, its java-tron process, clock and
      peers; if the producer is down and the standby did not take over, see TRD503.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03", "soc2:A1.2"])
def producing(ctx: EvaluationContext) -> Iterator[Result]:
    """For an SR the chain lists as elected: the head slot (the highest latestSlotNum in the
    witness list) minus the SR's latestSlotNum, against one round (27 slots) plus the 2 slots a
    maintenance period skips. No finding for an SR that is not elected; UNKNOWN when the
    witness list was not read or has no slots."""
    sr = ctx.plan.organization.sr_address
    where = ctx.loaded.source_map.locate(("organization", "sr_address"))
    record = _chain_record(ctx)
    if record is None:
        yield _no_record(ctx, where)
        return
    if not record.elected:
        return
    values = evidence(latest_slot=record.latest_slot, head_slot=record.head_slot,
                      slots_behind=record.slots_behind, latest_block=record.latest_block,
                      limit=NOT_PRODUCING_SLOTS)
    if record.producing is None:
        yield Result(Status.UNKNOWN, missing(["the witness list gave no latestSlotNum to compare"]),
                     subject=sr, location=where, evidence=values)
    elif record.producing:
        yield Result(Status.PASS, f"producing: last block {record.slots_behind} slots before the head "
                     f"(a round is {NOT_PRODUCING_SLOTS - 2})", subject=sr, location=where, evidence=values)
    else:
        yield Result(Status.FAIL, f"not producing: the SR's last block (#{record.latest_block}) is "
                     f"{record.slots_behind} slots behind the head, more than a round", subject=sr,
                     location=where, evidence=values)

"""Health: are the java-tron nodes up, in sync, and producing?"""

from __future__ import annotations

from collections.abc import Iterator

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import JAVA_TRON
from trondocs.evaluate.models import Needs, Severity, Status
from trondocs.evaluate.rules.base import Result, evidence, gaps_for, missing, node_result, rule
from trondocs.plan.models import NodeRole

# A block is solidified once 19 of the 27 SRs (70 %) built on it: solidity trails head by ~19.
SOLIDIFIED_DEPTH = 19


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
        where = ctx.locate("nodes", facts.name, "endpoint") if facts.node.endpoint else ctx.locate(
            "nodes", facts.name)
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
    """Blocks behind the reference head (the network, as the collector measured it) against the
    node's max_sync_lag. UNKNOWN when the node is unreachable or the lag was not measured."""
    for facts in ctx.nodes:
        where = ctx.locate("nodes", facts.name)
        status, limit = facts.status, facts.objectives.max_sync_lag
        if status is None:
            yield node_result(facts, Status.UNKNOWN, missing(_no_status(ctx, facts)), location=where)
        elif not status.reachable or status.lag_blocks is None:
            why = "the node is unreachable" if not status.reachable else "the lag was not measured"
            yield node_result(facts, Status.UNKNOWN, missing([why]), location=where)
        else:
            ok = limit is None or status.lag_blocks <= limit
            yield node_result(facts, Status.PASS if ok else Status.FAIL,
                              f"{status.lag_blocks} blocks behind (limit {limit})", location=where,
                              lag_blocks=status.lag_blocks, max_sync_lag=limit,
                              lag_seconds=status.lag_seconds)


@rule("TRD703", "Witness missed blocks since the previous snapshot", Severity.HIGH,
      rationale="""Missed blocks are lost rewards for voters and a public sign of an unreliable
      SR; new misses mean the producing witness or its network failed since the last check.""",
      remediation="""Read the witness's logs around the misses; check clock sync, peers and
      whether the standby took over as it should.""",
      needs=[Needs.JAVA_TRON],
      controls=["iso27001:8.14", "nist-csf:PR.IR-03", "soc2:A1.2"])
def missed_blocks(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares the SR's total missed blocks (from the witness list) with the previous
    snapshot's. No finding without a previous snapshot to compare with; UNKNOWN when the
    java-tron source is missing or failed."""
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
    solidity node's solidified block, less the normal 19-block confirmation depth, against the
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
                              f"{behind} blocks behind {dep} beyond normal confirmation (limit {limit})",
                              subject=dep, location=where, behind=behind, max_sync_lag=limit,
                              full_head=b.head_block, solidity_block=a.solidity_block)

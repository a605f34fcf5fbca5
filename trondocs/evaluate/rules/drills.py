"""Drills: is the DR plan tested often enough, fast enough, and successfully?

Tests come from the plan's ``drills`` (per node, or per failover plan for its members) and
from drill/failover runs the sources recorded (see ``evidence/rto.py``).
"""

from __future__ import annotations

from collections.abc import Iterator

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.evidence.rto import is_failed, tests
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import (
    NODE_ENTRY,
    PROTECTION,
    Result,
    age,
    gaps_for,
    missing,
    node_result,
    rule,
)


def _where(ctx: EvaluationContext, facts: NodeFacts, field: str):
    if getattr(facts.node, field) is not None:
        return ctx.locate("nodes", facts.name, field)
    return NODE_ENTRY


@rule("TRD601", "DR test overdue", Severity.MEDIUM,
      rationale="""An untested recovery is a hope, not a plan: runbooks rot, credentials expire,
      replicas drift. The plan promises a test at least every 'test_every'.""",
      remediation="""Run a DR drill (a failover of the plan, or a standby takeover) and record
      it under 'drills' with its start, end and result.""",
      needs=[PROTECTION], monotone_in=[PROTECTION],
      controls=["iso27001:5.30", "iso22301:8.5", "nist-csf:PR.DS-11", "soc2:A1.3"])
def test_due(ctx: EvaluationContext) -> Iterator[Result]:
    """FAIL when the node was never tested or its last test plus test_every lies before
    as_of. UNKNOWN instead when the sources that record recoveries are incomplete."""
    for facts in ctx.nodes:
        rto, every = facts.rto, facts.objectives.test_every
        where = _where(ctx, facts, "test_every")
        values = dict(test_every=every, last_test=rto.last_test, next_test_due=rto.next_test_due)
        if rto.next_test_due is not None and rto.next_test_due >= ctx.as_of:
            yield node_result(facts, Status.PASS, f"last tested {rto.last_test:%Y-%m-%d}; next test due "
                              f"{rto.next_test_due:%Y-%m-%d}", location=where, **values)
            continue
        gaps = gaps_for(ctx, facts, *facts.point_sources)
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where, **values)
        elif rto.last_test is None:
            yield node_result(facts, Status.FAIL, f"never tested (the plan asks for a test every "
                              f"{age(every)})", location=where, **values)
        else:
            late = ctx.as_of - rto.next_test_due
            yield node_result(facts, Status.FAIL, f"last tested {rto.last_test:%Y-%m-%d}; the next test "
                              f"was due {rto.next_test_due:%Y-%m-%d} ({age(late)} ago)", location=where,
                              overdue=late, **values)


@rule("TRD602", "Measured RTO above target", Severity.HIGH,
      rationale="""The latest measured recovery took longer than the RTO the plan promises:
      in a real disaster the node will be down longer than declared.""",
      remediation="""Shorten the recovery (replicas instead of restores, pre-synced standby,
      smaller boot delays) or set an honest RTO in the plan.""",
      needs=[PROTECTION],
      controls=["iso27001:5.30", "iso22301:8.5", "soc2:A1.3"])
def measured_rto(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares the outage of the latest completed, non-failed recovery of the node (drill,
    failover, restore, SureBackup) with its RTO: its duration until the VM ran plus its catch-up
    with the network (measured by drill watch, else the declared catch_up). Instant recoveries
    without the time their VM was running, and sessions inside a recorded drill, are not
    counted. The worst one is shown as evidence. UNKNOWN when no recovery was ever measured."""
    for facts in ctx.nodes:
        rto = facts.rto
        where = _where(ctx, facts, "rto")
        values = dict(rto=rto.target, latest=rto.latest, worst=rto.worst)
        if rto.latest is None:
            gaps = gaps_for(ctx, facts, *facts.point_sources)
            why = gaps or ["no recovery of this node was ever measured"]
            yield node_result(facts, Status.UNKNOWN, missing(why), location=where, **values)
        elif rto.latest > rto.target:
            yield node_result(facts, Status.FAIL, f"latest recovery kept the node off the network for "
                              f"{age(rto.latest)}; the RTO is "
                              f"{age(rto.target)}", location=where, **values)
        else:
            yield node_result(facts, Status.PASS, f"latest recovery kept the node off the network for "
                              f"{age(rto.latest)}, within the "
                              f"RTO of {age(rto.target)}", location=where, **values)


@rule("TRD603", "Last test failed", Severity.HIGH,
      rationale="""The most recent DR test of the node did not succeed: as far as anyone knows,
      the recovery does not work today.""",
      remediation="""Fix what the test found (its notes say), then test again and record it.""",
      needs=[PROTECTION],
      controls=["iso27001:5.30", "iso22301:8.5", "nist-csf:RC.RP-05", "soc2:A1.3"])
def last_test(ctx: EvaluationContext) -> Iterator[Result]:
    """Reads the result of the node's most recent DR test; partial counts as failed. No
    finding when it was never tested (TRD601 judges that)."""
    for facts in ctx.nodes:
        done = tests(facts.rto.runs)
        where = NODE_ENTRY
        if not done:
            gaps = gaps_for(ctx, facts, *facts.point_sources)
            if gaps:
                yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where)
            continue
        latest = done[-1]
        values = dict(test=latest.name, started=latest.started, result=latest.result, source=latest.source)
        status = Status.FAIL if is_failed(latest) else Status.PASS
        yield node_result(facts, status, f"last test '{latest.name}' on {latest.started:%Y-%m-%d}: "
                          f"{latest.result}", location=where, **values)

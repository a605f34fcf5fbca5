"""The summary, verdict and node statuses, counted once, equal their definitions.

engine.summary counts by C loops over the findings' fields and the verdict and each node's
status are read from those counts: here each is worked out again from its definition, finding
by finding, on whole evaluations (with a baseline, waivers and UNKNOWNs) and narrowed ones.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bench.estate import AS_OF as BENCH_AS_OF
from bench.estate import synthetic_estate
from tests.evaluate.cases import apply_ops, state_for
from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.engine import STATUS_ORDER, summary
from trondocs.evaluate.models import Assessment, Change, Finding, Severity, Status, Verdict
from trondocs.evaluate.selection import Selection, select


def _by_definition(findings: list[Finding], resolved: int) -> dict:
    """Every count of the summary, one finding at a time."""
    rules = sorted({f.rule for f in findings})
    nodes = sorted({f.node for f in findings if f.node is not None})
    return {
        "total": len(findings),
        "by_status": {s: sum(f.status is s for f in findings) for s in Status},
        "failing_by_severity": {sev: sum(f.status is Status.FAIL and f.severity is sev for f in findings)
                                for sev in reversed(Severity)},
        "by_severity": {sev: {s: sum(f.severity is sev and f.status is s for f in findings) for s in Status}
                        for sev in reversed(Severity)},
        "by_rule": {r: {s: sum(f.rule == r and f.status is s for f in findings) for s in Status}
                    for r in rules},
        "by_node": {n: {s: sum(f.node == n and f.status is s for f in findings) for s in Status}
                    for n in nodes},
        "nodes_by_rule": {r: n for r in rules if (n := len({f.node for f in findings
                                                            if f.rule == r and f.node is not None}))},
        "new": sum(f.is_new for f in findings),
        "resolved": resolved,
    }


def _verdict(findings: list[Finding]) -> Verdict:
    failing = [f for f in findings if f.status is Status.FAIL]
    if any(f.severity.rank >= Severity.HIGH.rank for f in failing):
        return Verdict.NOT_READY
    if failing or any(f.status is Status.UNKNOWN for f in findings):
        return Verdict.AT_RISK
    return Verdict.READY


def _check(assessment: Assessment, *, narrowed: bool = False) -> None:
    expected = _by_definition(assessment.findings, len(assessment.resolved))
    counted = assessment.summary.model_dump()
    assert counted == expected
    for field, value in expected.items():  # the same order of keys: what outputs list them by
        if isinstance(value, dict):
            assert list(counted[field]) == list(value), field
    assert assessment.verdict is _verdict(assessment.findings)
    if narrowed:
        return  # a selection keeps the nodes' evidence as evaluated
    for node in assessment.nodes:
        statuses = [f.status for f in assessment.findings if f.node == node.node]
        assert node.status is min(statuses, key=STATUS_ORDER.__getitem__, default=Status.PASS)


@pytest.fixture(scope="module")
def with_baseline(loaded) -> Assessment:
    baseline = apply_ops(example_state(AS_OF - dt.timedelta(days=1)), [
        {"set_status": {"node": "witness-a", "reachable": False, "error": "timed out"}}])
    state = state_for([{"set_status": {"node": "full-aws-01", "lag_blocks": 500}},
                       {"set_witness": {"missed": 20}}])
    return evaluate(loaded, state, as_of=AS_OF, baseline=baseline)


def test_example_counts(loaded):
    _check(evaluate(loaded, example_state(), as_of=AS_OF))
    _check(evaluate(loaded, example_state(failed_sources=("veeam", "tron-nodes")), as_of=AS_OF))


def test_counts_with_a_baseline(with_baseline):
    assert with_baseline.summary.new and with_baseline.summary.resolved
    assert {f.change for f in with_baseline.findings} >= {Change.NEW, Change.UNCHANGED}
    _check(with_baseline)


@pytest.mark.parametrize("selection", [
    Selection.of(rules=["TRD701", "TRD702"]), Selection.of(severity="high"),
    Selection.of(nodes=["witness-a"]), Selection.of(rules=["TRD000"]),  # nothing kept
])
def test_counts_of_a_selection(with_baseline, selection):
    _check(select(with_baseline, selection), narrowed=True)


def test_synthetic_estate_counts():
    plan, state = synthetic_estate(30, points_per_node=8, group=5, aws_share=0.3)
    assessment = evaluate(plan, state, as_of=BENCH_AS_OF)
    assert len({f.status for f in assessment.findings}) > 2
    _check(assessment)


def test_no_findings():
    assert summary([]).model_dump() == _by_definition([], 0)

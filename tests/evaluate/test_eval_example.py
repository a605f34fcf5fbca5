"""evaluate() on the example SR finds the drift the demo shows, and the Assessment holds together."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Severity, Status, Verdict


@pytest.fixture(scope="module")
def assessment(loaded):
    return evaluate(loaded, example_state(), as_of=AS_OF)


def find(assessment, rule, node=None, subject=None):
    found = [f for f in assessment.findings if f.rule == rule and (node is None or f.node == node)
             and (subject is None or f.subject == subject)]
    assert found, f"no {rule} finding for {node or subject}"
    return found


def test_replication_interval_drift(assessment):
    for node in ("witness-a", "witness-b", "full-01", "solidity-01"):
        (finding,) = find(assessment, "TRD203", node, "TRON replication")
        assert finding.status is Status.FAIL
        assert finding.evidence["plan"] == "every 15m" and finding.evidence["actual"] == "every 1h"
        assert finding.plan_location.file.endswith("protection.yaml")
        assert finding.plan_location.line == 8  # the "every: 15m" line
    (nightly,) = find(assessment, "TRD203", "full-01", "TRON nightly backup")
    assert nightly.status is Status.PASS


def test_stale_standby_witness_replica(assessment):
    (finding,) = find(assessment, "TRD503", "witness-b")
    assert finding.status is Status.FAIL and finding.severity is Severity.CRITICAL
    assert "2d 3h old" in finding.message
    assert finding.plan_location.line == 13  # "- name: witness-b" in nodes.yaml


def test_overdue_dr_test(assessment):
    (finding,) = find(assessment, "TRD601", "full-01")
    assert finding.status is Status.FAIL
    # The drill (07:00) is the test: Veeam's planned failover (07:00:40) ran inside it.
    assert finding.evidence["last_test"] == "2026-07-14T07:00:00Z"
    assert finding.evidence["next_test_due"] == "2026-09-12T07:00:00Z"
    (never,) = find(assessment, "TRD601", "witness-a")
    assert never.status is Status.FAIL and "never tested" in never.message


def test_unplanned_vm(assessment):
    (finding,) = find(assessment, "TRD102", subject="tron-full-02")
    assert finding.status is Status.FAIL and finding.node is None
    assert finding.evidence["job"] == "Replicate TRON nodes"
    assert finding.plan_location.file.endswith("protection.yaml")


def test_offsite_waiver_applies_to_the_aws_node(assessment):
    (finding,) = find(assessment, "TRD403", "full-aws-01")
    assert finding.status is Status.WAIVED
    assert finding.waiver.expires == dt.date(2027, 3, 31)
    assert finding.waiver.approved_by == "Ioana Marin (CTO)"
    assert "re-syncing from peers" in finding.waiver.reason
    (expiry,) = find(assessment, "TRD801", "full-aws-01")
    assert expiry.status is Status.PASS


def test_verdict_summary_and_order(assessment):
    assert assessment.verdict is Verdict.NOT_READY
    counts = assessment.summary.by_status
    assert sum(counts.values()) == len(assessment.findings)
    assert counts["waived"] == 1
    assert assessment.summary.failing_by_severity["critical"] == 1
    order = {"fail": 0, "unknown": 1, "waived": 2, "pass": 3}
    ranks = [(order[f.status.value], -f.severity.rank, f.rule, f.node or "") for f in assessment.findings]
    assert ranks == sorted(ranks)
    assert [n.node for n in assessment.nodes] == ["witness-a", "witness-b", "full-01", "solidity-01",
                                                  "full-aws-01"]
    assert {r.id for r in assessment.rules} >= {"TRD101", "TRD801"}
    assert all(f.plan_location is not None for f in assessment.findings)


def test_node_evidence(assessment):
    witness = assessment.node("witness-a")
    assert witness.status is Status.FAIL
    assert witness.rpo.newest_age == dt.timedelta(minutes=38)
    assert witness.rpo.target == dt.timedelta(minutes=15)
    assert witness.rpo.counts_by_kind == {"backup": 14, "copy": 14, "replica": 7}
    points = witness.rpo.points  # the window's points and the newest before it, for the chart
    assert points == sorted(points) and points[0] < AS_OF - witness.rpo.window <= points[1]
    assert points[-1] == AS_OF - dt.timedelta(minutes=38)
    # buc-dc1 disk (production + backup) and s3; the replica's newest point (38m) is older than twice
    # the planned 15m: stale, shown but not counted.
    assert witness.copies.independent_copies == 2
    assert [c.standing.value for c in witness.copies.copies if c.label == "TRON replication"] == ["stale"]
    assert witness.copies.loss_probability == pytest.approx(0.01 * 0.001)
    assert witness.impact.blocks_at_risk == 23  # 30 min RTO: ceil(1800 s / 81 s), the worst case
    assert witness.impact.blocks_at_risk_with_standby == 1  # the 42 s takeover can span its slot
    aws = assessment.node("full-aws-01")
    assert aws.rpo.newest_age == dt.timedelta(minutes=13)  # the eu-west-1 copy, 9 min after the snapshot
    assert aws.copies.independent_copies == 2 and aws.copies.offsite == 0
    assert aws.impact is None
    (plan,) = assessment.failover_plans
    assert plan.name == "TRON site failover" and plan.latest == dt.timedelta(minutes=24, seconds=10)
    assert plan.worst == dt.timedelta(minutes=24, seconds=10)


def test_deterministic_whatever_the_order_of_the_state_and_the_zone_of_as_of(loaded, assessment):
    state = example_state()
    shuffled = state.model_copy(update={
        "restore_points": list(reversed(state.restore_points)), "assets": list(reversed(state.assets)),
        "jobs": list(reversed(state.jobs)), "node_status": list(reversed(state.node_status)),
    })
    bucharest = AS_OF.astimezone(dt.timezone(dt.timedelta(hours=2)))
    again = evaluate(loaded, shuffled, as_of=bucharest)
    assert again.as_of == AS_OF and again.as_of.tzinfo is dt.UTC
    assert again.model_dump_json() == assessment.model_dump_json()


def test_as_of_needs_a_time_zone(loaded):
    with pytest.raises(ValueError, match="time zone"):
        evaluate(loaded, example_state(), as_of=AS_OF.replace(tzinfo=None))


def test_findings_point_at_what_they_are_about(assessment):
    by = {(f.rule, f.node, f.subject): f.plan_location for f in assessment.findings}
    node_line = by[("TRD401", "full-aws-01", None)]
    assert (node_line.file, node_line.line) == ("inventory/nodes.yaml", 35)
    assert by[("TRD101", "full-aws-01", None)].line == 38  # its runs_on
    assert by[("TRD301", "witness-a", None)].line == 10  # its own 'rpo: 15m'
    assert by[("TRD501", None, "TRON site failover")].file == "inventory/protection.yaml"
    assert by[("TRD206", "full-01", "TRON nightly backup")].file == "inventory/protection.yaml"

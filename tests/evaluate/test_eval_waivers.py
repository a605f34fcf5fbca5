"""Waivers: which findings they cover, until when, and what happens after."""

from __future__ import annotations

import datetime as dt

from tests.evaluate.cases import patch_plan, state_for
from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.engine import verdict
from trondocs.evaluate.models import Finding, Severity, Status, Verdict


def waiver(rule: str, node: str | None = None, expires: str = "2027-01-31") -> dict:
    return {"rule": rule, **({"node": node} if node else {}), "reason": "known, being fixed",
            "expires": expires, "approved_by": "ops lead"}


def statuses(assessment, rule):
    return {(f.node or f.subject): f.status for f in assessment.findings if f.rule == rule}


def test_a_waiver_for_one_node_covers_only_that_node(loaded):
    plan = patch_plan(loaded, {"waivers+": [waiver("TRD205", "witness-a")]})
    found = [f for f in evaluate(plan, state_for(), as_of=AS_OF).findings if f.rule == "TRD205"
             and f.subject == "TRON replication"]
    by_node = {f.node: f for f in found}
    assert by_node["witness-a"].status is Status.WAIVED
    assert by_node["witness-a"].waiver.approved_by == "ops lead"
    assert by_node["witness-a"].waiver.expires == dt.date(2027, 1, 31)
    assert {by_node[n].status for n in ("witness-b", "full-01", "solidity-01")} == {Status.FAIL}


def test_a_waiver_without_node_covers_every_node_and_plan_wide_findings(loaded):
    plan = patch_plan(loaded, {"waivers+": [waiver("TRD501"), waiver("TRD601")]})
    # Veeam shows a failover plan, but not this one: TRD501 fails, and the waiver covers it.
    state = state_for([{"add_failover_plan": {"name": "Another plan", "steps": [{"asset": "tron-full-01"}]}}])
    assessment = evaluate(plan, state, as_of=AS_OF)
    assert statuses(assessment, "TRD501") == {"TRON site failover": Status.WAIVED}
    assert set(statuses(assessment, "TRD601").values()) == {Status.WAIVED}


def test_waivers_cover_failures_not_missing_evidence(loaded):
    plan = patch_plan(loaded, {"waivers+": [waiver("TRD301", "witness-a")]})
    assessment = evaluate(plan, state_for([{"fail_source": "veeam"}]), as_of=AS_OF)
    (finding,) = [f for f in assessment.findings if f.rule == "TRD301" and f.node == "witness-a"]
    assert finding.status is Status.UNKNOWN and finding.waiver is None


def test_a_waiver_is_valid_through_its_last_day(loaded):
    last_day = dt.datetime(2027, 3, 31, 23, 59, tzinfo=dt.UTC)
    next_day = dt.datetime(2027, 4, 1, 0, 0, tzinfo=dt.UTC)
    during = evaluate(loaded, example_state(last_day), as_of=last_day)
    after = evaluate(loaded, example_state(next_day), as_of=next_day)
    assert statuses(during, "TRD403")["full-aws-01"] is Status.WAIVED
    assert statuses(during, "TRD801")["full-aws-01"] is Status.PASS
    offsite = next(f for f in after.findings if f.rule == "TRD403" and f.node == "full-aws-01")
    assert offsite.status is Status.FAIL and offsite.waiver is None  # counts again
    expiry = next(f for f in after.findings if f.rule == "TRD801")
    assert expiry.status is Status.FAIL and expiry.node == "full-aws-01"
    assert "expired on 2027-03-31" in expiry.message
    assert expiry.evidence["rule"] == "TRD403" and expiry.evidence["approved_by"] == "Ioana Marin (CTO)"
    assert expiry.plan_location.file.endswith("operations.yaml")
    assert expiry.plan_location.line == 22  # the waiver's list item


def test_waived_findings_stay_visible_and_do_not_decide_the_verdict():
    def finding(status: Status, severity: Severity = Severity.HIGH) -> Finding:
        return Finding(rule="TRD301", title="t", severity=severity, status=status, message="m")

    assert verdict([finding(Status.WAIVED), finding(Status.PASS)]) is Verdict.READY
    assert verdict([finding(Status.WAIVED), finding(Status.UNKNOWN)]) is Verdict.AT_RISK
    assert verdict([finding(Status.FAIL, Severity.MEDIUM)]) is Verdict.AT_RISK
    assert verdict([finding(Status.FAIL, Severity.HIGH)]) is Verdict.NOT_READY
    assert verdict([finding(Status.FAIL, Severity.CRITICAL), finding(Status.UNKNOWN)]) is Verdict.NOT_READY
    assert verdict([]) is Verdict.READY

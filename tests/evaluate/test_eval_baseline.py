"""Comparing with a baseline snapshot: new, unchanged and resolved findings, and the summary."""

from __future__ import annotations

import datetime as dt

from tests.evaluate.cases import apply_ops, state_for
from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.baseline import compare
from trondocs.evaluate.models import Change, Status
from trondocs.plan.loader import LoadedPlan

DAY = dt.timedelta(days=1)


def one(findings, rule, node=None, subject=None):
    (found,) = [f for f in findings if f.rule == rule and (node is None or f.node == node)
                and (subject is None or f.subject == subject)]
    return found


def test_new_unchanged_and_resolved(loaded):
    baseline = apply_ops(example_state(AS_OF - DAY), [
        {"set_status": {"node": "witness-a", "reachable": False, "error": "timed out"}}])
    state = state_for([{"set_status": {"node": "full-aws-01", "lag_blocks": 500}},
                       {"set_witness": {"missed": 20}}])
    assessment = evaluate(loaded, state, as_of=AS_OF, baseline=baseline)

    assert assessment.baseline_at == AS_OF - DAY
    lag = one(assessment.findings, "TRD702", "full-aws-01")
    assert (lag.status, lag.change) == (Status.FAIL, Change.NEW)
    drift = one(assessment.findings, "TRD203", "witness-a", "TRON replication")
    assert (drift.status, drift.change) == (Status.FAIL, Change.UNCHANGED)
    missed = one(assessment.findings, "TRD703")
    assert (missed.status, missed.change) == (Status.FAIL, Change.NEW)
    assert missed.evidence["missed_new"] == 3
    reachable = one(assessment.findings, "TRD701", "witness-a")
    assert (reachable.status, reachable.change) == (Status.PASS, Change.NEW)  # was failing

    (resolved,) = assessment.resolved
    assert (resolved.rule, resolved.node, resolved.status, resolved.change) == (
        "TRD701", "witness-a", Status.FAIL, Change.RESOLVED)
    assert "timed out" in resolved.message
    assert assessment.summary.resolved == 1
    assert assessment.summary.new == 2  # TRD702 and TRD703 fail anew
    assert all(f.change is not None for f in assessment.findings)


def test_without_a_baseline_nothing_is_marked(loaded):
    assessment = evaluate(loaded, example_state(), as_of=AS_OF)
    assert all(f.change is None for f in assessment.findings)
    assert assessment.resolved == [] and assessment.baseline_at is None
    assert assessment.summary.new == 0 and assessment.summary.resolved == 0


def test_a_failing_finding_that_became_unknown_is_not_resolved(loaded):
    baseline = example_state(AS_OF - DAY)
    state = state_for([{"fail_source": "veeam"}])
    assessment = evaluate(loaded, state, as_of=AS_OF, baseline=baseline)
    drift = one(assessment.findings, "TRD203", "witness-a", "TRON replication")
    assert (drift.status, drift.change) == (Status.UNKNOWN, Change.NEW)
    assert not [f for f in assessment.resolved if f.rule == "TRD203"]
    assert all(f.change is Change.RESOLVED and f.status is Status.FAIL for f in assessment.resolved)


def test_the_baseline_is_judged_at_its_own_collection_time(loaded):
    # Waiver of TRD403 ends on 2027-03-31: waived in the baseline, failing again now.
    now = dt.datetime(2027, 4, 2, 6, 0, tzinfo=dt.UTC)
    baseline = example_state(dt.datetime(2027, 3, 30, 6, 0, tzinfo=dt.UTC))
    assessment = evaluate(loaded, example_state(now), as_of=now, baseline=baseline)
    offsite = one(assessment.findings, "TRD403", "full-aws-01")
    assert (offsite.status, offsite.change, offsite.waiver) == (Status.FAIL, Change.NEW, None)
    expiry = one(assessment.findings, "TRD801", "full-aws-01")
    assert (expiry.status, expiry.change) == (Status.FAIL, Change.NEW)


def test_a_failing_finding_now_waived_counts_as_resolved(loaded):
    unwaived = LoadedPlan(plan=loaded.plan.model_copy(update={"waivers": []}), source_map=loaded.source_map)
    before = evaluate(unwaived, example_state(AS_OF - DAY), as_of=AS_OF - DAY)
    assert one(before.findings, "TRD403", "full-aws-01").status is Status.FAIL
    current = evaluate(loaded, example_state(), as_of=AS_OF)
    compared = compare(current, before)
    waived = one(compared.findings, "TRD403", "full-aws-01")
    assert (waived.status, waived.change) == (Status.WAIVED, Change.NEW)
    assert one(compared.resolved, "TRD403", "full-aws-01").change is Change.RESOLVED
    assert compared.summary.resolved == len(compared.resolved)

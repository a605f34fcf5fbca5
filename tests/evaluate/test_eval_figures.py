"""The figures the issue quotes: 11 blocks for a 15-minute outage, 1/1,000,000 for three copies."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.evaluate.cases import patch_plan, state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate
from trondocs.evaluate.evidence.copies import loss_probability
from trondocs.evaluate.evidence.tron import tron_impact

ONLY_WITNESS = {"nodes": {"witness-a": {"rto": "15m"}, "witness-b": {"role": "full", "priority": None}}}


def test_fifteen_minute_outage_of_the_only_witness_costs_11_blocks():
    impact = tron_impact(dt.timedelta(minutes=15), elected=True, has_standby=False)
    assert impact.blocks_at_risk == 11  # 900 s / (27 × 3 s)
    assert impact.blocks_at_risk_with_standby is None
    assert tron_impact(dt.timedelta(minutes=15), elected=False, has_standby=False).blocks_at_risk == 0


def test_the_example_sr_with_one_witness_risks_11_blocks(loaded):
    assessment = evaluate(patch_plan(loaded, ONLY_WITNESS), state_for(), as_of=AS_OF)
    impact = assessment.node("witness-a").impact
    assert impact.outage == dt.timedelta(minutes=15)
    assert impact.blocks_at_risk == 11 and impact.blocks_at_risk_with_standby is None
    assert assessment.node("witness-b").impact is None


def test_a_standby_witness_cuts_the_outage_to_the_takeover(loaded):
    plan = patch_plan(loaded, {"nodes": {"witness-a": {"rto": "15m"}}})
    assessment = evaluate(plan, state_for(), as_of=AS_OF)
    impact = assessment.node("witness-a").impact
    assert impact.blocks_at_risk == 11
    assert impact.blocks_at_risk_with_standby == 0  # 20 s takeover < one 81 s slot cycle
    assert tron_impact(dt.timedelta(hours=1), elected=True, has_standby=True).blocks_at_risk_with_standby == 0
    assert tron_impact(dt.timedelta(seconds=150), elected=True, has_standby=True).blocks_at_risk == 2


def test_three_independent_copies_at_one_in_a_hundred():
    assert loss_probability(["disk", "disk", "disk"], {"disk": 0.01}) == pytest.approx(1e-6)
    assert loss_probability(["disk", "disk"], {"disk": 0.01}) == pytest.approx(1e-4)
    assert loss_probability(["disk", "tape"], {"disk": 0.01}) is None  # a medium without a figure


def test_the_example_vm_has_three_independent_copies(loaded):
    plan = patch_plan(loaded, {"three_two_one": {"failure_probability": {"disk": 0.01, "object": 0.01}}})
    fresh = [{"retime_points": {"asset": "tron-witness-01", "kind": "replica", "newest": "10m",
                                "every": "15m"}}]
    copies = evaluate(plan, state_for(fresh), as_of=AS_OF).node("witness-a").copies
    assert copies.independent_copies == 3
    assert copies.loss_probability == pytest.approx(1e-6)
    assert [(c.label, c.site) for c in copies.copies] == [
        ("production", "buc-dc1"), ("TRON nightly backup", "buc-dc1"),
        ("copy: TRON nightly backup", "s3-frankfurt"), ("TRON replication", "cluj-dr")]
    # The nightly backup sits on disk in the production site: it shares production's failure domain.
    assert copies.copies[0].failure_domain == copies.copies[1].failure_domain == "buc-dc1/disk"


def test_copies_in_one_site_and_medium_count_once(loaded):
    plan = patch_plan(loaded, {"three_two_one": {"failure_probability": {"disk": 0.01, "object": 0.01}}})
    state = state_for([{"set_points": {"asset": "tron-witness-01", "kind": "replica",
                                       "update": {"location": "buc-dc1"}}}])
    copies = evaluate(plan, state, as_of=AS_OF).node("witness-a").copies
    assert copies.independent_copies == 2
    assert copies.loss_probability == pytest.approx(1e-4)
    assert copies.offsite == 1 and copies.media == 2 and copies.immutable == 1

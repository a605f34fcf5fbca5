"""The figures the issues quote: blocks at risk as the worst case, 1/1,000,000 for three copies."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.evaluate.cases import patch_plan, state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate
from trondocs.evaluate.evidence.copies import loss_probability
from trondocs.evaluate.evidence.tron import tron_impact

ONLY_WITNESS = {"nodes": {"witness-a": {"rto": "15m"},
                          "witness-b": {"role": "full", "priority": None, "backup": None}}}
TAKEOVER = dt.timedelta(seconds=42)  # 14 × java-tron's default 3 s keepAliveInterval


def test_fifteen_minute_outage_of_the_only_witness_risks_12_blocks():
    impact = tron_impact(dt.timedelta(minutes=15), elected=True, takeover=None)
    assert impact.blocks_at_risk == 12  # ceil(900 s / (27 × 3 s)) = ceil(11.1): the worst case
    assert impact.blocks_at_risk_with_standby is None
    assert tron_impact(dt.timedelta(minutes=15), elected=False, takeover=None).blocks_at_risk == 0


def test_the_example_sr_with_one_witness_risks_12_blocks(loaded):
    # No recovery of witness-a was ever measured: its 15-minute target is the outage.
    assessment = evaluate(patch_plan(loaded, ONLY_WITNESS), state_for(), as_of=AS_OF)
    impact = assessment.node("witness-a").impact
    assert impact.outage == dt.timedelta(minutes=15)
    assert impact.blocks_at_risk == 12 and impact.blocks_at_risk_with_standby is None
    assert assessment.node("witness-b").impact is None


def test_a_standby_witness_cuts_the_outage_to_the_takeover(loaded):
    plan = patch_plan(loaded, {"nodes": {"witness-a": {"rto": "15m"}}})
    assessment = evaluate(plan, state_for(), as_of=AS_OF)
    impact = assessment.node("witness-a").impact
    assert impact.blocks_at_risk == 12
    assert impact.takeover == TAKEOVER
    # 42 s can span the SR's slot: one block at risk, never "less than one"; 42/81 of the time.
    assert impact.blocks_at_risk_with_standby == 1
    assert impact.miss_chance_with_standby == pytest.approx(42 / 81)
    hour = tron_impact(dt.timedelta(hours=1), elected=True, takeover=TAKEOVER)
    assert hour.blocks_at_risk_with_standby == 1
    assert tron_impact(dt.timedelta(seconds=150), elected=True, takeover=TAKEOVER).blocks_at_risk == 2


def test_a_slower_keep_alive_lengthens_the_takeover(loaded):
    slow = {"backup": {"port": 10001, "priority": 8, "members": ["10.10.0.11"], "keep_alive_interval": "10s"}}
    assessment = evaluate(patch_plan(loaded, {"nodes": {"witness-b": slow}}), state_for(), as_of=AS_OF)
    standby = assessment.witness.standby
    assert (standby.takeover_shortest, standby.takeover_longest) == (dt.timedelta(seconds=110),
                                                                      dt.timedelta(seconds=140))
    assert assessment.node("witness-a").impact.blocks_at_risk_with_standby == 2  # 140 s spans two slots


def test_the_seeds_example_elected_sr_15_minute_replication_5_minutes_to_sync(loaded):
    """An elected SR, its witness replicated every 15 minutes, at most 5 minutes to sync: the
    measured failover to the replica (3 minutes) plus the declared catch-up is the outage."""
    plan = patch_plan(loaded, {
        **ONLY_WITNESS,
        "drills+": [{"node": "witness-a", "scenario": "witness failover to replica", "result": "success",
                     "started": "2026-11-10T09:00:00Z", "finished": "2026-11-10T09:03:00Z"}]})
    assert plan.plan.objectives.catch_up == dt.timedelta(minutes=5)  # the example's "at most 5 minutes"
    replication = next(p for p in plan.plan.protection if p.name == "TRON replication")
    assert replication.every == dt.timedelta(minutes=15)
    assessment = evaluate(plan, state_for(), as_of=AS_OF)
    witness = assessment.node("witness-a")
    [run] = [r for r in witness.rto.runs if r.name == "witness failover to replica"]
    assert (run.duration, run.catch_up, run.catch_up_basis, run.outage) == (
        dt.timedelta(minutes=3), dt.timedelta(minutes=5), "declared", dt.timedelta(minutes=8))
    assert witness.rto.latest == dt.timedelta(minutes=8)
    assert witness.impact.outage == dt.timedelta(minutes=8)
    assert witness.impact.blocks_at_risk == 6  # ceil(480 / 81) = ceil(5.9)
    assert witness.impact.miss_chance == 1.0


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

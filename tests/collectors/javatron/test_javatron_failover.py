"""Witness failover as java-tron does it, end to end: fake nodes answer as java-tron's source says
for each backup-mode state, the collector reads them, the evaluation judges, page one answers.

java-tron (framework/src/main/java/org/tron/common/backup): a node whose backup server never
started (port 0 or no members) stays MASTER; of a working pair one is MASTER, the other SLAVER;
/monitor/getstatsinfo reports node.backupStatus 1 for MASTER, 0 otherwise.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.javatron.estate import HEAD, NOW, SR_HEX, Lab, config
from tests.evaluate.cases import apply_ops, example_loaded, patch_plan
from tests.factories import example_state
from trondocs.collectors import javatron
from trondocs.collectors.base import CollectContext
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, Status
from trondocs.render.report.summary import answer_blocks, answer_production, answer_record

HERE = ["127.0.0.1"]  # the fakes listen on loopback: each witness's member is the other's address
FRESH_REPLICA = [{"retime_points": {"asset": "tron-witness-02", "kind": "replica", "newest": "20m",
                  "every": "15m"}}]


def backup(priority: int, members: list[str] | None = None, port: int = 10001) -> dict:
    return {"port": port, "priority": priority, "members": HERE if members is None else members,
            "keep_alive_interval": "3s"}


def estate(lab: Lab, a: dict, b: dict, *, declared: dict | None = None, b_lag: int = 0):
    """witness-a and witness-b as fakes with these node options; the other nodes synced."""
    nodes = {"witness-a": lab.node(**a), "witness-b": lab.node(lag=b_lag, **b), "full-01": lab.node(),
             "full-aws-01": lab.node()}
    endpoints = {name: node.full_url for name, node in nodes.items()}
    endpoints["solidity-01"] = nodes["full-01"].solidity_url
    patch = {name: {"endpoint": url} for name, url in endpoints.items()}
    for name, settings in (declared or {"witness-a": backup(10), "witness-b": backup(8)}).items():
        patch[name]["backup"] = settings
    return patch_plan(example_loaded(), {"nodes": patch}), nodes


def judge(lab: Lab, loaded, ops: list | None = None) -> Assessment:
    out = javatron.collect(config(), CollectContext(plan=loaded.plan, now=lab.now))
    state = example_state(NOW).model_copy(update={"node_status": out.node_status, "witness": out.witness})
    return evaluate(loaded, apply_ops(state, FRESH_REPLICA + (ops or [])), as_of=NOW)


def status(assessment: Assessment, rule: str, node: str | None = None) -> list[Status]:
    return [f.status for f in assessment.findings if f.rule == rule and (node is None or f.node == node)]


def test_a_master_slaver_pair_is_ready_and_page_one_says_so(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    assessment = judge(lab, loaded)
    [view_a, view_b] = assessment.witness.witnesses
    assert (view_a.observed_members, view_a.observed_priority, view_a.master) == (1, 10, True)
    assert (view_b.observed_members, view_b.observed_priority, view_b.master) == (1, 8, False)
    for rule in ("TRD503", "TRD505", "TRD506", "TRD507", "TRD508", "TRD509"):
        assert set(status(assessment, rule)) == {Status.PASS}, rule
    assert assessment.witness.standby.status is Status.PASS
    answer = answer_production(loaded.plan, assessment)
    assert "A standby witness (witness-b) is ready" in answer.detail
    assert "33 seconds to 42 seconds" in answer.detail
    blocks = answer_blocks(loaded.plan, assessment)
    assert blocks.headline == "Up to 1 block"  # the 42 s takeover can span the SR's slot


def test_backup_mode_off_leaves_both_witnesses_master(lab):
    # witness-a has no members: java-tron starts no backup server, it stays MASTER; witness-b,
    # hearing nothing, turns MASTER too.
    loaded, _ = estate(lab, {"backup": (10001, 0, 10)}, {"backup": (10001, 1, 8), "backup_status": "MASTER"},
                       declared={"witness-a": backup(10, members=[]), "witness-b": backup(8)})
    assessment = judge(lab, loaded)
    assert status(assessment, "TRD505", "witness-a") == [Status.FAIL]
    assert status(assessment, "TRD505", "witness-b") == [Status.PASS]
    assert status(assessment, "TRD508") == [Status.FAIL]
    assert status(assessment, "TRD503", "witness-b") == [Status.FAIL]
    answer = answer_production(loaded.plan, assessment)
    assert answer.headline == "No"
    assert "would not take over as planned: backup mode is off on witness-a" in answer.detail
    assert "ready to take over" not in answer.detail and "is ready" not in answer.detail
    # The takeover is not promised: blocks at risk are the whole recovery's.
    assert answer_blocks(loaded.plan, assessment).headline == "Up to 23 blocks"


def test_the_standby_missing_from_the_primarys_members(lab):
    # witness-a sends its keep-alives to 10.9.9.9, never to witness-b: witness-b turns MASTER.
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "MASTER"},
                       declared={"witness-a": backup(10, members=["10.9.9.9"]), "witness-b": backup(8)})
    assessment = judge(lab, loaded)
    assert status(assessment, "TRD506", "witness-b") == [Status.FAIL]
    assert status(assessment, "TRD508") == [Status.FAIL]
    assert status(assessment, "TRD503", "witness-b") == [Status.FAIL]
    assert "not among witness-a's backup members" in answer_production(loaded.plan, assessment).detail


def test_equal_priorities_leave_the_choice_to_ip_order(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 8)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"},
                       declared={"witness-a": backup(8), "witness-b": backup(8)})
    assessment = judge(lab, loaded)
    assert status(assessment, "TRD507", "witness-b") == [Status.FAIL]
    assert status(assessment, "TRD508") == [Status.PASS]
    assert status(assessment, "TRD503", "witness-b") == [Status.FAIL]
    assert "same backup priority (8)" in answer_production(loaded.plan, assessment).detail


def test_split_brain_both_report_master(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "MASTER"})
    assessment = judge(lab, loaded)
    [brain] = [f for f in assessment.findings if f.rule == "TRD508"]
    assert brain.status is Status.FAIL
    assert "witness-a and witness-b both report backup status MASTER" in brain.message
    assert status(assessment, "TRD503", "witness-b") == [Status.FAIL]


def test_a_standby_behind_the_network_is_not_ready(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"},
                       b_lag=100)
    assessment = judge(lab, loaded)
    [standby] = [f for f in assessment.findings if f.rule == "TRD503"]
    assert standby.status is Status.FAIL and "witness-b is not in sync" in standby.message


def test_the_declared_mode_differs_from_what_the_node_reports(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 12)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    assessment = judge(lab, loaded)
    [differs] = [f for f in assessment.findings if f.rule == "TRD509" and f.node == "witness-a"]
    assert differs.status is Status.FAIL and "priority declared 10, reported 12" in differs.message
    assert status(assessment, "TRD503", "witness-b") == [Status.PASS]  # java-tron acts on what it runs


def _stop_producing(lab: Lab, slots_behind: int) -> None:
    for node in lab.nodes:
        entry = next(w for w in node.witnesses if w["address"] == SR_HEX)
        entry["latestSlotNum"] = HEAD + 4 - slots_behind  # the head's slot is HEAD + 4 in the lab


def test_a_witness_that_stopped_producing_is_a_finding_without_a_previous_snapshot(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    _stop_producing(lab, slots_behind=200)
    assessment = judge(lab, loaded)
    [stopped] = [f for f in assessment.findings if f.rule == "TRD706"]
    assert stopped.status is Status.FAIL and "200 slots behind the head" in stopped.message
    record = answer_record(assessment)
    assert record.headline == "No: production stopped"
    assert "412,332 blocks produced" in record.detail


def test_a_witness_one_round_behind_still_produces(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    _stop_producing(lab, slots_behind=29)  # a round of 27 and a maintenance period's 2 skipped slots
    assert status(judge(lab, loaded), "TRD706") == [Status.PASS]


def test_the_chains_word_wins_over_the_plans_elected(lab):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    for node in lab.nodes:
        next(w for w in node.witnesses if w["address"] == SR_HEX)["isJobs"] = False
    assessment = judge(lab, loaded)
    assert loaded.plan.organization.elected is True
    [differs] = [f for f in assessment.findings if f.rule == "TRD705"]
    assert differs.status is Status.FAIL and "the chain lists the SR as not elected" in differs.message
    assert assessment.node("witness-a").impact.elected is False
    assert assessment.node("witness-a").impact.blocks_at_risk == 0
    assert status(assessment, "TRD706") == []  # not elected: no slot to produce
    blocks = answer_blocks(loaded.plan, assessment)
    assert blocks.headline == "None" and "the chain lists it" in blocks.detail


@pytest.mark.parametrize("reference", [False, True])
def test_nodes_all_stuck_at_one_height_do_not_pass(lab, reference):
    loaded, _ = estate(lab, {"backup": (10001, 1, 10)}, {"backup": (10001, 1, 8), "backup_status": "SLAVER"})
    for node in lab.nodes:
        node.stall()
    lab.clock.advance(600)  # ten minutes later, no node moved
    public = None
    if reference:
        public = lab.node()  # started after the stall: it follows the network
    out_config = config(reference_endpoint=public.full_url) if public else config()
    out = javatron.collect(out_config, CollectContext(plan=loaded.plan, now=lab.now))
    assert {s.lag_basis for s in out.node_status} == {"reference" if reference else "own nodes"}
    if not reference:
        assert {s.lag_blocks for s in out.node_status} == {0}  # they all agree with each other...
    state = example_state(NOW).model_copy(update={"node_status": out.node_status, "witness": out.witness})
    assessment = evaluate(loaded, apply_ops(state, FRESH_REPLICA), as_of=NOW + dt.timedelta(minutes=10))
    lag = {f.node: f for f in assessment.findings if f.rule == "TRD702"}
    # ...but a head ten minutes old is behind: no full node passes on stale data.
    for name in ("witness-a", "witness-b", "full-01", "full-aws-01"):
        assert lag[name].status is Status.FAIL, name
        assert "its head block is 600 s old" in lag[name].message
    # The solidity API gives no head time: judged by the reference lag, else unknown.
    assert lag["solidity-01"].status is (Status.FAIL if reference else Status.UNKNOWN)
    assert status(assessment, "TRD503", "witness-b") == [Status.FAIL]

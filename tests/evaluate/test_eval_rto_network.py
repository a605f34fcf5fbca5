"""RTO as the network sees it: recovery until the node serves the chain again, catch-up included."""

from __future__ import annotations

import datetime as dt

from tests.evaluate.cases import patch_plan, state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate

M = dt.timedelta(minutes=1)
PUBLISHED = {"add_run": {"id": "ir-1", "kind": "instant_recovery", "assets": ["tron-full-01"],
                         "started": "72h", "finished": "66h", "result": "success"}}  # published for six hours


def _runs(assessment, node: str, name: str):
    return [r for r in assessment.node(node).rto.runs if r.name == name]


def test_instant_recovery_published_for_hours_is_not_a_six_hour_rto(loaded):
    assessment = evaluate(loaded, state_for([PUBLISHED]), as_of=AS_OF)
    [run] = _runs(assessment, "full-01", "ir-1")
    assert run.duration == dt.timedelta(hours=6) and run.excluded and "published" in run.excluded
    rto = assessment.node("full-01").rto
    assert rto.latest == dt.timedelta(minutes=24, seconds=10)  # still the drill: the session is not counted
    assert rto.worst == dt.timedelta(minutes=24, seconds=10)
    verdicts = [f.status.value for f in assessment.findings if f.rule == "TRD602" and f.node == "full-01"]
    assert verdicts == ["pass"]


def test_instant_recovery_counts_until_the_vm_was_running_plus_catch_up(loaded):
    running = {"add_run": {**PUBLISHED["add_run"], "ready": "4316m"}}  # running 4 minutes after the start
    assessment = evaluate(loaded, state_for([running]), as_of=AS_OF)
    [run] = _runs(assessment, "full-01", "ir-1")
    assert (run.duration, run.catch_up, run.catch_up_basis, run.outage, run.excluded) == (
        4 * M, 5 * M, "declared", 9 * M, None)
    assert assessment.node("full-01").rto.latest == 9 * M


def test_a_component_session_inside_a_full_drill_does_not_win_over_the_drill(loaded):
    # The example: Veeam's planned failover (07:00:40–07:21:05) ran inside the recorded drill
    # of 'TRON site failover' (07:00–07:24:10, in sync at 07:23).
    assessment = evaluate(loaded, state_for(), as_of=AS_OF)
    [plan] = assessment.failover_plans
    session = next(r for r in plan.runs if r.source == "veeam")
    assert session.excluded and "part of the drill 'failover to replica'" in session.excluded
    drill = next(r for r in plan.runs if r.source == "drill")
    assert (drill.catch_up_basis, drill.outage) == ("measured", dt.timedelta(minutes=24, seconds=10))
    assert plan.latest == plan.worst == dt.timedelta(minutes=24, seconds=10)
    assert plan.last_test == dt.datetime(2026, 7, 14, 7, 0, tzinfo=dt.UTC)  # the drill's start


def test_a_session_outside_any_drill_still_counts(loaded):
    later = {"add_run": {"id": "fo-2", "kind": "failover", "assets": ["tron-full-01"], "started": "2d",
                         "finished": "2870m", "result": "success"}}
    assessment = evaluate(loaded, state_for([later]), as_of=AS_OF)
    [run] = _runs(assessment, "full-01", "fo-2")
    assert run.excluded is None and run.outage == 15 * M  # 10 minutes + the declared 5 to sync
    assert assessment.node("full-01").rto.latest == 15 * M


def test_a_watched_drill_uses_the_measured_catch_up_not_the_declared_one(loaded):
    watched = {"drills+": [{"node": "full-aws-01", "scenario": "restore from snapshot", "result": "success",
                            "started": "2026-11-10T09:00:00Z", "finished": "2026-11-10T09:06:00Z",
                            "caught_up": "2026-11-10T09:08:00Z"}]}
    assessment = evaluate(patch_plan(loaded, watched), state_for(), as_of=AS_OF)
    [run] = _runs(assessment, "full-aws-01", "restore from snapshot")
    assert (run.catch_up, run.catch_up_basis, run.outage) == (2 * M, "measured", 8 * M)

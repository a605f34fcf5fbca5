"""RTO evidence: measured recoveries (restores, failovers, SureBackup, drills) against the target.

``latest``/``worst`` use completed recoveries that did not fail (a failed run measures no
recovery). A DR *test* is a drill recorded in the plan or a drill/failover run from a
source; SureBackup and restores measure recovery times but are not DR tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from trondocs.evaluate.models import FailoverPlanEvidence, RecoveryMeasurement, RtoEvidence
from trondocs.plan.models import Drill
from trondocs.state.models import RecoveryKind, RecoveryRun

# Undoing a test failover returns to production: it recovers nothing, so it is no RTO evidence.
NOT_RECOVERIES = {RecoveryKind.FILE_RESTORE.value, "undo_failover", "undo_failback"}
TEST_KINDS = {RecoveryKind.DRILL.value, RecoveryKind.PLANNED_FAILOVER.value, RecoveryKind.FAILOVER.value}
FAILED_RESULTS = {"failed", "partial", "error", "canceled", "cancelled"}
DRILL = "drill"


def from_drill(drill: Drill) -> RecoveryMeasurement:
    return RecoveryMeasurement(source=DRILL, kind=DRILL, name=drill.scenario, plan=drill.plan,
                               started=drill.started, finished=drill.finished,
                               duration=drill.duration, result=drill.result.value)


def from_run(run: RecoveryRun) -> RecoveryMeasurement:
    return RecoveryMeasurement(source=run.source, kind=str(getattr(run.kind, "value", run.kind)),
                               name=run.name, plan=run.plan, started=run.started,
                               finished=run.finished, duration=run.duration, result=run.result)


def measured(runs: Iterable[RecoveryMeasurement]) -> list[RecoveryMeasurement]:
    """Completed recoveries that did not fail, oldest first."""
    return sorted((r for r in runs if r.duration is not None and r.kind not in NOT_RECOVERIES
                   and r.result.lower() not in FAILED_RESULTS and r.result.lower() != "running"),
                  key=lambda r: (r.started, r.name or ""))


def tests(runs: Iterable[RecoveryMeasurement]) -> list[RecoveryMeasurement]:
    """DR tests (any result), oldest first."""
    return sorted((r for r in runs if r.kind in TEST_KINDS), key=lambda r: (r.started, r.name or ""))


def is_failed(run: RecoveryMeasurement) -> bool:
    return run.result.lower() in FAILED_RESULTS


def _figures(runs: list[RecoveryMeasurement], test_every: dt.timedelta | None, as_of: dt.datetime):
    runs = sorted((r for r in runs if r.started <= as_of), key=lambda r: (r.started, r.source, r.name or ""))
    done = measured(runs)
    tested = tests(runs)
    last = tested[-1].started if tested else None
    return dict(
        latest=done[-1].duration if done else None,
        worst=max((r.duration for r in done), default=None),
        last_test=last,
        next_test_due=last + test_every if last is not None and test_every is not None else None,
        runs=runs,
    )


def node_rto(target: dt.timedelta, test_every: dt.timedelta | None,
             runs: list[RecoveryMeasurement], as_of: dt.datetime) -> RtoEvidence:
    return RtoEvidence(target=target, **_figures(runs, test_every, as_of))


def failover_plan_rto(name: str, target: dt.timedelta, test_every: dt.timedelta | None,
                      runs: list[RecoveryMeasurement], as_of: dt.datetime) -> FailoverPlanEvidence:
    return FailoverPlanEvidence(name=name, target=target, **_figures(runs, test_every, as_of))

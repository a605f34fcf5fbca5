"""RTO evidence: measured recoveries (restores, failovers, SureBackup, drills) against the target.

The RTO is the outage as the network sees it: until the recovered node serves the chain again,
i.e. the recovery's duration plus its catch-up with the network (measured by ``drill watch``,
else the node's declared ``catch_up``). ``latest``/``worst`` use completed recoveries that did
not fail (a failed run measures no recovery) and that are not excluded: an instant recovery
without the time its VM was running (it stays "running" while published, for hours), and a
component session inside a recorded drill (the drill measures the whole recovery). A DR *test*
is a drill recorded in the plan or a drill/failover run from a source; SureBackup and restores
measure recovery times but are not DR tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from trondocs.evaluate.models import CatchUpBasis, FailoverPlanEvidence, RecoveryMeasurement, RtoEvidence
from trondocs.plan.models import Drill
from trondocs.state.models import RESULT_RUNNING, RecoveryKind, RecoveryRun

# Undoing a test failover returns to production: it recovers nothing, so it is no RTO evidence.
NOT_RECOVERIES = {RecoveryKind.FILE_RESTORE.value, "undo_failover", "undo_failback"}
TEST_KINDS = {RecoveryKind.DRILL.value, RecoveryKind.PLANNED_FAILOVER.value, RecoveryKind.FAILOVER.value}
FAILED_RESULTS = {"failed", "partial", "error", "canceled", "cancelled"}
DRILL = "drill"


def from_drill(drill: Drill) -> RecoveryMeasurement:
    catch_up = basis = outage = None
    if drill.caught_up is not None:  # measured: the node was back in sync then
        end = max(drill.caught_up, drill.finished)
        catch_up, basis, outage = end - drill.finished, CatchUpBasis.MEASURED, end - drill.started
    return RecoveryMeasurement(source=DRILL, kind=DRILL, name=drill.scenario, plan=drill.plan,
                               started=drill.started, finished=drill.finished,
                               duration=drill.duration, result=drill.result.value,
                               catch_up=catch_up, catch_up_basis=basis, outage=outage)


def from_run(run: RecoveryRun) -> RecoveryMeasurement:
    kind = str(getattr(run.kind, "value", run.kind))
    duration, excluded = run.duration, None
    if run.ready is not None:  # the system said when the VM was running: that ends the recovery
        duration = run.ready - run.started
    elif kind == RecoveryKind.INSTANT_RECOVERY.value:
        excluded = ("an instant recovery stays published until it is migrated or stopped; the source "
                    "does not say when the VM was running, so its duration is no recovery time")
    return RecoveryMeasurement(source=run.source, kind=kind, name=run.name, plan=run.plan,
                               started=run.started, finished=run.finished, duration=duration,
                               result=run.result, excluded=excluded)


def with_catch_up(run: RecoveryMeasurement, declared: dt.timedelta | None) -> RecoveryMeasurement:
    """The run's outage: its duration plus the catch-up (measured, else declared, else unknown)."""
    if run.outage is not None or run.duration is None:
        return run
    if declared is None:
        return run.model_copy(update={"outage": run.duration})
    return run.model_copy(update={"catch_up": declared, "catch_up_basis": CatchUpBasis.DECLARED,
                                  "outage": run.duration + declared})


def fold_components(runs: list[RecoveryMeasurement]) -> list[RecoveryMeasurement]:
    """A source's session inside a recorded drill is part of that drill: excluded, the drill counts."""
    drills = [r for r in runs if r.source == DRILL]
    out = []
    for run in runs:
        if run.source != DRILL and run.excluded is None:
            end = run.finished or run.started
            host = next((d for d in drills if d.started <= run.started and d.finished is not None
                         and end <= d.finished), None)
            if host is not None:
                run = run.model_copy(update={"excluded": f"part of the drill '{host.name}' "
                                             f"({host.started:%Y-%m-%d}), which measures the whole recovery"})
        out.append(run)
    return out


def measured(runs: Iterable[RecoveryMeasurement]) -> list[RecoveryMeasurement]:
    """Completed recoveries that did not fail and are not excluded, oldest first."""
    return sorted((r for r in runs if r.duration is not None and r.kind not in NOT_RECOVERIES
                   and r.excluded is None
                   and r.result.lower() not in FAILED_RESULTS and r.result.lower() != RESULT_RUNNING),
                  key=lambda r: (r.started, r.name or ""))


def tests(runs: Iterable[RecoveryMeasurement]) -> list[RecoveryMeasurement]:
    """DR tests (any result) that are not part of a recorded drill, oldest first."""
    return sorted((r for r in runs if r.kind in TEST_KINDS and r.excluded is None),
                  key=lambda r: (r.started, r.name or ""))


def is_failed(run: RecoveryMeasurement) -> bool:
    return run.result.lower() in FAILED_RESULTS


def _figures(runs: list[RecoveryMeasurement], test_every: dt.timedelta | None, as_of: dt.datetime,
             catch_up: dt.timedelta | None = None):
    runs = sorted((r for r in runs if r.started <= as_of), key=lambda r: (r.started, r.source, r.name or ""))
    runs = [with_catch_up(r, catch_up) for r in fold_components(runs)]
    done = measured(runs)
    tested = tests(runs)
    last = tested[-1].started if tested else None
    return dict(
        latest=done[-1].outage if done else None,
        worst=max((r.outage for r in done if r.outage is not None), default=None),
        last_test=last,
        next_test_due=last + test_every if last is not None and test_every is not None else None,
        runs=runs,
    )


def node_rto(target: dt.timedelta, test_every: dt.timedelta | None,
             runs: list[RecoveryMeasurement], as_of: dt.datetime,
             catch_up: dt.timedelta | None = None) -> RtoEvidence:
    return RtoEvidence(target=target, **_figures(runs, test_every, as_of, catch_up))


def failover_plan_rto(name: str, target: dt.timedelta, test_every: dt.timedelta | None,
                      runs: list[RecoveryMeasurement], as_of: dt.datetime,
                      catch_up: dt.timedelta | None = None) -> FailoverPlanEvidence:
    return FailoverPlanEvidence(name=name, target=target, **_figures(runs, test_every, as_of, catch_up))

"""The evidence history as the commands use it: the baseline a run compares with, and
readiness over time (the snapshots, each evaluated as it was collected).

Evaluation stays pure: this workflow step loads past snapshots and evaluates each against
today's plan at its own collection time, then hands the renderers plain points to draw.
"""

from __future__ import annotations

from pathlib import Path

from trondocs.diagnostics import PlanError
from trondocs.evaluate.models import Assessment
from trondocs.plan.loaded import LoadedPlan
from trondocs.render.svg import ReadinessPoint
from trondocs.state.history import previous_snapshot, snapshots
from trondocs.state.io import load_state
from trondocs.state.models import State

# The chart shows the latest snapshots only: older ones cost an evaluation each and would
# crowd the bars into hairlines.
HISTORY_LIMIT = 30


def resolve_baseline(baseline_file: Path | None, history: Path | None,
                     state: State) -> tuple[State | None, str | None]:
    """The state to compare ``state`` with, and how to name it to the operator: ``baseline_file``
    when given, else the snapshot in ``history`` collected before it, else none."""
    if baseline_file is not None:
        return load_state(baseline_file), str(baseline_file)
    found = previous_snapshot(history, state) if history is not None else None
    if found is None:
        return None, None
    return found, f"{history} ({found.collection.finished:%Y-%m-%d %H:%M}Z)"


def readiness_point(assessment: Assessment) -> ReadinessPoint:
    """What the history chart shows of one assessment: its own verdict and summary counts."""
    from trondocs.evaluate.models import Status

    return ReadinessPoint(
        at=assessment.as_of, verdict=assessment.verdict,
        failing=assessment.summary.count(Status.FAIL),
        ages=tuple((n.node, n.rpo.newest_age if n.rpo.known else None) for n in assessment.nodes))


def readiness_history(loaded: LoadedPlan, history: Path | None, state: State,
                      assessment: Assessment, *, limit: int = HISTORY_LIMIT) -> list[ReadinessPoint]:
    """The snapshots collected before ``state`` (newest ``limit - 1``), then the current one."""
    from trondocs.evaluate import evaluate

    current = state.collection.finished
    earlier: list[ReadinessPoint] = []
    if history is not None:
        for path in reversed(snapshots(history)):
            if len(earlier) >= limit - 1:
                break
            try:
                past = load_state(path)
            except (OSError, ValueError, PlanError):  # unreadable: a gap in the chart, not a failed build
                continue
            if past.collection.finished >= current:
                continue  # the current run's own snapshot, or one from its future
            earlier.append(readiness_point(evaluate(loaded, past, as_of=past.collection.finished)))
    return [*reversed(earlier), readiness_point(assessment)]

"""Evaluation: plan + state (+ baseline) at ``as_of`` → Assessment. Pure: no IO, no clock."""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.baseline import compare
from trondocs.evaluate.context import build_context
from trondocs.evaluate.engine import assemble, run_rules
from trondocs.evaluate.models import Assessment
from trondocs.gcpause import gc_paused
from trondocs.plan.loader import LoadedPlan
from trondocs.state.models import State

DEFAULT_WINDOW = dt.timedelta(days=7)

__all__ = ["DEFAULT_WINDOW", "evaluate"]


def evaluate(loaded: LoadedPlan, state: State, *, as_of: dt.datetime, baseline: State | None = None,
             window: dt.timedelta = DEFAULT_WINDOW) -> Assessment:
    """Judge ``state`` against the plan at ``as_of``; with ``baseline``, mark what changed since.

    The baseline is judged at its own collection time, with the same plan and window.
    """
    if as_of.tzinfo is None:
        raise ValueError("as_of must carry a time zone (e.g. datetime.UTC)")
    with gc_paused():  # evidence and findings are acyclic: see trondocs.gcpause
        current = _assess(loaded, state, as_of, window, previous=baseline)
        if baseline is None:
            return current
        before = _assess(loaded, baseline, baseline.collection.finished, window, previous=None)
        return compare(current, before)


def _assess(loaded: LoadedPlan, state: State, as_of: dt.datetime, window: dt.timedelta,
            previous: State | None) -> Assessment:
    ctx = build_context(loaded, state, as_of=as_of, window=window, previous=previous)
    return assemble(ctx, run_rules(ctx))

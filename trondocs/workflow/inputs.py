"""The inputs every command reads the same way: the plan in an inventory, and a saved state
with the plan as of its time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from trondocs.plan.loaded import LoadedPlan
from trondocs.state.models import State


def known_rule_ids() -> set[str]:
    """Rule IDs of the catalogue, so waivers of unknown rules are caught."""
    from trondocs.evaluate.rules import rule_ids

    return rule_ids()


def load_inventory(inventory: Path, today: dt.date | None = None) -> LoadedPlan:
    """The plan in ``inventory``, its waivers checked against the rule catalogue (PlanError if unusable)."""
    from trondocs.plan.loader import load_plan

    return load_plan(inventory, today=today, known_rules=known_rule_ids())


def load_saved(inventory: Path, state_file: Path,
               as_of: dt.datetime | None) -> tuple[LoadedPlan, State, dt.datetime]:
    """A saved state, the time it is judged at (``as_of``, else when it was collected) and the plan
    as of that day (waivers expire by it). The state is read first: its errors come first."""
    from trondocs.state.io import load_state

    state = load_state(state_file)
    when = as_of or state.collection.finished
    return load_inventory(inventory, today=when.date()), state, when

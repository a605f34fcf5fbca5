"""``trondocs validate``: the plan and sources.yaml checked together, every problem at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trondocs.diagnostics import Diagnostic, Level, PlanError, by_place
from trondocs.wording import count_noun
from trondocs.workflow.inputs import load_inventory
from trondocs.workflow.outcome import ExitCode


@dataclass(frozen=True)
class ValidateRequest:
    inventory: Path
    strict: bool = False  # warnings fail too (exit 2)


@dataclass(frozen=True)
class ValidateOutcome:
    warnings: list[Diagnostic]  # sorted by file and line
    summary: str  # "inventory: valid — 5 nodes, …, 3 sources, 2 warnings"
    exit_code: ExitCode


def run(request: ValidateRequest) -> ValidateOutcome:
    """Raises PlanError with the problems of both files, sorted by place, when any is an error."""
    from trondocs.collectors.sources import load_sources
    from trondocs.plan.checks import plan_summary

    inventory = request.inventory
    loaded, problems = None, []
    try:
        loaded = load_inventory(inventory)
        problems.extend(loaded.warnings)
    except PlanError as exc:
        problems.extend(exc.diagnostics)
    sources = []
    if loaded is not None or inventory.is_dir():
        try:
            sources = load_sources(inventory)
        except PlanError as exc:
            problems.extend(exc.diagnostics)
    problems.sort(key=by_place)
    if loaded is None or any(d.level is Level.ERROR for d in problems):
        raise PlanError(problems)
    summary = (f"{inventory}: valid — {plan_summary(loaded.plan)}, {count_noun(len(sources), 'source')}"
               + (f", {count_noun(len(problems), 'warning')}" if problems else ""))
    return ValidateOutcome(warnings=problems, summary=summary,
                           exit_code=ExitCode.USAGE if request.strict and problems else ExitCode.OK)

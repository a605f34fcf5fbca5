"""``trondocs rules``: the rule catalogue in one of its formats."""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.workflow.outcome import ExitCode


@dataclass(frozen=True)
class RulesRequest:
    format: str = "text"  # a format of render/drift/catalogue.py


@dataclass(frozen=True)
class RulesOutcome:
    text: str
    exit_code: ExitCode = ExitCode.OK


def run(request: RulesRequest) -> RulesOutcome:
    from trondocs.evaluate.rules import catalogue
    from trondocs.render.drift.catalogue import render_rules

    return RulesOutcome(text=render_rules([rule.info for rule in catalogue()], request.format))

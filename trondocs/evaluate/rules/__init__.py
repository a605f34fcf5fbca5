"""The rule catalogue: one module per family. Adding a family = one module + one line here."""

from __future__ import annotations

from types import ModuleType

from trondocs.evaluate.rules import (
    copies,
    drills,
    failover,
    health,
    hygiene,
    identity,
    jobs,
    rpo,
    waivers,
)
from trondocs.evaluate.rules.base import Result, Rule

FAMILIES: list[ModuleType] = [identity, jobs, rpo, copies, failover, drills, health, waivers, hygiene]

__all__ = ["FAMILIES", "Result", "Rule", "catalogue", "rule_ids", "rules_of"]


def rules_of(module: ModuleType) -> list[Rule]:
    return sorted((v for v in vars(module).values() if isinstance(v, Rule)), key=lambda r: r.id)


def catalogue() -> list[Rule]:
    """Every rule, by ID."""
    return sorted((r for module in FAMILIES for r in rules_of(module)), key=lambda r: r.id)


def rule_ids() -> set[str]:
    """The catalogue's IDs: waivers naming anything else are plan errors."""
    return {rule.id for rule in catalogue()}

"""A plan that passed validation, with where each part was declared (its own module, so that
the loader and the checks both import it and neither imports the other)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trondocs.diagnostics import Diagnostic, Location
from trondocs.plan.models import Plan
from trondocs.plan.yamlsource import SourceMap


@dataclass
class LoadedPlan:
    """A valid plan with the place each part was declared and the warnings found."""

    plan: Plan
    source_map: SourceMap
    warnings: list[Diagnostic] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def locate(self, section: str, name: str | None = None, *rest: str | int) -> Location | None:
        """Location of a named item: ``locate("nodes", "witness-a", "endpoint")``."""
        if name is None:
            return self.source_map.locate((section,))
        items = getattr(self.plan, section, [])
        for index, item in enumerate(items):
            if getattr(item, "name", None) == name:
                return self.source_map.locate((section, index, *rest))
        return self.source_map.locate((section,))

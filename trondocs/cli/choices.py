"""The values command-line options accept, each read from the enum or registry that defines it.

Nothing is retyped here: a new severity, output format, paper size or detail level reaches
``--help``, validation and shell completion on its own. The values are read when click first
needs them, so the CLI (and every TAB of shell completion) starts without importing
evaluation or the renderers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum

import click
from click.shell_completion import CompletionItem


class LazyChoice(click.Choice):
    """A ``click.Choice`` whose values ``values()`` gives the first time click asks for them."""

    def __init__(self, values: Callable[[], Iterable[str]], case_sensitive: bool = True) -> None:
        # Choice.__init__ would read the values now; these are the two attributes it sets.
        self._values = values
        self._read: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        if self._read is None:
            self._read = tuple(self._values())
        return self._read


class FormatSpec(click.ParamType):
    """``FORMAT[=FILE]``: the help and completion list the registry's formats; the caller
    parses and checks the value (an unknown format names the known ones)."""

    name = "format"

    def __init__(self, formats: Callable[[], Iterable[str]]) -> None:
        self._formats = formats

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"[{'|'.join(self._formats())}][=FILE]"

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(f) for f in self._formats() if f.startswith(incomplete)]


class ColorMode(StrEnum):
    AUTO = "auto"  # when standard output is a terminal and NO_COLOR is unset
    ALWAYS = "always"
    NEVER = "never"


def _severities() -> list[str]:
    from trondocs.evaluate.models import Severity

    return [s.value for s in Severity]


def _fail_on() -> list[str]:
    from trondocs.workflow.drift import FAIL_ON_CHOICES

    return FAIL_ON_CHOICES


def _drift_formats() -> list[str]:
    from trondocs.render.drift import FORMATS

    return list(FORMATS)


def _rules_formats() -> tuple[str, ...]:
    from trondocs.render.drift.catalogue import RULE_FORMATS

    return RULE_FORMATS


def _paper_sizes() -> list[str]:
    from trondocs.plan.models import PaperSize

    return [p.value for p in PaperSize]


def _pdf_variants() -> tuple[str, ...]:
    from trondocs.render.report.pdf import PDF_VARIANTS

    return PDF_VARIANTS


def _detail_levels() -> list[str]:
    from trondocs.render.report.detail import DetailLevel

    return [d.value for d in DetailLevel]


def _ci_providers() -> list[str]:
    from trondocs.workflow.init import CiProvider

    return [c.value for c in CiProvider]


def _drill_results() -> list[str]:
    from trondocs.plan.models import DrillResult

    return [r.value for r in DrillResult]


SEVERITY = LazyChoice(_severities)
FAIL_ON = LazyChoice(_fail_on)
DRIFT_FORMAT = FormatSpec(_drift_formats)
RULES_FORMAT = LazyChoice(_rules_formats)
COLOR = click.Choice([c.value for c in ColorMode])
PAPER = LazyChoice(_paper_sizes, case_sensitive=False)
PDF_VARIANT = LazyChoice(_pdf_variants, case_sensitive=False)
DETAIL = LazyChoice(_detail_levels)
# What --detail does, said once for report and build (render/report/detail.py decides it).
DETAIL_HELP = ("How much of each node the PDF prints. auto: every node in full for an SR-sized estate; "
               "beyond it, a compact section for each node that fails or is unknown, worst first, and "
               "the rest counted. problems: only the nodes that fail or are unknown. all: every node in "
               "full, with the per-node appendix.")
DRILL_RESULT = LazyChoice(_drill_results)
CI_PROVIDER = LazyChoice(_ci_providers)

"""site and build: plan + state (+ baseline) → evaluate → the DR plan site (→ the PDF report).

``run_site`` renders a site from a saved state; ``run_build`` is the whole pipeline in one
call — collect (or a saved state), drift, site, report — reporting each step to ``progress``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trondocs import __version__
from trondocs.diagnostics import Diagnostic, Level, PlanError
from trondocs.evaluate.models import Assessment
from trondocs.plan.loader import LoadedPlan
from trondocs.render.escape import one_line
from trondocs.render.site import SiteData, SiteResult, build_site
from trondocs.render.svg import ReadinessPoint
from trondocs.state.history import previous_snapshot
from trondocs.state.io import load_state
from trondocs.state.models import State
from trondocs.workflow.history import readiness_history

Progress = Callable[[str], None]
REPORT_NAME = "report.pdf"


def _quiet(_message: str) -> None:
    pass


def inventory_dir(inventory: Path) -> Path:
    inventory = Path(inventory)
    return inventory if inventory.is_dir() else inventory.parent


def user_template_dirs(inventory: Path) -> list[Path]:
    """Where a user's templates override the built-ins by name: ``templates/`` in the inventory,
    then ``templates/`` beside it (``site/index.md.j2`` there replaces the dashboard)."""
    folder = inventory_dir(inventory)
    return [p for p in (folder / "templates", folder.parent / "templates") if p.is_dir()]


def logo_file(loaded: LoadedPlan, inventory: Path) -> Path | None:
    """The logo named in settings, relative to the inventory; a missing file is a plan error."""
    logo = loaded.plan.settings.logo
    if not logo:
        return None
    path = inventory_dir(inventory) / logo
    if not path.is_file():
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="missing-logo", message=f"settings.logo: {path} does not exist",
            hint="give the logo's path relative to the inventory folder, or remove 'logo'",
            location=loaded.locate("settings"))])
    return path


def report_available() -> bool:
    """True once the PDF report stage is installed (``trondocs.workflow.report``)."""
    return importlib.util.find_spec("trondocs.workflow.report") is not None


@dataclass
class SiteOutcome:
    assessment: Assessment
    site: SiteResult
    state: State
    report: Path | None = None
    baseline_from: str | None = None
    steps: list[str] = field(default_factory=list)


def _evaluate(loaded: LoadedPlan, state: State, as_of: dt.datetime | None,
              baseline: State | None) -> Assessment:
    from trondocs.evaluate import evaluate

    return evaluate(loaded, state, as_of=as_of or state.collection.finished, baseline=baseline)


def _rules() -> list:
    from trondocs.evaluate.rules import catalogue

    return [rule.info for rule in catalogue()]


def render(loaded: LoadedPlan, state: State, assessment: Assessment, inventory: Path, output: Path, *,
           baseline: State | None = None, report_pdf: bool = False,
           history: list[ReadinessPoint] | None = None, progress: Progress = _quiet) -> SiteResult:
    """Build the site from an assessment already made (``history``: the readiness chart's points)."""
    data = SiteData(plan=loaded.plan, state=state, assessment=assessment, rules=_rules(),
                    report_pdf=report_pdf, trondocs_version=__version__, baseline=baseline,
                    history=list(history or []))
    return build_site(data, output, user_templates=user_template_dirs(inventory),
                      logo=logo_file(loaded, inventory), progress=progress,
                      keep=(REPORT_NAME,) if report_pdf else ())


def run_site(loaded: LoadedPlan, state: State, inventory: Path, output: Path, *,
             as_of: dt.datetime | None = None, baseline: State | None = None,
             progress: Progress = _quiet) -> SiteOutcome:
    """``trondocs site``: evaluate the saved state and publish the site into ``output``."""
    progress("evaluating the plan against the state")
    assessment = _evaluate(loaded, state, as_of, baseline)
    site = render(loaded, state, assessment, inventory, output, baseline=baseline, progress=progress)
    return SiteOutcome(assessment=assessment, site=site, state=state)


def run_build(loaded: LoadedPlan, inventory: Path, output: Path, *, state_file: Path | None = None,
              baseline_file: Path | None = None, as_of: dt.datetime | None = None,
              history: Path | None = Path("evidence"), progress: Progress = _quiet,
              collect_progress: Callable[[str, int], None] | None = None,
              detail: str = "auto") -> SiteOutcome:
    """``trondocs build``: collect (or read ``state_file``) → drift → site → report (``detail``:
    which nodes the PDF shows in detail)."""
    steps: list[str] = []
    if state_file is not None:
        progress(f"1/4 reading the state from {state_file}")
        state = load_state(state_file)
    else:
        from trondocs.workflow.collect import run_collect

        progress("1/4 collecting from the sources in sources.yaml")
        result = run_collect(loaded, inventory, history=history, progress=collect_progress)
        state = result.state
        if result.snapshot is not None:
            steps.append(f"appended the snapshot to {result.snapshot}")
    failed = [one_line(s.name) for s in state.collection.sources if not s.ok]
    if failed:
        steps.append(f"sources that failed (their checks are UNKNOWN): {', '.join(failed)}")
    baseline, baseline_from = None, None
    if baseline_file is not None:
        baseline, baseline_from = load_state(baseline_file), str(baseline_file)
    elif history is not None:
        baseline = previous_snapshot(history, state)
        baseline_from = f"{history} ({baseline.collection.finished:%Y-%m-%d %H:%M}Z)" if baseline else None
    progress("2/4 checking the plan against the state (drift)")
    assessment = _evaluate(loaded, state, as_of, baseline)
    with_report = report_available()
    points = readiness_history(loaded, history, state, assessment) if history is not None else []
    progress(f"3/4 building the site in {output}")
    site = render(loaded, state, assessment, inventory, output, baseline=baseline, report_pdf=with_report,
                  history=points, progress=lambda m: progress(f"    {m}"))
    report = None
    # --- report step (issue: the PDF audit report) --------------------------------------------
    # The report stage writes site/report.pdf beside the pages; the site links it when present.
    if with_report:
        from trondocs.workflow.report import build_report

        progress("4/4 writing the PDF report")
        report = build_report(loaded, state, assessment, Path(output) / REPORT_NAME, detail=detail,
                              history=points)
    else:
        progress("4/4 PDF report: not available in this installation, skipped")
    # ------------------------------------------------------------------------------------------
    return SiteOutcome(assessment=assessment, site=site, state=state, report=report,
                       baseline_from=baseline_from, steps=steps)

"""``trondocs site``: plan + state (+ baseline) → evaluate → the DR plan website.

``run`` is the command; ``run_site`` publishes the website from a saved state; ``render`` is
the step that ``trondocs build`` (workflow/build.py) shares with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from trondocs import __version__
from trondocs.diagnostics import Diagnostic, Level, PlanError
from trondocs.evaluate.models import Assessment
from trondocs.plan.loaded import LoadedPlan
from trondocs.render.svg import ReadinessPoint
from trondocs.render.website import SiteBuildError, SiteData, SiteResult, build_site
from trondocs.state.models import State
from trondocs.workflow.history import readiness_history, resolve_baseline
from trondocs.workflow.inputs import load_inventory
from trondocs.workflow.outcome import ExitCode, UsageError

Progress = Callable[[str], None]
T = TypeVar("T")
REPORT_NAME = "report.pdf"


def no_progress(_message: str) -> None:
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


@dataclass
class SiteOutcome:
    assessment: Assessment
    site: SiteResult
    state: State
    report: Path | None = None
    baseline_from: str | None = None
    steps: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.OK


def assess(loaded: LoadedPlan, state: State, as_of: dt.datetime | None,
              baseline: State | None) -> Assessment:
    from trondocs.evaluate import evaluate

    return evaluate(loaded, state, as_of=as_of or state.collection.finished, baseline=baseline)


def _rules() -> list:
    from trondocs.evaluate.rules import catalogue

    return [rule.info for rule in catalogue()]


def render(loaded: LoadedPlan, state: State, assessment: Assessment, inventory: Path, output: Path, *,
           baseline: State | None = None, report_pdf: bool = False,
           history: list[ReadinessPoint] | None = None, progress: Progress = no_progress,
           separate_process: bool = False) -> SiteResult:
    """Build the site from an assessment already made (``history``: the readiness chart's points;
    ``separate_process``: mkdocs in a child process, see ``mkdocs_process``)."""
    data = SiteData(plan=loaded.plan, state=state, assessment=assessment, rules=_rules(),
                    report_pdf=report_pdf, trondocs_version=__version__, baseline=baseline,
                    history=list(history or []))
    return build_site(data, output, user_templates=user_template_dirs(inventory),
                      logo=logo_file(loaded, inventory), progress=progress,
                      keep=(REPORT_NAME,) if report_pdf else (), separate_process=separate_process)


def run_site(loaded: LoadedPlan, state: State, inventory: Path, output: Path, *,
             as_of: dt.datetime | None = None, baseline_file: Path | None = None,
             history: Path | None = None, progress: Progress = no_progress) -> SiteOutcome:
    """``trondocs site``: evaluate the saved state and publish the site into ``output``.

    ``history`` (the evidence folder, as for ``build``) gives the dashboard's readiness chart
    and, without ``baseline_file``, the baseline: the snapshot collected before ``state``."""
    baseline, baseline_from = resolve_baseline(baseline_file, history, state)
    progress("evaluating the plan against the state")
    assessment = assess(loaded, state, as_of, baseline)
    points = readiness_history(loaded, history, state, assessment)
    site = render(loaded, state, assessment, inventory, output, baseline=baseline, history=points,
                  progress=progress)
    return SiteOutcome(assessment=assessment, site=site, state=state, baseline_from=baseline_from)


def site_built(step: Callable[[], T]) -> T:
    """Run a step that publishes the site: a template or mkdocs failure is a refused request
    (one line, exit 2) with the previous site intact."""
    try:
        return step()
    except SiteBuildError as exc:
        raise UsageError(f"{exc} — the previous site was left as it was") from None


@dataclass(frozen=True)
class SiteRequest:
    inventory: Path
    state_file: Path
    output: Path = Path("site")
    baseline: Path | None = None  # None: the snapshot before the state in ``history``
    history: Path | None = Path("evidence")  # None: no chart, no default baseline
    as_of: dt.datetime | None = None  # None: when the state was collected
    progress: Progress = no_progress


def run(request: SiteRequest) -> SiteOutcome:
    """``trondocs site``: the plan, then the saved state, then the published site."""
    from trondocs.state.io import load_state

    loaded = load_inventory(request.inventory)
    state = load_state(request.state_file)
    return site_built(lambda: run_site(loaded, state, request.inventory, request.output, as_of=request.as_of,
                                       baseline_file=request.baseline, history=request.history,
                                       progress=request.progress))

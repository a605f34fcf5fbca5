"""``trondocs build``: the whole pipeline in one call — collect (or a saved state), drift,
website, PDF report — reporting each step to ``progress``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from trondocs.evaluate.models import Severity
from trondocs.plan.loaded import LoadedPlan
from trondocs.render.escape import one_line
from trondocs.state.io import load_state
from trondocs.workflow.collect import SourceProgress
from trondocs.workflow.history import readiness_history, resolve_baseline
from trondocs.workflow.inputs import load_inventory
from trondocs.workflow.outcome import exit_code
from trondocs.workflow.report import build_report
from trondocs.workflow.website import (
    REPORT_NAME,
    Progress,
    SiteOutcome,
    assess,
    no_progress,
    render,
    site_built,
)


def run_build(loaded: LoadedPlan, inventory: Path, output: Path, *, state_file: Path | None = None,
              baseline_file: Path | None = None, as_of: dt.datetime | None = None,
              history: Path | None = Path("evidence"), progress: Progress = no_progress,
              collect_progress: SourceProgress | None = None,
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
    baseline, baseline_from = resolve_baseline(baseline_file, history, state)
    progress("2/4 checking the plan against the state (drift)")
    assessment = assess(loaded, state, as_of, baseline)
    points = readiness_history(loaded, history, state, assessment)
    progress(f"3/4 building the site in {output}")
    # mkdocs runs in a child process: what it builds for a large site is given back to the
    # system when it exits, before the PDF is laid out (5,000 nodes: ~1 GB).
    site = render(loaded, state, assessment, inventory, output, baseline=baseline, report_pdf=True,
                  history=points, progress=lambda m: progress(f"    {m}"), separate_process=True)
    progress("4/4 writing the PDF report")
    # The PDF sits beside the pages (site/report.pdf); the website's downloads page links it.
    report = build_report(loaded, state, assessment, Path(output) / REPORT_NAME, detail=detail,
                          history=points)
    return SiteOutcome(assessment=assessment, site=site, state=state, report=report,
                       baseline_from=baseline_from, steps=steps)


@dataclass(frozen=True)
class BuildRequest:
    inventory: Path
    output: Path = Path("site")
    state_file: Path | None = None  # None: collect live from the sources
    baseline: Path | None = None  # None: the snapshot before the state in ``history``
    history: Path | None = Path("evidence")  # None: neither read nor appended
    as_of: dt.datetime | None = None
    detail: str = "auto"  # which nodes the PDF shows in detail
    fail_on: Severity | None = None  # None (--fail-on never): exit 0 whatever the findings
    progress: Progress = no_progress
    collect_progress: SourceProgress | None = None


def run(request: BuildRequest) -> SiteOutcome:
    """``trondocs build``: the plan, then the pipeline; the exit code as drift decides it."""
    loaded = load_inventory(request.inventory)
    outcome = site_built(lambda: run_build(
        loaded, request.inventory, request.output, state_file=request.state_file,
        baseline_file=request.baseline, as_of=request.as_of, history=request.history,
        progress=request.progress, collect_progress=request.collect_progress, detail=request.detail))
    outcome.exit_code = exit_code(outcome.assessment, request.fail_on)
    return outcome

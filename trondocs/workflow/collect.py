"""collect: read the configured sources into a State, save it, append it to the history.

``run`` is ``trondocs collect``; ``run_collect`` is the step drift and build share with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trondocs.collectors.base import CollectContext
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import load_sources
from trondocs.credentials import Scrubber, scrubbing_logs
from trondocs.diagnostics import Diagnostic, Level, PlanError, did_you_mean
from trondocs.plan.loaded import LoadedPlan
from trondocs.state.history import append_snapshot
from trondocs.state.io import save_state
from trondocs.state.models import State
from trondocs.workflow.inputs import load_inventory
from trondocs.workflow.outcome import ExitCode

SourceProgress = Callable[[str, int], None]  # (source name, objects read so far)


@dataclass
class CollectResult:
    state: State
    snapshot: Path | None


def run_collect(loaded: LoadedPlan, inventory: Path, *, selected: tuple[str, ...] = (),
                output: Path | None = None, history: Path | None = None,
                progress: SourceProgress | None = None,
                deadline: dt.timedelta | None = None, scrubber: Scrubber | None = None) -> CollectResult:
    """Read the sources; ``deadline`` bounds the whole run (each source also has its own)."""
    sources = [s for s in load_sources(inventory) if s.config.enabled or s.name in selected]
    known = {s.name for s in sources}
    unknown = [name for name in selected if name not in known]
    if unknown:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="unknown-source",
            message=f"no source named {', '.join(repr(n) for n in unknown)} in sources.yaml",
            hint=did_you_mean(unknown[0], known) or f"configured: {', '.join(sorted(known)) or 'none'}",
        )])
    if selected:
        sources = [s for s in sources if s.name in selected]
    base_dir = Path(inventory) if Path(inventory).is_dir() else Path(inventory).parent
    ctx = CollectContext(plan=loaded.plan, base_dir=base_dir, run_deadline=deadline,
                         scrubber=scrubber or Scrubber())
    if progress is not None:
        ctx.progress = progress
    with scrubbing_logs(ctx.scrubber):  # botocore and urllib3 log headers at debug level
        state = collect_state(sources, ctx)
    if output is not None:
        save_state(state, output)
    snapshot = append_snapshot(state, history) if history is not None else None
    return CollectResult(state=state, snapshot=snapshot)


@dataclass(frozen=True)
class CollectRequest:
    inventory: Path
    selected: tuple[str, ...] = ()  # source names; empty: every enabled source
    output: Path = Path("state.json")
    history: Path | None = Path("evidence")  # None: append no snapshot
    deadline: dt.timedelta | None = None  # for the whole run
    progress: SourceProgress | None = None


@dataclass(frozen=True)
class CollectOutcome:
    state: State
    snapshot: Path | None  # the snapshot appended to the history, if any
    exit_code: ExitCode  # 3 when a source failed: the state is written all the same


def run(request: CollectRequest) -> CollectOutcome:
    """``trondocs collect``: the plan in the inventory, its sources read, the state written."""
    loaded = load_inventory(request.inventory)
    result = run_collect(loaded, request.inventory, selected=request.selected, output=request.output,
                         history=request.history, progress=request.progress, deadline=request.deadline)
    complete = result.state.collection.complete
    return CollectOutcome(state=result.state, snapshot=result.snapshot,
                          exit_code=ExitCode.OK if complete else ExitCode.INCOMPLETE)

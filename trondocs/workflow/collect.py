"""collect: read the configured sources into a State, save it, append it to the history."""

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


@dataclass
class CollectResult:
    state: State
    snapshot: Path | None


def run_collect(loaded: LoadedPlan, inventory: Path, *, selected: tuple[str, ...] = (),
                output: Path | None = None, history: Path | None = None,
                progress: Callable[[str, int], None] | None = None,
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

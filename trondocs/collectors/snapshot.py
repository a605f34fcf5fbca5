"""Source ``snapshot``: a saved state file, for air-gapped rendering, PR checks and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from trondocs.collectors.base import CollectContext, Collected, SourceConfig, SourceError
from trondocs.diagnostics import PlanError
from trondocs.state.io import load_state


class Config(SourceConfig):
    type: Literal["snapshot"] = "snapshot"
    path: str = Field(description="state file (JSON or .json.gz), relative to the inventory")


def collect(config: Config, ctx: CollectContext) -> Collected:
    path = Path(config.path)
    if not path.is_absolute():
        path = ctx.base_dir / path
    try:
        state = load_state(path)
    except PlanError as exc:
        raise SourceError(exc.diagnostics[0].message + f" ({path})") from None
    out = Collected(
        assets=list(state.assets), hosts=list(state.hosts),
        restore_points=list(state.restore_points), jobs=list(state.jobs),
        repositories=list(state.repositories), failover_plans=list(state.failover_plans),
        recovery_runs=list(state.recovery_runs), node_status=list(state.node_status),
        witness=state.witness, replayed_runs=list(state.collection.sources),
    )
    ctx.progress(config.name, out.objects)
    return out

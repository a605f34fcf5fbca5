"""One source run through the runner, as ``trondocs collect`` does: its record with the run's warnings."""

from __future__ import annotations

from trondocs.collectors.base import CollectContext, SourceConfig
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource
from trondocs.state.models import SourceRun


def source_run(config: SourceConfig, ctx: CollectContext) -> SourceRun:
    [run] = collect_state([ConfiguredSource(config)], ctx).collection.sources
    return run

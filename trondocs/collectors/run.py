"""Read the configured sources into one State. A failing source never stops the others."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import time

from trondocs import __version__
from trondocs.collectors.base import CollectContext, Collected, SourceError, log
from trondocs.collectors.deadline import Deadline, DeadlineExceeded
from trondocs.collectors.registry import source_module
from trondocs.collectors.sources import ConfiguredSource
from trondocs.durations import format_duration
from trondocs.state.models import Collection, SourceRun, State
from trondocs.systems import SourceType

MAX_PARALLEL_SOURCES = 4


def collect_state(sources: list[ConfiguredSource], ctx: CollectContext) -> State:
    """Run every source (in parallel, bounded) and merge what they yield."""
    started = ctx.now()
    # The run's deadline counts from now for every source, also those still waiting for a worker.
    run_end = time.monotonic() + ctx.run_deadline.total_seconds() if ctx.run_deadline else None
    results: list[tuple[ConfiguredSource, Collected | None, SourceRun]] = []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=MAX_PARALLEL_SOURCES)
    try:
        futures = [pool.submit(_run_one, source, ctx, run_end) for source in sources]
        for source, future in zip(sources, futures, strict=True):
            collected, run = future.result()
            results.append((source, collected, run))
    except KeyboardInterrupt:  # one Ctrl-C: tell the sources to stop, do not wait for them
        ctx.cancel.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return merge(results, started, ctx.now())


def source_deadline(source: ConfiguredSource, ctx: CollectContext, run_end: float | None) -> Deadline:
    """The source's own deadline, or what is left of the run's when that comes first."""
    own = source.config.deadline.total_seconds()
    if run_end is not None and run_end - time.monotonic() < own:
        return Deadline(run_end - time.monotonic(),
                        f"the run's {format_duration(ctx.run_deadline)} deadline (--deadline)")
    return Deadline(own, f"its {format_duration(source.config.deadline)} deadline "
                         "('deadline:' in sources.yaml)")


def _run_one(source: ConfiguredSource, ctx: CollectContext,
             run_end: float | None = None) -> tuple[Collected | None, SourceRun]:
    begin = ctx.now()
    kind = source.config.type
    deadline = source_deadline(source, ctx, run_end)
    ctx = dataclasses.replace(ctx, deadline=deadline)
    try:
        deadline.check(source.name)  # a source that waited for a worker past the run's deadline
        collected = source_module(kind).collect(source.config, ctx)
        error = None
    except SourceError as exc:
        # Past the deadline its closed sockets surface as any error: the deadline is the reason.
        expired = deadline.expired and not isinstance(exc, DeadlineExceeded)
        reason = deadline.error(source.name) if expired else exc
        collected, error = None, ctx.scrub(str(reason))
    except Exception as exc:  # a bug or an unexpected answer: record it, keep going
        log.debug("source %s failed", source.name, exc_info=True)
        if deadline.expired:  # the deadline closed its connections under the library
            collected, error = None, ctx.scrub(str(deadline.error(source.name)))
        else:
            collected, error = None, ctx.scrub(f"{type(exc).__name__}: {exc}")
    finally:
        deadline.cancel()
    end = ctx.now()
    if error:  # info, not warning: `trondocs collect` prints each failed source once itself
        log.info("%s: %s", source.name, error)
    scopes = collected.scopes if collected else []
    run = SourceRun(
        name=source.name, type=SourceType(kind), ok=error is None and all(s.ok for s in scopes),
        error=error or _scope_errors(scopes), started=begin, finished=end,
        api_calls=collected.api_calls if collected else 0,
        objects=collected.objects if collected else 0,
        scopes=[s.model_copy(update={"error": ctx.scrub(s.error)}) if s.error else s
                for s in scopes],
        # what the settings risk first, on every run; then what the source found
        warnings=[ctx.scrub(w) for w in [*source.config.setting_warnings(),
                                         *(collected.warnings if collected else [])]],
    )
    return collected, run


def _scope_errors(scopes) -> str | None:
    failed = [f"{s.scope}: {s.error}" for s in scopes if not s.ok]
    return "; ".join(failed) if failed else None


def merge(results: list[tuple[ConfiguredSource, Collected | None, SourceRun]],
          started: dt.datetime, finished: dt.datetime) -> State:
    runs: list[SourceRun] = []
    parts: dict[str, list] = {k: [] for k in (
        "assets", "hosts", "restore_points", "jobs", "repositories", "failover_plans",
        "recovery_runs", "node_status")}
    witness = None
    for _source, collected, run in results:
        if collected is not None and collected.replayed_runs:
            runs.extend(collected.replayed_runs)  # a snapshot keeps the runs it recorded
        else:
            runs.append(run)
        if collected is None:
            continue
        for key, items in parts.items():
            items.extend(getattr(collected, key))
        witness = witness or collected.witness
    if runs:
        started = min(r.started for r in runs)
        finished = max(r.finished for r in runs)
    return State(
        collection=Collection(started=started, finished=finished, trondocs_version=__version__,
                              sources=runs),
        witness=witness, **parts,
    )

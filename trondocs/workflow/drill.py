"""drill watch: measure a live recovery by polling the node's java-tron API until it is in sync.

The loop is written against two probes and an injected clock, so it is tested against the
fake java-tron node with a manual clock; the CLI passes real HTTP probes and real time.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from trondocs.collectors.base import SourceError
from trondocs.collectors.httpjson import HttpClient, one_line
from trondocs.collectors.javatron import Config as TronConfig
from trondocs.collectors.javatron_api import TronApi
from trondocs.collectors.sources import load_sources
from trondocs.durations import format_duration
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.models import Node, NodeRole
from trondocs.wording import count_noun


@dataclass(frozen=True)
class Sample:
    at: dt.datetime
    head: int | None  # None: the node did not answer
    reference: int | None
    error: str | None = None

    @property
    def behind(self) -> int | None:
        if self.head is None or self.reference is None:
            return None
        return max(self.reference - self.head, 0)


@dataclass
class Recovery:
    node: str
    started: dt.datetime
    max_lag: int
    answered: dt.datetime | None = None  # first answer from the node's API
    caught_up: dt.datetime | None = None  # first time within max_lag of the reference
    samples: list[Sample] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.caught_up is not None

    @property
    def rto(self) -> dt.timedelta | None:
        return None if self.caught_up is None else self.caught_up - self.started

    def timeline(self) -> str:
        """One line for the drill log: when the API answered, when it caught up."""
        parts = [f"watched from {self.started:%H:%M:%S}Z"]
        if self.answered:
            parts.append(f"API answered after {format_duration(self.answered - self.started)}")
        if self.caught_up:
            parts.append(f"within {self.max_lag} blocks of the network after "
                         f"{format_duration(self.caught_up - self.started)}")
        else:
            last = self.samples[-1] if self.samples else None
            parts.append("never caught up" + (f" (last: {count_noun(last.behind, 'block')} behind)"
                                              if last and last.behind is not None else ""))
        return "; ".join(parts)


def blocks_per_second(previous: Sample | None, current: Sample) -> float | None:
    if previous is None or previous.head is None or current.head is None:
        return None
    seconds = (current.at - previous.at).total_seconds()
    return (current.head - previous.head) / seconds if seconds > 0 else None


def watch_recovery(node: str, *, head: Callable[[], int | None], reference: Callable[[], int | None],
                   max_lag: int, clock: Callable[[], dt.datetime], sleep: Callable[[float], None],
                   interval: float = 2.0, timeout: dt.timedelta = dt.timedelta(hours=2),
                   on_sample: Callable[[Sample, float | None], None] = lambda s, r: None) -> Recovery:
    """Poll until the node answers and is within ``max_lag`` blocks of the reference."""
    recovery = Recovery(node=node, started=clock(), max_lag=max_lag)
    previous: Sample | None = None
    while True:
        now = clock()
        try:
            current_head, error = head(), None
        except SourceError as exc:
            current_head, error = None, one_line(str(exc), 100)
        try:
            ref = reference()
        except SourceError:
            ref = None
        sample = Sample(at=now, head=current_head, reference=ref, error=error)
        recovery.samples.append(sample)
        on_sample(sample, blocks_per_second(previous, sample))
        if current_head is not None:
            previous = sample
            recovery.answered = recovery.answered or now
            if sample.behind is not None and sample.behind <= max_lag:
                recovery.caught_up = now
                return recovery
        if now - recovery.started >= timeout:
            return recovery
        sleep(interval)


def http_probes(loaded: LoadedPlan, inventory: Path, node: Node, *, reference_url: str | None,
                timeout: float = 5.0) -> tuple[Callable[[], int | None], Callable[[], int | None]]:
    """Probes over HTTP: the node's head, and the network's (reference endpoint or our other nodes)."""
    api = TronApi(HttpClient(what="java-tron", timeout=timeout, retries=0, backoff=0, verify=True))
    if reference_url is None:
        configs = [s.config for s in load_sources(inventory) if isinstance(s.config, TronConfig)]
        reference_url = next((c.reference_endpoint for c in configs if c.reference_endpoint),
                             loaded.plan.settings.reference_endpoint)
    solidity = node.role is NodeRole.SOLIDITY

    def node_head() -> int | None:
        block = api.now_block(node.endpoint or "", solidity=solidity)
        if block is None:
            raise SourceError("getnowblock answered {} (no chain data yet)")
        if solidity:
            info = api.node_info(node.endpoint or "", solidity=True)
            return info.head if info.head is not None else block.number
        return block.number

    others = [n for n in loaded.plan.nodes if n.endpoint and n.name != node.name
              and n.role is not NodeRole.SOLIDITY]

    def network_head() -> int | None:
        if reference_url:
            block = api.now_block(reference_url)
            return block.number if block else None
        heads = []
        for other in others:
            try:
                block = api.now_block(other.endpoint or "")
            except SourceError:
                continue
            if block:
                heads.append(block.number)
        return max(heads, default=None)

    return node_head, network_head


def wall_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def real_sleep(seconds: float) -> None:
    time.sleep(seconds)

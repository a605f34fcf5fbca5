"""drill record and drill watch: DR tests as evidence.

``run_record`` appends a drill to the plan's drill log. ``run_watch`` measures a live recovery
by polling the node's java-tron API until it is in sync; its loop (``watch_recovery``) is
written against two probes and an injected clock, so it is tested against the fake java-tron
node with a manual clock, while the command uses real HTTP probes and real time.
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
from trondocs.diagnostics import did_you_mean
from trondocs.durations import format_duration
from trondocs.plan.drill_log import record_drill
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.models import Drill, Node, NodeRole
from trondocs.wording import count_noun
from trondocs.workflow.inputs import known_rule_ids, load_inventory
from trondocs.workflow.outcome import ExitCode, UsageError


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

    @property
    def verdict(self) -> str:
        """``in sync after 26m`` or ``did not catch up``: the command's last line says it."""
        return f"in sync after {format_duration(self.rto)}" if self.succeeded else "did not catch up"

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


@dataclass(frozen=True)
class RecordRequest:
    inventory: Path
    scenario: str
    started: str | dt.datetime  # ISO 8601 with a zone; validated as the plan's drills are
    finished: str | dt.datetime
    result: str
    plan: str | None = None  # the failover plan tested
    node: str | None = None  # the node tested
    notes: str | None = None
    by: str | None = None


@dataclass(frozen=True)
class RecordOutcome:
    log: Path  # the drill log file the entry was appended to
    drill: Drill  # the entry as the plan now reads it
    exit_code: ExitCode = ExitCode.OK


def run_record(request: RecordRequest) -> RecordOutcome:
    """``trondocs drill record``: nothing is written unless the whole plan stays valid."""
    entry = {"plan": request.plan, "node": request.node, "scenario": request.scenario,
             "started": request.started, "finished": request.finished, "result": request.result,
             "notes": request.notes, "by": request.by}
    target, loaded = record_drill(request.inventory, entry, known_rules=known_rule_ids())
    return RecordOutcome(log=target, drill=loaded.plan.drills[-1])


@dataclass(frozen=True)
class WatchRequest:
    node: str
    inventory: Path
    reference: str | None = None  # the full node giving the network head; None: see http_probes
    scenario: str = "measured recovery"
    plan: str | None = None  # the failover plan being tested, if any
    interval: float = 2.0  # seconds between polls
    timeout: dt.timedelta = dt.timedelta(hours=2)
    record: bool = True  # append the measured drill to the drill log
    by: str | None = None
    on_start: Callable[[Node, int], None] = lambda node, max_lag: None  # before the first poll
    on_sample: Callable[[Node, Sample, float | None], None] = lambda node, sample, rate: None


@dataclass(frozen=True)
class WatchOutcome:
    node: Node
    recovery: Recovery
    log: Path | None  # the drill log the measurement went to; None with record off
    exit_code: ExitCode  # 1 when the node did not catch up before the timeout


def run_watch(request: WatchRequest) -> WatchOutcome:
    """``trondocs drill watch``: poll the node until in sync, then record what was measured."""
    loaded = load_inventory(request.inventory)
    node = loaded.plan.node(request.node)
    if node is None or not node.endpoint:
        names = [n.name for n in loaded.plan.nodes if n.endpoint]
        hint = did_you_mean(request.node, names) or f"nodes with an endpoint: {', '.join(names)}"
        raise UsageError(f"no node '{request.node}' with an endpoint in the plan; {hint}")
    max_lag = loaded.plan.objectives_for(node).max_sync_lag or 0
    head, network = http_probes(loaded, request.inventory, node, reference_url=request.reference)
    request.on_start(node, max_lag)
    recovery = watch_recovery(node.name, head=head, reference=network, max_lag=max_lag,
                              clock=wall_clock, sleep=real_sleep, interval=request.interval,
                              timeout=request.timeout,
                              on_sample=lambda sample, rate: request.on_sample(node, sample, rate))
    target = None
    if request.record:
        finished = recovery.caught_up or recovery.samples[-1].at
        target, _ = record_drill(request.inventory, {
            "node": node.name, "plan": request.plan, "scenario": request.scenario,
            "started": recovery.started, "finished": finished, "caught_up": recovery.caught_up,
            "result": "success" if recovery.succeeded else "failed",
            "notes": recovery.timeline(), "by": request.by}, known_rules=known_rule_ids())
    return WatchOutcome(node=node, recovery=recovery, log=target,
                        exit_code=ExitCode.OK if recovery.succeeded else ExitCode.FINDINGS)

"""What every collector shares: its context, its result, and how it reports trouble.

A collector is a module with a pydantic ``Config`` (its part of sources.yaml) and a
function ``collect(config, ctx) -> Collected``. It only reads: never create, change or
delete anything in the system it reads.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from trondocs.collectors.deadline import NO_DEADLINE, Deadline
from trondocs.collectors.errors import SourceError
from trondocs.collectors.errors import log as log  # collectors take the log with their context
from trondocs.credentials import Scrubber
from trondocs.durations import format_duration
from trondocs.plan.models import Plan
from trondocs.plan.types import Duration
from trondocs.state.models import (
    Asset,
    DiscoveredFailoverPlan,
    Host,
    NodeStatus,
    ProtectionJob,
    RecoveryRun,
    Repository,
    RestorePoint,
    ScopeRun,
    SourceRun,
    WitnessRecord,
)
from trondocs.systems import source_type

DEFAULT_DEADLINE = dt.timedelta(minutes=5)


def credential_setting(type_name: str, setting: str) -> Any:
    """The field of a sources.yaml key naming the environment variable a secret is read from: its
    default variable and what it holds come from the source type's row of the systems table (the
    About page lists the same)."""
    credential = source_type(type_name).credential(setting)
    return Field(credential.default, min_length=1,
                 description=f"environment variable holding the {credential.secret}")


class SourceConfig(BaseModel):
    """Settings every source has. Collector configs subclass it and add their own.

    The defaults fit together: one request that is never answered costs at most ``timeout`` per
    try (4 tries of 30 s and 3.5 s of waits for an HTTP source: about 2 minutes), well inside
    the 5-minute deadline, so the retries get their chance; and as 4 sources are read at once,
    a hung server delays a nightly run by one deadline (each further 4 hung ones, one more).
    Settings that let one request outlast the deadline are warned about on every run
    (``setting_warnings``), not cut short silently.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="what this source is called in outputs")
    type: str
    enabled: bool = True
    timeout: float = Field(30.0, gt=0, le=3600, allow_inf_nan=False,
                           description="seconds each try waits to connect and for each read (default "
                           "30); a server that answers a byte at a time is stopped by deadline instead")
    deadline: Duration = Field(DEFAULT_DEADLINE, description="the most the whole source may take, every "
                               "call, retry and wait (default 5m); past it its connections are closed and "
                               "the source is recorded as failed (its checks UNKNOWN). One unanswered "
                               "request (timeout × tries + waits) should fit in it, or every run warns")

    def setting_warnings(self) -> list[str]:
        """What these settings risk, said on every run of the source (ok or failed), never silently."""
        worst, how = self.worst_request()
        if worst <= self.deadline.total_seconds():
            return []
        took, deadline = format_duration(dt.timedelta(seconds=worst)), format_duration(self.deadline)
        return [f"one unanswered request can take {took} ({how}), longer than the source's {deadline} "
                "deadline, which cuts it (and its retries) short: lower timeout or retries, or raise "
                "deadline"]

    def worst_request(self) -> tuple[float, str]:
        """How long one request to a server that never answers may take, and why (one try here)."""
        return self.timeout, f"timeout {self.timeout:g} s"


@dataclass
class Collected:
    """What one source yielded. Collectors append to it; the runner merges it into State."""

    assets: list[Asset] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    restore_points: list[RestorePoint] = field(default_factory=list)
    jobs: list[ProtectionJob] = field(default_factory=list)
    repositories: list[Repository] = field(default_factory=list)
    failover_plans: list[DiscoveredFailoverPlan] = field(default_factory=list)
    recovery_runs: list[RecoveryRun] = field(default_factory=list)
    node_status: list[NodeStatus] = field(default_factory=list)
    witness: WitnessRecord | None = None
    scopes: list[ScopeRun] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    api_calls: int = 0
    # A snapshot source replays earlier runs as they were recorded.
    replayed_runs: list[SourceRun] = field(default_factory=list)

    @property
    def objects(self) -> int:
        return (len(self.assets) + len(self.hosts) + len(self.restore_points) + len(self.jobs)
                + len(self.repositories) + len(self.failover_plans) + len(self.recovery_runs)
                + len(self.node_status))


@dataclass
class CollectContext:
    """What a collector may use besides its config. Pass-in, never global, so tests stay simple."""

    plan: Plan | None = None
    base_dir: Path = Path(".")  # relative paths in sources.yaml resolve against this
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    progress: Callable[[str, int], None] = lambda source, objects: None
    # Every secret the run has seen; the CLI shares it with the log handlers' scrubbing filter.
    scrubber: Scrubber = field(default_factory=Scrubber)
    # This source's deadline (the runner sets it: the source's own or the run's, the earlier).
    deadline: Deadline | None = None
    run_deadline: dt.timedelta | None = None  # for the whole run: ``collect --deadline``
    # Set when the run is interrupted (Ctrl-C): collectors stop before their next request.
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def limit(self) -> Deadline:
        return self.deadline or NO_DEADLINE

    def secret(self, variable: str, what: str) -> str:
        """Read a secret from the environment; remember it so it can be scrubbed from errors."""
        value = self.env.get(variable)
        if not value:
            raise SourceError(f"{what} is not set: export {variable}=… (never put it in YAML)")
        self.scrubber.remember(value)
        return value

    def remember_secret(self, value: str | None) -> None:
        """A token or temporary credential a server gave us: never to appear in any output."""
        self.scrubber.remember(value)

    def scrub(self, text: str) -> str:
        return self.scrubber.scrub(text)

"""What every collector shares: its context, its result, and how it reports trouble.

A collector is a module with a pydantic ``Config`` (its part of sources.yaml) and a
function ``collect(config, ctx) -> Collected``. It only reads: never create, change or
delete anything in the system it reads.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from trondocs.plan.models import Plan
from trondocs.state.models import (
    Asset,
    FailoverPlan,
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

log = logging.getLogger("trondocs.collect")


class SourceError(Exception):
    """A source could not be read. The message is one clear line, safe to show (no secrets)."""


class SourceConfig(BaseModel):
    """Settings every source has. Collector configs subclass it and add their own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="what this source is called in outputs")
    type: str
    enabled: bool = True
    timeout: float = Field(30.0, gt=0, description="connect/read timeout in seconds")


@dataclass
class Collected:
    """What one source yielded. Collectors append to it; the runner merges it into State."""

    assets: list[Asset] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    restore_points: list[RestorePoint] = field(default_factory=list)
    jobs: list[ProtectionJob] = field(default_factory=list)
    repositories: list[Repository] = field(default_factory=list)
    failover_plans: list[FailoverPlan] = field(default_factory=list)
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
    secrets_seen: set[str] = field(default_factory=set)
    # Set when the run is interrupted (Ctrl-C): collectors stop before their next request.
    cancel: threading.Event = field(default_factory=threading.Event)

    def secret(self, variable: str, what: str) -> str:
        """Read a secret from the environment; remember it so it can be scrubbed from errors."""
        value = self.env.get(variable)
        if not value:
            raise SourceError(f"{what} is not set: export {variable}=… (never put it in YAML)")
        self.secrets_seen.add(value)
        return value

    def scrub(self, text: str) -> str:
        for value in sorted(self.secrets_seen, key=len, reverse=True):
            if value:
                text = text.replace(value, "***")
        return text

"""Source ``n2ws``: N2WS Backup & Recovery policies, schedules, backups and their snapshots.

Each policy becomes a ProtectionJob (schedule from its schedules, retention from
``generations``). Each successful backup becomes a RestorePoint of every target instance;
its snapshots in a DR account or another region become copies of that point.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import CollectContext, Collected, credential_setting
from trondocs.collectors.connection import HttpSourceConfig
from trondocs.collectors.httpjson import HttpClient
from trondocs.collectors.n2ws_api import N2wsApi
from trondocs.collectors.n2ws_map import BackupRecord, Policy, build
from trondocs.plan.types import Duration
from trondocs.systems import SourceType


class Config(HttpSourceConfig):
    type: Literal["n2ws"] = "n2ws"
    url: str = Field(description="API base URL, e.g. https://n2ws.example/api/")
    api_key_env: str = credential_setting(SourceType.N2WS, "api_key_env")
    page_size: int = Field(100, ge=1, le=1000)
    backup_window: Duration = Field(dt.timedelta(days=14), description="how far back to read backups")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("the N2WS URL looks like https://n2ws.example/api/")
        return value if value.endswith("/") else value + "/"


def collect(config: Config, ctx: CollectContext) -> Collected:
    out = Collected()
    http = HttpClient.for_source(config, ctx, f"N2WS {config.name}")
    api = N2wsApi(base_url=config.url, api_key=ctx.secret(config.api_key_env, "the N2WS API key"),
                  api_key_env=config.api_key_env, http=http, page_size=config.page_size, ctx=ctx)
    try:
        api.login()
        accounts = {a.get("id"): a for a in api.items("aws/accounts/")}
        schedules = {s.get("id"): s for s in api.items("schedules/")}
        policies = [Policy.read(p, schedules, accounts) for p in api.items("aws/policies/")]
        for policy in policies:
            policy.targets = list(api.items(f"aws/policies/{policy.id}/targets/"))
        since = ctx.now() - config.backup_window
        backups = _recent_backups(api, since)
        by_id = {p.id: p for p in policies}
        for backup in backups:
            policy = by_id.get(backup.policy)
            if backup.successful and policy is not None:
                for instance in policy.instances():
                    backup.snapshots[instance] = list(api.items(
                        f"aws/backups/{backup.id}/snapshots/instances/", {"resource": instance}))
        build(config.name, policies, backups, accounts, out)
    finally:
        out.api_calls = http.calls
        http.close()
    ctx.progress(config.name, out.objects)
    return out


def _recent_backups(api: N2wsApi, since: dt.datetime) -> list[BackupRecord]:
    """Backups that started inside the window, newest first; stops paging once past it."""
    found: list[BackupRecord] = []
    previous: dt.datetime | None = None
    ordered = True
    for raw in api.items("aws/backups/", {"ordering": "-start_time"}):
        backup = BackupRecord.read(raw)
        if previous is not None and backup.start_time > previous:
            ordered = False  # the server ignored ``ordering``: read everything
        previous = backup.start_time
        if backup.start_time >= since:
            found.append(backup)
        elif ordered:
            break
    return found

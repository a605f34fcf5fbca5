"""Source ``veeam``: Veeam Backup & Replication over its REST API (v1, port 9419).

Read-only: only GETs, plus the OAuth2 token and logout calls. Each part of the server
(repositories, jobs, backups, replicas, sessions) is a scope: one failing part is recorded
as failed and the others are still read. A refused login fails the whole source.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import CollectContext, Collected, SourceError, credential_setting
from trondocs.collectors.connection import HttpSourceConfig, server_address
from trondocs.collectors.veeam.client import AuthRefused, NotServed, VeeamClient
from trondocs.collectors.veeam.read import read_all
from trondocs.collectors.veeam.values import revision
from trondocs.plan.types import Duration
from trondocs.systems import SourceType


class Config(HttpSourceConfig):
    type: Literal["veeam"] = "veeam"
    url: str = server_address("the backup server's REST address, e.g. https://vbr.example:9419")
    username_env: str = credential_setting(SourceType.VEEAM, "username_env")
    password_env: str = credential_setting(SourceType.VEEAM, "password_env")
    api_version: str = Field("1.2-rev1", description="x-api-version to send: 1.0-rev1 (v11) … 1.3-rev2 (v13)")
    page_size: int = Field(200, ge=1, le=1000, description="items per page (skip/limit)")
    session_window: Duration = Field(dt.timedelta(days=14), description="how far back to read sessions")
    max_logins: int = Field(50, ge=1, le=10_000, description="logins + token refreshes allowed in one run")
    max_pages: int = Field(2000, ge=1, le=1_000_000, description="pages read of one list before giving up")

    @field_validator("api_version")
    @classmethod
    def _revision(cls, value: str) -> str:
        revision(value)  # raises ValueError with a hint
        return value


def collect(config: Config, ctx: CollectContext) -> Collected:
    user = ctx.env.get(config.username_env)
    if not user:
        raise SourceError(f"Veeam user name is not set: export {config.username_env}=…")
    password = ctx.secret(config.password_env, "Veeam password")
    out = Collected()
    where = config.url.rstrip("/")
    if where.startswith("http://"):
        out.warnings.append(f"{where} uses plain http: the password crosses the network unencrypted")
    client = VeeamClient(url=config.url, api_version=config.api_version, username=user, password=password,
                         verify=config.requests_verify(ctx), timeout=config.timeout, retries=config.retries,
                         backoff=config.retry_backoff, ctx=ctx, max_logins=config.max_logins,
                         max_pages=config.max_pages, name=config.name)
    try:
        client.login()
        read_all(client, config, ctx, out)
    except (AuthRefused, NotServed) as exc:
        raise SourceError(str(exc)) from None
    finally:
        client.logout()
        out.api_calls = client.calls
    ctx.progress(config.name, out.objects)
    return out

"""Source ``veeam``: Veeam Backup & Replication over its REST API (v1, port 9419).

Read-only: only GETs, plus the OAuth2 token and logout calls. Each part of the server
(repositories, jobs, backups, replicas, sessions) is a scope: one failing part is recorded
as failed and the others are still read. A refused login fails the whole source.
"""

from __future__ import annotations

from trondocs.collectors.base import CollectContext, Collected, SourceError
from trondocs.collectors.veeam.client import AuthRefused, NotServed, VeeamClient
from trondocs.collectors.veeam.config import Config
from trondocs.collectors.veeam.read import read_all


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

"""Source ``veeam-em``: failover plans from Veeam Backup Enterprise Manager's REST API (port 9398).

VBR's own REST API (``veeam``) has no failover-plan endpoint; Enterprise Manager does. Read-only:
a logon session, GETs, and closing the session. In sources.yaml::

    - name: veeam-em
      type: veeam-em
      url: https://em.example:9398
      username_env: TRONDOCS_VEEAM_EM_USER         # defaults shown; a Portal/Restore Operator is enough
      password_env: TRONDOCS_VEEAM_EM_PASSWORD

What Veeam's documentation confirms (Enterprise Manager REST API reference, "/failoverPlans",
"GET /failoverPlans/{ID}", "Authentication and Security"): ``POST /api/sessionMngr/?v=latest``
with HTTP Basic authentication opens a session whose id comes back in the
``X-RestSvcSessionId`` response header and goes with every request; ``GET /api/failoverPlans``
lists ``FailoverPlanReference`` refs (``Name``, ``UID``, ``Href``); ``GET
/api/failoverPlans/{ID}?format=Entity`` returns the plan; ``Accept: application/json`` asks for
JSON; ``DELETE /api/logonSessions/{ID}`` closes the session. VBR's PowerShell reference
documents each plan member (``VBRFailoverPlanObject``) as ``Item`` (the VM), ``BootOrder`` and
``BootDelay`` (seconds).

UNCERTAIN (the entity's member list is not shown in the excerpts we could read): the JSON names
of the plan's members. Read here as ``FailoverPlanObjects`` / ``Objects`` / ``VmsInPlan`` lists
(or ``{"FailoverPlanObject": [...]}``) of objects naming the VM in ``Name`` / ``VmName`` /
``ObjectName`` / ``Item``, ordered by ``BootOrder`` / ``Order`` and delayed by ``BootDelay`` /
``Delay`` (seconds) — PowerShell's names first. A plan whose members cannot be read is a failed
scope, never an empty plan.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field

from trondocs.collectors.base import CollectContext, Collected, SourceError, credential_setting, log
from trondocs.collectors.connection import HttpSourceConfig, server_address
from trondocs.collectors.httpjson import HttpClient, parse_json
from trondocs.state.models import DiscoveredFailoverPlan, FailoverStep, ScopeRun
from trondocs.systems import SourceType

LOGON = "/api/sessionMngr/?v=latest"
SESSION_HEADER = "X-RestSvcSessionId"
MEMBER_LISTS = ("FailoverPlanObjects", "FailoverPlanObject", "Objects", "VmsInPlan")
MEMBER_NAMES = ("Name", "VmName", "ObjectName", "Item")
ORDER_KEYS, DELAY_KEYS = ("BootOrder", "Order"), ("BootDelay", "Delay")


class Config(HttpSourceConfig):
    type: Literal["veeam-em"] = "veeam-em"
    url: str = server_address("Enterprise Manager's REST address, e.g. https://em.example:9398")
    username_env: str = credential_setting(SourceType.VEEAM_EM, "username_env")
    password_env: str = credential_setting(SourceType.VEEAM_EM, "password_env")
    max_plans: int = Field(500, ge=1, le=100_000, description="failover plans read before giving up")


def collect(config: Config, ctx: CollectContext) -> Collected:
    out = Collected()
    user = ctx.env.get(config.username_env)
    if not user:
        raise SourceError(f"Enterprise Manager user name is not set: export {config.username_env}=…")
    password = ctx.secret(config.password_env, "Enterprise Manager password")
    base = config.url.rstrip("/")
    where = f"Enterprise Manager at {urlsplit(base).netloc}"
    http = HttpClient.for_source(config, ctx, where)
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    ctx.remember_secret(token)
    response = http.request("POST", base + LOGON, headers={"Authorization": f"Basic {token}"})
    if response.status_code in (401, 403):
        raise SourceError(f"{where}: logon refused (HTTP {response.status_code}); check the user name "
                          "and password in the configured environment variables")
    session = response.headers.get(SESSION_HEADER)
    if response.status_code >= 400 or not session:
        raise SourceError(f"{where}: logon answered HTTP {response.status_code} without a "
                          f"{SESSION_HEADER} header")
    ctx.remember_secret(session)
    headers = {SESSION_HEADER: session}
    try:
        out.failover_plans = _plans(http, base, headers, where, config, ctx)
        out.scopes.append(ScopeRun(scope="failover plans", ok=True))
    except SourceError as exc:
        out.scopes.append(ScopeRun(scope="failover plans", ok=False, error=str(exc)))
    finally:
        _logoff(http, base, headers, response)
        out.api_calls = http.calls
        http.close()
    return out


def _get(http: HttpClient, url: str, headers: dict, where: str) -> dict:
    response = http.request("GET", url, headers=headers)
    if response.status_code >= 400:
        raise SourceError(f"{where}: {urlsplit(url).path} answered HTTP {response.status_code}")
    body = parse_json(response, where)
    if not isinstance(body, dict):
        raise SourceError(f"{where}: {urlsplit(url).path} answered {type(body).__name__}, not an object")
    return body


def _plans(http: HttpClient, base: str, headers: dict, where: str, config: Config,
           ctx: CollectContext) -> list[DiscoveredFailoverPlan]:
    refs = _get(http, base + "/api/failoverPlans", headers, where).get("Refs") or []
    if not isinstance(refs, list):
        raise SourceError(f"{where}: /api/failoverPlans answered without a Refs list")
    if len(refs) > config.max_plans:
        raise SourceError(f"{where}: {len(refs)} failover plans, more than max_plans {config.max_plans}")
    plans = []
    for ref in refs:
        uid = str(ref.get("UID") or "")
        plan_id = uid.rsplit(":", 1)[-1] or str(ref.get("Href") or "").split("?")[0].rsplit("/", 1)[-1]
        if not plan_id:
            raise SourceError(f"{where}: a failover plan reference without UID or Href")
        entity = _get(http, f"{base}/api/failoverPlans/{plan_id}?format=Entity", headers, where)
        plans.append(_plan(entity, ref, config.name, where))
        ctx.progress(config.name, len(plans))
        log.info("%s: failover plan %s: %d members", config.name, plans[-1].name, len(plans[-1].steps))
    return plans


def _members(entity: dict) -> list[dict] | None:
    for key in MEMBER_LISTS:
        value = entity.get(key)
        if isinstance(value, dict):  # {"FailoverPlanObject": [...]}, as XML lists map to JSON
            value = next((v for v in value.values() if isinstance(v, list)), None)
        if isinstance(value, list):
            return [m for m in value if isinstance(m, dict)]
    return None


def _first(item: dict, keys: tuple[str, ...]) -> object:
    return next((item[k] for k in keys if item.get(k) is not None), None)


def _plan(entity: dict, ref: dict, source: str, where: str) -> DiscoveredFailoverPlan:
    name = str(entity.get("Name") or ref.get("Name") or "")
    members = _members(entity)
    if not name or members is None:
        raise SourceError(f"{where}: failover plan {name or '?'} lists no members this reader knows "
                          f"(looked for {', '.join(MEMBER_LISTS)})")
    steps = []
    for index, member in enumerate(members):
        vm = _first(member, MEMBER_NAMES)
        if isinstance(vm, dict):  # Item: {Name: …}
            vm = vm.get("Name")
        order, delay = _first(member, ORDER_KEYS), _first(member, DELAY_KEYS)
        if not vm:
            raise SourceError(f"{where}: a member of failover plan {name} has no VM name")
        steps.append((order if isinstance(order, int) else index, index, str(vm),
                      dt.timedelta(seconds=delay if isinstance(delay, int | float) else 0)))
    steps.sort()
    return DiscoveredFailoverPlan(source=source, name=name,
                        steps=[FailoverStep(asset_name=vm, delay=delay) for _o, _i, vm, delay in steps])


def _logoff(http: HttpClient, base: str, headers: dict, logon) -> None:
    """Close the session (DELETE /api/logonSessions/{id}); it expires by itself if this fails."""
    session_id = ""
    try:
        body = logon.json()
        session_id = str(body.get("SessionId") or "") if isinstance(body, dict) else ""
    except ValueError:
        pass
    if not session_id:
        return
    try:
        http.request("DELETE", f"{base}/api/logonSessions/{session_id}", headers=headers)
    except SourceError:
        log.debug("Enterprise Manager logoff failed (the session expires by itself)")

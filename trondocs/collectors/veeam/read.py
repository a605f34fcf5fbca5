"""Read every part of a VBR server, one scope at a time, into ``Collected``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from trondocs.collectors.base import CollectContext, Collected, SourceError
from trondocs.collectors.veeam.client import AuthRefused, NotServed, VeeamClient
from trondocs.collectors.veeam.jobs import encrypted, to_jobs
from trondocs.collectors.veeam.points import backup_points, replica_points
from trondocs.collectors.veeam.repositories import Storage, to_repositories
from trondocs.collectors.veeam.sessions import last_job_runs, recovery_runs
from trondocs.collectors.veeam.values import low, name_of, revision
from trondocs.state.models import ScopeRun

if TYPE_CHECKING:
    from trondocs.collectors.veeam.config import Config

API = "/api/v1"
INFRA = f"{API}/backupInfrastructure"
RESTORE_POINTS, OBJECT_RESTORE_POINTS = f"{API}/restorePoints", f"{API}/objectRestorePoints"
T = TypeVar("T")


def _scope(out: Collected, scope: str, read: Callable[[], T], default: T) -> T:
    try:
        value = read()
    except AuthRefused:
        raise
    except SourceError as exc:
        out.scopes.append(ScopeRun(scope=scope, ok=False, error=str(exc)))
        return default
    out.scopes.append(ScopeRun(scope=scope, ok=True))
    return value


def read_all(client: VeeamClient, config: Config, ctx: CollectContext, out: Collected) -> None:
    def pages(path: str, **params) -> list[dict]:
        items = list(client.pages(path, config.page_size, params))
        ctx.progress(config.name, out.objects + len(items))
        return items

    rev = revision(config.api_version)
    now = ctx.now()
    since = now - config.session_window

    repos, storage = _scope(out, "repositories", lambda: to_repositories(
        config.name, pages(f"{INFRA}/repositories"), pages(f"{INFRA}/repositories/states"),
        pages(f"{INFRA}/scaleOutRepositories")), ([], Storage()))
    out.repositories.extend(repos)

    raw_jobs, states = _scope(out, "jobs", lambda: (pages(f"{API}/jobs"), pages(f"{API}/jobs/states")),
                              ([], []))
    job_names = {s.get("id"): s.get("name") for s in states} | {j.get("id"): j.get("name") for j in raw_jobs}
    sessions = _scope(out, "sessions", lambda: pages(f"{API}/sessions", createdAfterFilter=since.isoformat()),
                      [])
    jobs = to_jobs(config.name, raw_jobs, states, storage.names,
                   {sid: tier.name for sid, tier in storage.tiers.items()})
    runs = last_job_runs(sessions)
    for index, job in enumerate(jobs):  # a job state without a last run: take it from its sessions
        if job.last_run is None and job.id in runs:
            jobs[index] = job.model_copy(update={"last_run": runs[job.id][0], "last_result": runs[job.id][1]})
    out.jobs.extend(jobs)

    def read_backups():
        backups = pages(f"{API}/backups")
        refs = {o.get("name"): o.get("objectId") for o in pages(f"{API}/backupObjects")
                if low(o.get("type")) == "vm" and o.get("objectId")}
        first, second = ((RESTORE_POINTS, OBJECT_RESTORE_POINTS) if rev >= (1, 2, 0)
                         else (OBJECT_RESTORE_POINTS, RESTORE_POINTS))
        try:
            points = pages(first)
        except NotServed:  # the rename happened somewhere in 1.1: ask the other name
            points = pages(second)
        found = backup_points(config.name, points, backups, job_names, storage,
                              {j.get("id"): encrypted(j) for j in raw_jobs})
        return [dataclasses.replace(p, asset_ref=refs.get(p.asset_name)) for p in found]

    out.restore_points.extend(_scope(out, "backups", read_backups, []))

    if rev >= (1, 1, 1):  # replicas entered the API with 12.1 (1.1-rev1)
        locations = {j.get("id"): name_of((j.get("destination") or {}).get("host") or {}) for j in raw_jobs}

        def read_replicas():
            try:
                replicas = pages(f"{API}/replicas")
            except NotServed:
                return []
            return replica_points(config.name, pages(f"{API}/replicaPoints"), replicas, job_names, locations)

        out.restore_points.extend(_scope(out, "replicas", read_replicas, []))

    known = {t for j in out.jobs for t in j.targets} | {p.asset_name for p in out.restore_points}
    suffixes = {j.replica_suffix for j in out.jobs if j.replica_suffix}
    out.recovery_runs.extend(recovery_runs(config.name, sessions, known, since, suffixes))

"""The fake VBR server's list endpoints: the estate's items as one revision renders them."""

from __future__ import annotations

import datetime as dt

from tests.fakes.veeam_estate import VeeamEstate
from tests.fakes.veeam_render import Renderer


def list_items(e: VeeamEstate, r: Renderer, path: str, query: dict[str, str]) -> list[dict] | None:
    """Every item of a list endpoint, in the revision's shape; None for a path the fake lacks."""
    if path == "/api/v1/jobs":
        return [j for j in map(r.job, e.jobs) if j]
    if path == "/api/v1/jobs/states":
        return [j for j in map(r.job_state, e.jobs) if j]
    if path == "/api/v1/backups":
        return [r.backup(b) for b in e.backups]
    if path == "/api/v1/backupObjects":
        counts: dict[str, int] = {}
        for b in e.backups:
            for p in b.points:
                counts[p.vm] = counts.get(p.vm, 0) + 1
        return [r.backup_object(vm, n) for vm, n in counts.items()]
    if path in ("/api/v1/objectRestorePoints", "/api/v1/restorePoints"):
        points = [(p, b.id) for b in e.backups for p in b.points]
        return [r.restore_point(p, bid, i) for i, (p, bid) in enumerate(points)]
    if path == "/api/v1/replicas":
        return [r.replica(x) for x in e.replicas]
    if path == "/api/v1/replicaPoints":
        points = [(p, x.id) for x in e.replicas for p in x.points]
        return [r.replica_point(p, rid, i) for i, (p, rid) in enumerate(points)]
    if path == "/api/v1/sessions":
        after = query.get("createdAfterFilter")
        cut = dt.datetime.fromisoformat(after) if after else None
        return [s for s in (r.session(x) for x in e.sessions if cut is None or x.created >= cut) if s]
    if path == "/api/v1/backupInfrastructure/repositories":
        return [x for x in map(r.repository, e.repos) if x]
    if path == "/api/v1/backupInfrastructure/repositories/states":
        return [x for x in map(r.repository_state, e.repos) if x]
    if path == "/api/v1/backupInfrastructure/scaleOutRepositories":
        return [r.scale_out(s) for s in e.scale_outs]
    return None

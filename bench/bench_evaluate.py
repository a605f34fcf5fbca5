"""Benchmark: evaluate() on 1,000 and 10,000 nodes with 100 restore points each.

Prints both times and their ratio; evaluation is linear in the size of plan and state, so
ten times the nodes should take about ten times as long (a quadratic step would show ~100).
Run: .venv/bin/python bench/bench_evaluate.py
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trondocs.evaluate import evaluate
from trondocs.plan.loader import LoadedPlan
from trondocs.plan.models import Plan
from trondocs.plan.yamlsource import SourceMap
from trondocs.state.models import (
    Asset,
    AssetKind,
    Collection,
    JobKind,
    NodeStatus,
    ProtectionJob,
    RestorePoint,
    RestorePointKind,
    Retention,
    Schedule,
    ScheduleKind,
    SourceRun,
    State,
)

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
POINTS = 100
GROUP = 100  # nodes per replication/backup job


def _plan(names: list[str], vms: list[str]) -> Plan:
    groups = [names[i:i + GROUP] for i in range(0, len(names), GROUP)]
    nodes = [{"name": n, "role": "witness" if i < 2 else "full", **({"priority": i + 1} if i < 2 else {}),
              "runs_on": {"source": "vsphere", "vm": vm, "site": "prod"},
              "endpoint": f"http://10.0.{i // 250}.{i % 250}:8090"}
             for i, (n, vm) in enumerate(zip(names, vms, strict=True))]
    protection = []
    for g, members in enumerate(groups):
        protection += [
            {"name": f"repl-{g}", "kind": "replication", "system": "veeam", "job": f"Replicate {g}",
             "covers": members, "every": "15m", "keep": "50 points", "to": "dr"},
            {"name": f"backup-{g}", "kind": "backup", "system": "veeam", "job": f"Backup {g}",
             "covers": members, "schedule": "daily 02:00", "keep": "25 points", "to": "prod",
             "copy_to": "vault"},
        ]
    return Plan.model_validate({
        "organization": {"name": "Bench SR", "sr_address": "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"},
        "objectives": {"rpo": "1h", "rto": "30m", "test_every": "60d", "max_sync_lag": 20},
        "sites": [{"name": "prod", "role": "primary", "media": "disk"},
                  {"name": "dr", "role": "dr", "media": "disk"},
                  {"name": "vault", "role": "offsite", "media": "object", "immutable": True,
                   "encrypted": True}],
        "nodes": nodes, "protection": protection,
        "failover_plans": [{"name": "site failover", "boot": [{"node": names[2]}, {"node": names[3]}]}],
    })


def _point(vm: str, ident: str, kind: RestorePointKind, created: dt.datetime, location: str, medium: str,
           job: str) -> RestorePoint:
    # model_construct: the bench times evaluation, not the validation of a million inputs.
    return RestorePoint.model_construct(
        source="veeam", id=ident, kind=kind, asset_name=vm, asset_id=None, created=created, location=location,
        medium=medium, immutable=medium == "object", encrypted=True, job=job, job_id=None, status="ok",
        region=None, account=None, copy_of=None)


def _job(ident: str, name: str, kind: JobKind, schedule: Schedule, keep: int, targets: list[str]):
    return ProtectionJob.model_construct(
        source="veeam", system="veeam", id=ident, name=name, kind=kind, enabled=True, schedule=schedule,
        retention=Retention(count=keep), targets=targets, target_tags={}, last_result="success", status=None)


def synthetic(nodes: int) -> tuple[LoadedPlan, State]:
    names = [f"node-{i:05d}" for i in range(nodes)]
    vms = [f"vm-{i:05d}" for i in range(nodes)]
    assets, points, jobs, status = [], [], [], []
    for i, vm in enumerate(vms):
        assets.append(Asset.model_construct(
            source="vcenter", platform="vsphere", kind=AssetKind.VM, id=f"uuid-{i}", name=vm,
            power_state="on", host=f"esx-{i % 7}", datastores=[f"ds-{i % 5}"], datacenter="prod", tags={},
            volumes=[], attributes={}))
        group = i // GROUP
        for n in range(POINTS // 2):
            created = AS_OF - dt.timedelta(minutes=15 * n + 5)
            points.append(_point(vm, f"r-{i}-{n}", RestorePointKind.REPLICA, created, "dr", "disk",
                                 f"Replicate {group}"))
        for n in range(POINTS // 4):
            created = AS_OF - dt.timedelta(days=n, hours=4)
            points.append(_point(vm, f"b-{i}-{n}", RestorePointKind.BACKUP, created, "repo", "disk",
                                 f"Backup {group}"))
            points.append(_point(vm, f"c-{i}-{n}", RestorePointKind.COPY, created, "vault", "object",
                                 f"Backup {group}"))
        status.append(NodeStatus.model_construct(
            source="tron", node=names[i], endpoint="http://x", reachable=True, checked=AS_OF, head_block=100,
            lag_blocks=i % 30, error=None, solidity_block=None))
    for g in range(0, nodes, GROUP):
        targets = vms[g:g + GROUP]
        n = g // GROUP
        every = Schedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(minutes=15))
        jobs.append(_job(f"job-r-{n}", f"Replicate {n}", JobKind.REPLICATION, every, 50, targets))
        jobs.append(_job(f"job-b-{n}", f"Backup {n}", JobKind.BACKUP,
                         Schedule(kind=ScheduleKind.DAILY, time="02:00"), 25, targets))
    runs = [SourceRun(name=n, type=t, ok=True, started=AS_OF - dt.timedelta(minutes=2), finished=AS_OF)
            for n, t in (("vcenter", "vsphere"), ("veeam", "veeam"), ("tron", "java-tron"))]
    state = State.model_construct(
        schema_version=1, collection=Collection(started=AS_OF - dt.timedelta(minutes=3), finished=AS_OF,
                                                trondocs_version="bench", sources=runs),
        assets=assets, hosts=[], restore_points=points, jobs=jobs, repositories=[], failover_plans=[],
        recovery_runs=[], node_status=status, witness=None)
    return LoadedPlan(plan=_plan(names, vms), source_map=SourceMap()), state


def timed(nodes: int, repeat: int) -> tuple[float, int]:
    loaded, state = synthetic(nodes)
    best, findings = float("inf"), 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        assessment = evaluate(loaded, state, as_of=AS_OF)
        best = min(best, time.perf_counter() - start)
        findings = len(assessment.findings)
    return best, findings


def main() -> int:
    small, small_findings = timed(1_000, repeat=3)
    large, large_findings = timed(10_000, repeat=1)
    ratio = large / small
    print(f"evaluate  1,000 nodes × {POINTS} restore points: {small:7.2f} s  ({small_findings:,} findings)")
    print(f"evaluate 10,000 nodes × {POINTS} restore points: {large:7.2f} s  ({large_findings:,} findings)")
    print(f"ratio 10,000 / 1,000 nodes: {ratio:.1f} (linear ≈ 10)")
    return 0 if ratio < 20 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the site of an estate of 500 nodes, against a plain ``mkdocs build`` of the same Markdown.

trondocs' site build = render every page context and template to Markdown + draw the SVGs +
``mkdocs build`` (strict, material, search, offline). The baseline, measured in the same run,
is ``mkdocs build`` alone over the very Markdown and mkdocs.yml trondocs generated, so the
ratio is trondocs' own overhead on top of the static-site generator (1.00 = none).
Evaluation is timed separately: it is not part of the site build.
Run: .venv/bin/python bench/bench_site.py [NODES]
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trondocs.evaluate import evaluate
from trondocs.evaluate.rules import catalogue
from trondocs.plan.loader import LoadedPlan
from trondocs.plan.models import Plan
from trondocs.plan.yamlsource import SourceMap
from trondocs.render.site import SiteData, build_site
from trondocs.render.site.build import run_mkdocs
from trondocs.state.models import (
    Asset,
    AssetKind,
    Collection,
    JobKind,
    NodeStatus,
    ProtectionJob,
    RestorePoint,
    RestorePointKind,
    Schedule,
    ScheduleKind,
    SourceRun,
    State,
)

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
SR = "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
HOUR = dt.timedelta(hours=1)


def estate(count: int) -> tuple[LoadedPlan, State]:
    """``count`` nodes: four in five vSphere VMs (replicated hourly, backed up nightly), the rest EC2."""
    nodes, vms, aws = [], [], []
    for i in range(count):
        name = f"node-{i:04d}"
        role = "witness" if i < 2 else ("solidity" if i % 10 == 9 else "full")
        extra = {"priority": i + 1} if i < 2 else {}
        deps = {"depends_on": [f"node-{i - 1:04d}"]} if role == "solidity" else {}
        if i % 5 == 4:
            runs = {"source": "aws", "instance": f"i-{i:017x}", "region": "eu-central-1", "site": "aws"}
            aws.append(name)
        else:
            runs = {"source": "vsphere", "vm": f"tron-{i:04d}", "site": "prod"}
            vms.append(name)
        nodes.append({"name": name, "role": role, **extra, **deps, "runs_on": runs,
                      "endpoint": f"http://10.{i // 250}.{i % 250}.1:8090"})
    plan = Plan.model_validate({
        "organization": {"name": "Bench SR", "sr_address": SR},
        "objectives": {"rpo": "2h", "rto": "30m", "test_every": "60d", "max_sync_lag": 20},
        "sites": [{"name": "prod", "role": "primary", "media": "disk"},
                  {"name": "dr", "role": "dr", "media": "disk"},
                  {"name": "vault", "role": "offsite", "media": "object", "immutable": True},
                  {"name": "aws", "role": "primary", "media": "cloud-snapshot", "region": "eu-central-1"},
                  {"name": "aws-copy", "role": "offsite", "media": "cloud-snapshot", "region": "eu-west-1"}],
        "nodes": nodes,
        "protection": [
            {"name": "replication", "kind": "replication", "system": "veeam", "job": "Replicate",
             "covers": vms, "every": "1h", "keep": "7 points", "to": "dr"},
            {"name": "backup", "kind": "backup", "system": "veeam", "job": "Backup", "covers": vms,
             "schedule": "daily 02:00", "keep": "14 points", "to": "prod", "copy_to": "vault"},
            {"name": "snapshots", "kind": "snapshot", "system": "dlm", "policy": "hourly", "covers": aws,
             "every": "1h", "keep": "48 snapshots", "to": "aws", "copy_to": "aws-copy",
             "copy_to_region": "eu-west-1"}],
        "failover_plans": [{"name": "site failover", "to": "dr",
                            "boot": [{"node": n, "delay": "30s"} for n in vms[:8]]}],
    })
    assets, points, status = [], [], []
    for node in plan.nodes:
        asset = node.runs_on.asset_name
        vsphere = node.runs_on.vm is not None
        assets.append(Asset(source="vc" if vsphere else "aws", platform="vsphere" if vsphere else "aws",
                            kind=AssetKind.VM if vsphere else AssetKind.INSTANCE, id=asset, name=asset,
                            power_state="on", host="esx-01" if vsphere else None,
                            region=None if vsphere else "eu-central-1"))
        chains = ([(RestorePointKind.REPLICA, "dr", "disk", "Replicate", HOUR, 7),
                   (RestorePointKind.BACKUP, "prod", "disk", "Backup", 24 * HOUR, 14)] if vsphere else
                  [(RestorePointKind.SNAPSHOT, "eu-central-1", "cloud-snapshot", "hourly", HOUR, 48),
                   (RestorePointKind.COPY, "eu-west-1", "cloud-snapshot", "hourly", HOUR, 48)])
        for kind, where, medium, job, step, keep in chains:
            points += [RestorePoint(source="b", id=f"{asset}-{kind.value}-{n}", kind=kind, asset_name=asset,
                                    created=AS_OF - dt.timedelta(minutes=20) - step * n, location=where,
                                    region=where if not vsphere else None, medium=medium, job=job)
                       for n in range(keep)]
        status.append(NodeStatus(source="tron", node=node.name, endpoint=node.endpoint or "", reachable=True,
                                 checked=AS_OF, head_block=1000, reference_head=1001, lag_blocks=1))
    jobs = [ProtectionJob(source="b", system="veeam", id="1", name="Replicate", kind=JobKind.REPLICATION,
                          schedule=Schedule(kind=ScheduleKind.PERIODIC, interval=HOUR), targets=[
                              n.runs_on.asset_name for n in plan.nodes if n.runs_on.vm]),
            ProtectionJob(source="b", system="veeam", id="2", name="Backup", kind=JobKind.BACKUP,
                          schedule=Schedule(kind=ScheduleKind.DAILY, time="02:00"))]
    run = SourceRun(name="b", type="veeam", ok=True, started=AS_OF - HOUR, finished=AS_OF)
    state = State(collection=Collection(started=AS_OF - HOUR, finished=AS_OF, trondocs_version="bench",
                                        sources=[run]),
                  assets=assets, restore_points=points, jobs=jobs, node_status=status)
    return LoadedPlan(plan=plan, source_map=SourceMap()), state


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    loaded, state = estate(count)
    started = time.perf_counter()
    assessment = evaluate(loaded, state, as_of=AS_OF)
    evaluated = time.perf_counter() - started
    data = SiteData(plan=loaded.plan, state=state, assessment=assessment,
                    rules=[r.info for r in catalogue()], trondocs_version="bench")
    # Import mkdocs, the theme and its plugins before timing: neither run pays for them.
    for module in ("mkdocs.commands.build", "material.plugins.search.plugin",
                   "material.plugins.offline.plugin",
                   "pymdownx.superfences"):
        importlib.import_module(module)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        started, cpu = time.perf_counter(), time.process_time()
        result = build_site(data, root / "site", markdown_dir=root / "md")
        site, site_cpu = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        run_mkdocs(root / "md" / "mkdocs.yml", root / "plain")  # the same Markdown, mkdocs alone
        plain, plain_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"estate: {count} nodes, {len(state.restore_points)} restore points, "
          f"{len(assessment.findings)} findings; evaluate {evaluated:.2f}s (not part of the site build)")
    # CPU time is the steadier figure on a shared machine; wall time is what a user waits.
    print(f"trondocs site build: {site:6.2f}s wall {site_cpu:6.2f}s CPU  "
          f"({result.pages} pages, {result.pictures} SVGs)")
    print(f"plain mkdocs build:  {plain:6.2f}s wall {plain_cpu:6.2f}s CPU  (same Markdown and mkdocs.yml)")
    print(f"ratio: {site_cpu / plain_cpu:.2f}x CPU, {site / plain:.2f}x wall "
          f"(trondocs overhead {site_cpu - plain_cpu:.2f}s CPU)")


if __name__ == "__main__":
    main()

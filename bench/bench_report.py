"""Benchmark: the PDF report of a 500-node estate, against WeasyPrint rendering the same HTML directly.

Prints trondocs' time (context + HTML + WeasyPrint + evidence attachments + atomic write), the
time WeasyPrint alone takes for the very same final HTML, their ratio (trondocs' overhead), and
the time of a second run with unchanged inputs, which must not re-render (content hash).
Run: .venv/bin/python bench/bench_report.py [NODES]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trondocs.evaluate import evaluate
from trondocs.plan.loader import LoadedPlan
from trondocs.plan.models import Plan
from trondocs.plan.yamlsource import SourceMap
from trondocs.render.report import report_html
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
from trondocs.workflow.report import write_report

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
GROUP = 50  # nodes per job
REPLICAS = 28  # one replica restore point every 6 hours over the week


def estate(nodes: int) -> tuple[LoadedPlan, State]:
    """A synthetic SR: two witnesses and full nodes, replicated and backed up; every 10th job slow."""
    names = [f"node-{i:04d}" for i in range(nodes)]
    groups = [names[i : i + GROUP] for i in range(0, nodes, GROUP)]
    plan = Plan.model_validate(
        {
            "organization": {"name": "Bench SR", "sr_address": "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"},
            "objectives": {"rpo": "12h", "rto": "30m", "test_every": "60d"},
            "sites": [
                {"name": "prod", "role": "primary", "media": "disk"},
                {"name": "dr", "role": "dr", "media": "disk"},
                {"name": "vault", "role": "offsite", "media": "object", "immutable": True, "encrypted": True},
            ],
            "nodes": [
                {
                    "name": n,
                    "role": "witness" if i < 2 else "full",
                    **({"priority": i + 1} if i < 2 else {}),
                    "runs_on": {"source": "vsphere", "vm": f"vm-{n}", "site": "prod"},
                }
                for i, n in enumerate(names)
            ],
            "protection": [
                p
                for g, members in enumerate(groups)
                for p in (
                    {
                        "name": f"repl-{g}",
                        "kind": "replication",
                        "system": "veeam",
                        "job": f"Replicate {g}",
                        "covers": members,
                        "every": "6h",
                        "keep": f"{REPLICAS} points",
                        "to": "dr",
                    },
                    {
                        "name": f"backup-{g}",
                        "kind": "backup",
                        "system": "veeam",
                        "job": f"Backup {g}",
                        "covers": members,
                        "schedule": "daily 02:00",
                        "keep": "7 points",
                        "to": "prod",
                        "copy_to": "vault",
                    },
                )
            ],
            "drills": [
                {
                    "node": names[1],
                    "scenario": "standby takeover",
                    "started": "2026-10-01T08:00:00Z",
                    "finished": "2026-10-01T08:00:21Z",
                    "result": "success",
                }
            ],
        }
    )
    assets, points, jobs = [], [], []
    for i, name in enumerate(names):
        vm = f"vm-{name}"
        assets.append(
            Asset(
                source="vcenter",
                platform="vsphere",
                kind=AssetKind.VM,
                id=f"uuid-{i}",
                name=vm,
                power_state="on",
                host=f"esx-{i % 7}",
                datastores=[f"ds-{i % 5}"],
            )
        )
        step = dt.timedelta(hours=18 if i % 10 == 0 else 6)  # every 10th node misses its RPO
        for n in range(REPLICAS):
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"r-{i}-{n}",
                    kind=RestorePointKind.REPLICA,
                    asset_name=vm,
                    created=AS_OF - step * n - dt.timedelta(minutes=5),
                    location="dr",
                    medium="disk",
                    encrypted=True,
                    job=f"Replicate {i // GROUP}",
                )
            )
        for n in range(7):
            created = AS_OF - dt.timedelta(days=n, hours=4)
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"b-{i}-{n}",
                    kind=RestorePointKind.BACKUP,
                    asset_name=vm,
                    created=created,
                    location="repo",
                    medium="disk",
                    encrypted=True,
                    job=f"Backup {i // GROUP}",
                )
            )
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"c-{i}-{n}",
                    kind=RestorePointKind.COPY,
                    asset_name=vm,
                    created=created,
                    location="vault",
                    medium="object",
                    immutable=True,
                    encrypted=True,
                    job=f"Backup {i // GROUP}",
                )
            )
    for g, members in enumerate(groups):
        vms = [f"vm-{n}" for n in members]
        jobs.append(
            ProtectionJob(
                source="veeam",
                system="veeam",
                id=f"j-r{g}",
                name=f"Replicate {g}",
                kind=JobKind.REPLICATION,
                targets=vms,
                location="dr",
                last_result="success",
                schedule=Schedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(hours=6)),
                retention=Retention(count=REPLICAS),
            )
        )
        jobs.append(
            ProtectionJob(
                source="veeam",
                system="veeam",
                id=f"j-b{g}",
                name=f"Backup {g}",
                kind=JobKind.BACKUP,
                targets=vms,
                location="repo",
                copy_locations=["vault"],
                last_result="success",
                schedule=Schedule(kind=ScheduleKind.DAILY, time="02:00"),
                retention=Retention(count=7),
            )
        )
    runs = [
        SourceRun(
            name=s,
            type=t,
            ok=True,
            started=AS_OF - dt.timedelta(minutes=2),
            finished=AS_OF,
            api_calls=10,
            objects=len(points),
        )
        for s, t in (("vcenter", "vsphere"), ("veeam", "veeam"))
    ]
    status = [
        NodeStatus(
            source="tron",
            node=n,
            endpoint="http://127.0.0.1:8090",
            reachable=True,
            checked=AS_OF,
            head_block=1000,
            reference_head=1000,
            lag_blocks=0,
            peers=30,
        )
        for n in names
    ]
    state = State(
        collection=Collection(
            started=AS_OF - dt.timedelta(minutes=2), finished=AS_OF, trondocs_version="bench", sources=runs
        ),
        assets=assets,
        restore_points=points,
        jobs=jobs,
        node_status=status,
    )
    return LoadedPlan(plan=plan, source_map=SourceMap()), state


def main() -> None:
    from weasyprint import HTML

    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    loaded, state = estate(nodes)
    started = time.perf_counter()
    assessment = evaluate(loaded, state, as_of=AS_OF)
    print(
        f"estate: {nodes} nodes, {len(state.restore_points):,} restore points, "
        f"{len(assessment.findings):,} rule results (evaluated in {time.perf_counter() - started:.2f}s)"
    )
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        started = time.perf_counter()
        first = write_report(loaded, state, assessment, output)
        ours = time.perf_counter() - started
        assert first.rendered
        pages = len(__import__("pypdf").PdfReader(output).pages)

        html, _, _ = report_html(loaded.plan, state, assessment, paper="a4")
        started = time.perf_counter()
        HTML(string=html).write_pdf()
        weasy = time.perf_counter() - started

        mtime = output.stat().st_mtime_ns
        started = time.perf_counter()
        second = write_report(loaded, state, assessment, output)
        skipped = time.perf_counter() - started
        assert not second.rendered and output.stat().st_mtime_ns == mtime, "unchanged input re-rendered"

    print(f"trondocs report:            {ours:7.2f}s  ({pages} pages, {output.name})")
    print(f"WeasyPrint, same HTML:      {weasy:7.2f}s")
    print(f"overhead ratio:             {ours / weasy:7.2f}x  (trondocs / WeasyPrint alone)")
    print(
        f"unchanged input, 2nd run:   {skipped:7.2f}s  (not re-rendered: content hash "
        f"{second.input_hash[:16]}… matches; {ours / skipped:.0f}x faster)"
    )


if __name__ == "__main__":
    main()

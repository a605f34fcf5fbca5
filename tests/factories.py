"""A realistic discovered State of the example SR (inventory/), built in code for unit tests.

It carries the drift the demo shows: the replication job slowed to 60 minutes, a stale
standby-witness replica, an unplanned VM in the replication job, and (from the plan) an
overdue DR test. Collector tests use real simulators; this is for evaluation and renderers.
"""

from __future__ import annotations

import datetime as dt

from trondocs.plan.models import Medium, Platform, ProtectionSystem
from trondocs.state.models import (
    Asset,
    AssetKind,
    BackupMode,
    Collection,
    DiscoveredSchedule,
    Host,
    HostKind,
    JobKind,
    LagBasis,
    NodeStatus,
    ProtectionJob,
    RecoveryKind,
    RecoveryRun,
    Repository,
    RestorePoint,
    RestorePointKind,
    Retention,
    ScheduleKind,
    SourceRun,
    State,
    WitnessRecord,
)
from trondocs.systems import SourceType

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
SR_ADDRESS = "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
AWS_INSTANCE = "i-0a1b2c3d4e5f60718"
VMS = {  # vm name → (host, datastore)
    "tron-witness-01": ("esx-01.buc.carpathian-nodes.ro", "ds-buc-ssd-01"),
    "tron-witness-02": ("esx-02.buc.carpathian-nodes.ro", "ds-buc-ssd-02"),
    "tron-full-01": ("esx-01.buc.carpathian-nodes.ro", "ds-buc-ssd-01"),
    "tron-solidity-01": ("esx-02.buc.carpathian-nodes.ro", "ds-buc-ssd-02"),
    "tron-full-02": ("esx-02.buc.carpathian-nodes.ro", "ds-buc-ssd-02"),  # not in the plan
}

HEAD_SLOT = 602_113_377  # the head block's slot (abSlot) in the example's witness list
WITNESS_BACKUP = {
    "witness-a": BackupMode(listen_port=10001, member_size=1, priority=10, master=True),
    "witness-b": BackupMode(listen_port=10001, member_size=1, priority=8, master=False),
}


def _every(end: dt.datetime, step: dt.timedelta, count: int) -> list[dt.datetime]:
    return [end - step * i for i in range(count)]


def _run(
    name: str, kind: str, finished: dt.datetime, ok: bool = True, objects: int = 0, error: str | None = None
) -> SourceRun:
    return SourceRun(
        name=name,
        type=SourceType(kind),
        ok=ok,
        error=error,
        started=finished - dt.timedelta(seconds=20),
        finished=finished,
        api_calls=12,
        objects=objects,
    )


def example_state(as_of: dt.datetime = AS_OF, *, failed_sources: tuple[str, ...] = ()) -> State:
    """The example SR as the collectors would see it at ``as_of``."""
    assets: list[Asset] = []
    hosts: list[Host] = []
    points: list[RestorePoint] = []
    for index, (vm, (host, datastore)) in enumerate(VMS.items()):
        assets.append(
            Asset(
                source="vcenter",
                platform=Platform.VSPHERE,
                kind=AssetKind.VM,
                id=f"5003a1b2-0000-4000-8000-00000000000{index}",
                ref=f"vm-{101 + index}",
                name=vm,
                power_state="on",
                host=host,
                cluster="buc-prod",
                datacenter="Bucharest",
                datastores=[datastore],
                folder="TRON",
            )
        )
        replica = f"{vm}_replica"
        assets.append(
            Asset(
                source="vcenter",
                platform=Platform.VSPHERE,
                kind=AssetKind.REPLICA,
                id=f"5003c1d2-0000-4000-8000-00000000000{index}",
                ref=f"vm-{201 + index}",
                name=replica,
                power_state="off",
                host="esx-dr-01.cluj.carpathian-nodes.ro",
                cluster="cluj-dr",
                datacenter="Cluj",
                datastores=["ds-cluj-01"],
                folder="Replicas",
                replica_of=vm,
            )
        )
        # Replication slowed to 60 minutes; witness-02's replica stopped two days ago.
        newest = as_of - dt.timedelta(minutes=38)
        if vm == "tron-witness-02":
            newest = as_of - dt.timedelta(days=2, hours=3)
        for n, created in enumerate(_every(newest, dt.timedelta(minutes=60), 7)):
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"rp-repl-{vm}-{n}",
                    kind=RestorePointKind.REPLICA,
                    asset_name=vm,
                    created=created,
                    # Veeam reports the replication job's destination host (esx-cluj-01); vSphere
                    # reports the replica VM itself on esx-dr-01 in datacenter Cluj.
                    location="esx-cluj-01",
                    host="esx-cluj-01",
                    medium=Medium.DISK,
                    immutable=False,
                    encrypted=False,
                    job="Replicate TRON nodes",
                    name=f"Restore point {n}",
                )
            )
        for n, created in enumerate(_every(as_of.replace(hour=2, minute=4), dt.timedelta(days=1), 14)):
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"rp-bak-{vm}-{n}",
                    kind=RestorePointKind.BACKUP,
                    asset_name=vm,
                    created=created,
                    location="SOBR TRON",
                    repository="SOBR TRON",
                    medium=Medium.DISK,
                    immutable=False,
                    encrypted=True,
                    job="Backup TRON nodes",
                )
            )
            points.append(
                RestorePoint(
                    source="veeam",
                    id=f"rp-tier-{vm}-{n}",
                    kind=RestorePointKind.COPY,
                    asset_name=vm,
                    created=created + dt.timedelta(minutes=50),
                    # A tier copy the source lists (VBR's REST API lists none: see the Veeam
                    # collector); kept so the rule cases can judge an observed object copy.
                    location="s3-frankfurt",
                    repository="s3-frankfurt",
                    medium=Medium.OBJECT,
                    immutable=True,
                    encrypted=True,
                    job="Backup TRON nodes",
                    copy_of=f"rp-bak-{vm}-{n}",
                )
            )
    for host in sorted({h for h, _ in VMS.values()}):
        hosts.append(
            Host(
                source="vcenter",
                id=f"host-{host[:6]}",
                name=host,
                kind=HostKind.HOST,
                cluster="buc-prod",
                datacenter="Bucharest",
            )
        )
    for ds in sorted({d for _, d in VMS.values()}):
        hosts.append(
            Host(
                source="vcenter", id=f"datastore-{ds[-2:]}", name=ds, kind=HostKind.DATASTORE,
                datacenter="Bucharest",
            )
        )
    assets.append(
        Asset(
            source="aws",
            platform=Platform.AWS,
            kind=AssetKind.INSTANCE,
            id=AWS_INSTANCE,
            name="tron-full-aws-01",
            power_state="running",
            region="eu-central-1",
            availability_zone="eu-central-1a",
            account="111122223333",
            instance_type="m6i.2xlarge",
            volumes=["vol-0aa11bb22cc33dd44"],
            tags={"Name": "tron-full-aws-01", "backup": "tron-hourly"},
        )
    )
    for n, created in enumerate(_every(as_of - dt.timedelta(minutes=22), dt.timedelta(hours=1), 48)):
        points.append(
            RestorePoint(
                source="aws",
                id=f"snap-0{n:016x}",
                kind=RestorePointKind.SNAPSHOT,
                asset_id=AWS_INSTANCE,
                asset_name=AWS_INSTANCE,
                created=created,
                location="eu-central-1",
                region="eu-central-1",
                account="111122223333",
                medium=Medium.CLOUD_SNAPSHOT,
                immutable=False,  # no EBS snapshot lock (DescribeLockedSnapshots lists none)
                encrypted=True,
                job="tron-hourly",
            )
        )
        points.append(
            RestorePoint(
                source="aws",
                id=f"snap-1{n:016x}",
                kind=RestorePointKind.COPY,
                asset_id=AWS_INSTANCE,
                asset_name=AWS_INSTANCE,
                created=created + dt.timedelta(minutes=9),
                location="eu-west-1",
                region="eu-west-1",
                account="111122223333",
                medium=Medium.CLOUD_SNAPSHOT,
                immutable=False,  # no EBS snapshot lock (DescribeLockedSnapshots lists none)
                encrypted=True,
                job="tron-hourly",
                copy_of=f"snap-0{n:016x}",
            )
        )
    jobs = [
        ProtectionJob(
            source="veeam",
            system=ProtectionSystem.VEEAM,
            id="7f3e2a10-1c2b-4d5e-8f90-a1b2c3d4e5f6",
            name="Replicate TRON nodes",
            kind=JobKind.REPLICATION,
            schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(minutes=60)),
            retention=Retention(count=7),
            targets=list(VMS),
            location="cluj-dr",
            last_result="warning",
            last_run=as_of - dt.timedelta(minutes=38),
            next_run=as_of + dt.timedelta(minutes=22),
            status="inactive",
            replica_suffix="_replica",
        ),
        ProtectionJob(
            source="veeam",
            system=ProtectionSystem.VEEAM,
            id="0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f",
            name="Backup TRON nodes",
            kind=JobKind.BACKUP,
            schedule=DiscoveredSchedule(kind=ScheduleKind.DAILY, time="02:00"),
            retention=Retention(count=14),
            targets=list(VMS)[:4],
            location="SOBR TRON",
            copy_locations=["s3-frankfurt"],
            last_result="success",
            last_run=as_of.replace(hour=2, minute=0),
            next_run=as_of.replace(hour=2) + dt.timedelta(days=1),
            status="inactive",
        ),
        ProtectionJob(
            source="aws",
            system=ProtectionSystem.DLM,
            id="policy-0123456789abcdef0",
            name="tron-hourly",
            kind=JobKind.SNAPSHOT,
            schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(hours=1)),
            retention=Retention(count=48),
            target_tags={"backup": "tron-hourly"},
            location="eu-central-1",
            copy_locations=["eu-west-1"],
            region="eu-central-1",
            account="111122223333",
        ),
    ]
    repositories = [
        Repository(
            source="veeam",
            id="rep-1",
            name="buc-repo-01",
            type="LinuxHardened",
            immutable=False,
            online=True,
            capacity_bytes=40 * 2**40,
            free_bytes=17 * 2**40,
            medium=Medium.DISK,
        ),
        Repository(
            source="veeam",
            id="sobr-1",
            name="SOBR TRON",
            type="ScaleOut",
            immutable=False,
            online=True,
            medium=Medium.DISK,
            capacity_tier="s3-frankfurt",
        ),
    ]
    runs = [
        RecoveryRun(
            source="veeam",
            id="sess-failover-0714",
            kind=RecoveryKind.PLANNED_FAILOVER,
            name="Planned failover TRON site",
            assets=["tron-full-01", "tron-solidity-01"],
            started=dt.datetime(2026, 7, 14, 7, 0, 40, tzinfo=dt.UTC),
            finished=dt.datetime(2026, 7, 14, 7, 21, 5, tzinfo=dt.UTC),
            result="success",
        )
    ]
    head = 77_412_960
    status = []  # witness-a MASTER, witness-b SLAVER: java-tron backup mode as the plan declares it
    for node, endpoint, lag in (
        ("witness-a", "http://10.10.0.11:8090", 0),
        ("witness-b", "http://10.10.0.12:8090", 1),
        ("full-01", "http://10.10.0.21:8090", 0),
        ("solidity-01", "http://10.10.0.22:8091", 0),
        ("full-aws-01", "http://172.31.5.10:8090", 2),
    ):
        status.append(
            NodeStatus(
                source="tron-nodes",
                node=node,
                endpoint=endpoint,
                reachable=True,
                checked=as_of,
                head_block=head - lag,
                head_time=as_of - dt.timedelta(seconds=3 * lag + 1),
                solidity_block=head - 19 if node == "solidity-01" else None,
                peers=30,
                version="4.8.1",
                reference_head=head,
                lag_blocks=lag,
                lag_seconds=3.0 * lag,
                lag_basis=LagBasis.REFERENCE,
                backup=WITNESS_BACKUP.get(node),
            )
        )
    sources = [
        _run("vcenter", "vsphere", as_of - dt.timedelta(minutes=3), objects=14),
        _run("veeam", "veeam", as_of - dt.timedelta(minutes=2), objects=300),
        _run("aws", "aws", as_of - dt.timedelta(minutes=1), objects=100),
        _run("tron-nodes", "java-tron", as_of, objects=5),
    ]
    if failed_sources:
        sources = [
            s.model_copy(update={"ok": False, "error": "connection refused"})
            if s.name in failed_sources
            else s
            for s in sources
        ]
        drop = {s.name for s in sources if not s.ok}
        assets = [a for a in assets if a.source not in drop]
        points = [p for p in points if p.source not in drop]
        jobs = [j for j in jobs if j.source not in drop]
        status = [s for s in status if s.source not in drop]
    return State(
        collection=Collection(
            started=as_of - dt.timedelta(minutes=3, seconds=20),
            finished=as_of,
            trondocs_version="0.1.0",
            sources=sources,
        ),
        assets=assets,
        hosts=hosts,
        restore_points=points,
        jobs=jobs,
        repositories=repositories,
        recovery_runs=runs,
        node_status=status,
        witness=WitnessRecord(
            address=SR_ADDRESS,
            produced=412_332,
            missed=17,
            latest_block=head - 11,
            latest_slot=HEAD_SLOT - 8,
            is_jobs=True,
            votes=1_204_556_001,
            rank=14,
            head_slot=HEAD_SLOT,
        ),
    )

"""A small SR estate built from the vendors' documented shapes, not from the demo.

"Danube Staking" runs two vSphere nodes in Frankfurt (datacenter FRA), replicated by Veeam to
Amsterdam (datacenter AMS), backed up nightly to a hardened repository in Frankfurt with a
scale-out capacity tier on Wasabi, and one AWS full node. The Veeam part goes through the
collector's own conversion functions, fed with JSON in the shapes of Veeam's REST API
(ObjectRestorePointModel, BackupModel, ReplicaModel, ReplicaPointModel, RepositoryModel,
ScaleOutRepositoryModel and the job models of 1.2-rev1, as Veeam's OpenAPI document and its
examples give them); the vSphere and AWS parts are the State objects their collectors write
(vSphere: PropertyCollector names, instance UUIDs and morefs; EBS: DescribeSnapshots fields).
Every test states what it changes on top.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from trondocs.collectors.veeam.jobs import to_jobs
from trondocs.collectors.veeam.points import backup_points, replica_points
from trondocs.collectors.veeam.repositories import to_repositories
from trondocs.plan.loader import LoadedPlan, load_plan
from trondocs.plan.models import Medium, Platform, ProtectionSystem
from trondocs.state.models import (
    Asset,
    AssetKind,
    Collection,
    RestorePoint,
    RestorePointKind,
    SourceRun,
    State,
)
from trondocs.systems import SourceType

AS_OF = dt.datetime(2026, 10, 5, 12, 0, tzinfo=dt.UTC)
ACCOUNT = "444455556666"
INSTANCE = "i-0feedc0ffee123456"

PLAN = """\
organization:
  name: Danube Staking
  sr_address: TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt
  elected: true
objectives: {rpo: 24h, rto: 1h, test_every: 90d, max_sync_lag: 20}
three_two_one: {copies: 3, media: 2, offsite: 1, immutable: 1}
sites:
  - name: fra
    role: primary
    media: disk
    holds: {datacenters: [FRA], repositories: [fra-hardened, SOBR FRA]}
  - name: ams
    role: dr
    media: disk
    holds: {datacenters: [AMS], hosts: [esx-ams-01.danube.example]}
  - name: wasabi
    role: offsite
    media: object
    holds: {repositories: [wasabi-eu]}
    immutable: true
    encrypted: true
  - name: aws-fra
    role: primary
    media: cloud-snapshot
    region: eu-central-1
    account: "444455556666"
  - name: aws-dub
    role: offsite
    media: cloud-snapshot
    region: eu-west-1
    account: "777788889999"
nodes:
  - name: witness-1
    role: witness
    priority: 1
    runs_on: {source: vsphere, vm: sr-witness-1, site: fra}
    rpo: 15m
  - name: full-1
    role: full
    runs_on: {source: vsphere, vm: sr-full-1, site: fra}
  - name: full-aws
    role: full
    runs_on: {source: aws, instance: i-0feedc0ffee123456, region: eu-central-1, account: "444455556666"}
protection:
  - name: replicas
    kind: replication
    system: veeam
    job: SR replicas
    covers: [witness-1, full-1]
    every: 15m
    keep: 7 points
    to: ams
  - name: nightly
    kind: backup
    system: veeam
    job: SR nightly
    covers: [witness-1, full-1]
    schedule: daily 01:00
    keep: 14 points
    to: fra
    copy_to: wasabi
  - name: hourly
    kind: snapshot
    system: dlm
    policy: sr-hourly
    covers: [full-aws]
    every: 1h
    keep: 24 snapshots
    to: aws-fra
    copy_to: aws-dub
    copy_to_region: eu-west-1
"""


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def iso(value: dt.datetime) -> str:
    # Veeam sends local offsets and variable fractions: +02:00 here.
    return value.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()


VMS = {"sr-witness-1": (1, "vm-31"), "sr-full-1": (2, "vm-32")}
REPLICATION_JOB, BACKUP_JOB = uid(900), uid(901)
HARDENED, WASABI, SOBR = uid(800), uid(801), uid(802)


def load(tmp_path: Path, plan_text: str = PLAN) -> LoadedPlan:
    folder = tmp_path / "inventory"
    folder.mkdir(exist_ok=True)
    (folder / "plan.yaml").write_text(plan_text)
    return load_plan(folder)


def vsphere_assets() -> list[Asset]:
    assets = []
    for name, (n, moref) in VMS.items():
        assets.append(
            Asset(
                source="vcenter",
                platform=Platform.VSPHERE,
                kind=AssetKind.VM,
                id=uid(n),
                ref=moref,
                name=name,
                power_state="on",
                host="esx-fra-01.danube.example",
                cluster="fra-prod",
                datacenter="FRA",
                datastores=["ds-fra-01"],
            )
        )
        assets.append(
            Asset(
                source="vcenter",
                platform=Platform.VSPHERE,
                kind=AssetKind.REPLICA,
                id=uid(100 + n),
                ref=f"vm-{100 + n}",
                name=f"{name}_replica",
                power_state="off",
                host="esx-ams-01.danube.example",
                cluster="ams-dr",
                datacenter="AMS",
                datastores=["ds-ams-01"],
                replica_of=name,
            )
        )
    return assets


def veeam_repositories():
    repos = [
        {
            "type": "LinuxHardened",
            "id": HARDENED,
            "name": "fra-hardened",
            "description": "",
            "repository": {"path": "/backups", "makeRecentBackupsImmutableDays": 14},
        },
        {
            "type": "WasabiCloud",
            "id": WASABI,
            "name": "wasabi-eu",
            "description": "",
            "bucket": {"bucketName": "sr", "immutability": {"isEnabled": True, "daysCount": 30}},
        },
    ]
    states = [
        {
            "type": "LinuxHardened",
            "id": HARDENED,
            "name": "fra-hardened",
            "capacityGB": 1000.0,
            "freeGB": 400.0,
            "usedSpaceGB": 600.0,
            "isOnline": True,
        }
    ]
    sobrs = [
        {
            "id": SOBR,
            "name": "SOBR FRA",
            "description": "",
            "performanceTier": {
                "performanceExtents": [{"id": HARDENED, "name": "fra-hardened", "status": "Normal"}]
            },
            "capacityTier": {
                "isEnabled": True,
                "extents": [{"id": WASABI}],
                "copyPolicyEnabled": True,
                "movePolicyEnabled": False,
                "operationalRestorePeriodDays": 14,
            },
        }
    ]
    return to_repositories("veeam", repos, states, sobrs)


def veeam_jobs(storage):
    jobs = [
        {
            "type": "VSphereReplica",
            "id": REPLICATION_JOB,
            "name": "SR replicas",
            "isDisabled": False,
            "virtualMachines": {
                "includes": [
                    {"inventoryObject": {"type": "VirtualMachine", "name": vm, "objectId": moref}}
                    for vm, (_, moref) in VMS.items()
                ]
            },
            "destination": {"host": {"type": "Host", "name": "esx-ams-01.danube.example"}},
            "jobSettings": {"restorePointsToKeep": 7, "replicaNameSuffix": "_replica"},
            "schedule": {
                "runAutomatically": True,
                "periodically": {"isEnabled": True, "periodicallyKind": "Minutes", "frequency": 15},
            },
        },
        {
            "type": "VSphereBackup",
            "id": BACKUP_JOB,
            "name": "SR nightly",
            "isDisabled": False,
            "virtualMachines": {
                "includes": [
                    {"inventoryObject": {"type": "VirtualMachine", "name": vm, "objectId": moref}}
                    for vm, (_, moref) in VMS.items()
                ]
            },
            "storage": {
                "backupRepositoryId": SOBR,
                "retentionPolicy": {"type": "RestorePoints", "quantity": 14},
            },
            "schedule": {
                "runAutomatically": True,
                "daily": {"isEnabled": True, "dailyKind": "Everyday", "localTime": "01:00"},
            },
        },
    ]
    states = [
        {
            "type": "Replica",
            "id": REPLICATION_JOB,
            "name": "SR replicas",
            "status": "inactive",
            "lastResult": "Success",
            "lastRun": iso(AS_OF - dt.timedelta(minutes=5)),
        },
        {
            "type": "Backup",
            "id": BACKUP_JOB,
            "name": "SR nightly",
            "status": "inactive",
            "lastResult": "Success",
            "lastRun": iso(AS_OF.replace(hour=1)),
        },
    ]
    return to_jobs("veeam", jobs, states, storage.names, {SOBR: "wasabi-eu"})


def backup_json(vm: str, n: int, created: dt.datetime) -> dict:
    """ObjectRestorePointModel, 1.2-rev1 (``type``, ``malwareStatus``, ``backupFileId``)."""
    return {
        "platformName": "VMware",
        "type": "Increment",
        "malwareStatus": "Clean",
        "id": uid(5000 + n),
        "name": vm,
        "platformId": uid(0),
        "creationTime": iso(created),
        "backupId": uid(700),
        "sessionId": None,
        "allowedOperations": ["StartViVMInstantRecovery"],
        "backupFileId": uid(6000 + n),
    }


def replica_json(vm: str, n: int, created: dt.datetime, replica_id: str) -> dict:
    """ReplicaPointModel (1.2-rev1 example shape)."""
    return {
        "platformName": "VMware",
        "state": "Ready",
        "malwareStatus": "Clean",
        "id": uid(7000 + n),
        "name": vm,
        "platformId": uid(0),
        "creationTime": iso(created),
        "replicaId": replica_id,
        "allowedOperations": ["StartViVMSnapshotReplicaFailover"],
    }


NIGHTLY = AS_OF.replace(hour=1, minute=3)


def veeam_points(
    storage,
    *,
    replica_every=dt.timedelta(minutes=15),
    replica_newest=dt.timedelta(minutes=4),
    backup_newest_day=NIGHTLY,
) -> list[RestorePoint]:
    backups = [
        {
            "platformName": "VMware",
            "id": uid(700),
            "jobId": BACKUP_JOB,
            "policyUniqueId": "",
            "name": "SR nightly",
            "platformId": uid(0),
            "creationTime": iso(AS_OF - dt.timedelta(days=30)),
            "repositoryId": SOBR,
        }
    ]
    replicas = [
        {
            "type": "Regular",
            "id": uid(710 + n),
            "jobId": REPLICATION_JOB,
            "name": f"{vm}_replica",
            "platformName": "VMware",
            "platformId": uid(0),
            "creationTime": iso(AS_OF - dt.timedelta(days=40)),
            "state": "Ready",
        }
        for vm, (n, _) in VMS.items()
    ]
    points, rpoints = [], []
    for vm, (n, _) in VMS.items():
        for k in range(14):
            points.append(backup_json(vm, n * 100 + k, backup_newest_day - dt.timedelta(days=k)))
        for k in range(7):
            rpoints.append(
                replica_json(vm, n * 100 + k, AS_OF - replica_newest - k * replica_every, uid(710 + n))
            )
    names = {REPLICATION_JOB: "SR replicas", BACKUP_JOB: "SR nightly"}
    found = backup_points("veeam", points, backups, names, storage, {BACKUP_JOB: True})
    found = [
        dataclasses.replace(p, asset_ref=VMS[p.asset_name][1]) for p in found
    ]  # backupObjects objectId
    return found + replica_points(
        "veeam", rpoints, replicas, names, {REPLICATION_JOB: "esx-ams-01.danube.example"}
    )


def ebs_points() -> list[RestorePoint]:
    """EBS snapshots as the AWS collector writes them: the instance resolved from the volume."""
    out = []
    for k in range(24):
        created = AS_OF - dt.timedelta(minutes=20) - k * dt.timedelta(hours=1)
        out.append(
            RestorePoint(
                source="aws",
                id=f"snap-0{k:016x}",
                kind=RestorePointKind.SNAPSHOT,
                asset_id=INSTANCE,
                asset_name=INSTANCE,
                created=created,
                location="eu-central-1",
                region="eu-central-1",
                account=ACCOUNT,
                medium=Medium.CLOUD_SNAPSHOT,
                immutable=False,
                encrypted=True,
                job="sr-hourly",
                job_id="policy-0abc",
            )
        )
        out.append(
            RestorePoint(
                source="aws",
                id=f"snap-1{k:016x}",
                kind=RestorePointKind.COPY,
                asset_id=INSTANCE,
                asset_name=INSTANCE,
                created=created + dt.timedelta(minutes=7),
                location="eu-west-1",
                region="eu-west-1",
                account="777788889999",
                medium=Medium.CLOUD_SNAPSHOT,
                immutable=False,
                encrypted=True,
                job="sr-hourly",
                job_id="policy-0abc",
                copy_of=f"snap-0{k:016x}",
            )
        )
    return out


def aws_objects():
    from trondocs.state.models import DiscoveredSchedule, JobKind, ProtectionJob, Retention, ScheduleKind

    asset = Asset(
        source="aws",
        platform=Platform.AWS,
        kind=AssetKind.INSTANCE,
        id=INSTANCE,
        ref=f"arn:aws:ec2:eu-central-1:{ACCOUNT}:instance/{INSTANCE}",
        name="sr-full-aws",
        power_state="on",
        region="eu-central-1",
        availability_zone="eu-central-1b",
        account=ACCOUNT,
        tags={"dlm": "hourly"},
    )
    job = ProtectionJob(
        source="aws",
        system=ProtectionSystem.DLM,
        id="policy-0abc",
        name="sr-hourly",
        kind=JobKind.SNAPSHOT,
        schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=dt.timedelta(hours=1)),
        retention=Retention(count=24),
        target_tags={"dlm": "hourly"},
        location="eu-central-1",
        copy_locations=["eu-west-1"],
        region="eu-central-1",
        account=ACCOUNT,
        status="enabled",
    )
    return asset, job


def run(name: str, kind: str, *, ok: bool = True, error: str | None = None) -> SourceRun:
    return SourceRun(
        name=name,
        type=SourceType(kind),
        ok=ok,
        error=error,
        started=AS_OF - dt.timedelta(minutes=2),
        finished=AS_OF - dt.timedelta(minutes=1),
    )


def estate(**kw) -> State:
    """The whole estate at AS_OF; keyword arguments pass through to :func:`veeam_points`."""
    repositories, storage = veeam_repositories()
    asset, job = aws_objects()
    return State(
        collection=Collection(
            started=AS_OF - dt.timedelta(minutes=2),
            finished=AS_OF,
            trondocs_version="test",
            sources=[run("vcenter", "vsphere"), run("veeam", "veeam"), run("aws", "aws")],
        ),
        assets=[*vsphere_assets(), asset],
        restore_points=veeam_points(storage, **kw) + ebs_points(),
        jobs=[*veeam_jobs(storage), job],
        repositories=repositories,
    )


def failed(state: State, source: str, error: str = "connection refused") -> State:
    """The state a collection gives when ``source`` fails: its run failed, none of its objects."""
    runs = [
        r.model_copy(update={"ok": False, "error": error}) if r.name == source else r
        for r in state.collection.sources
    ]
    keep = {
        "restore_points",
        "assets",
        "jobs",
        "repositories",
        "recovery_runs",
        "node_status",
        "hosts",
        "failover_plans",
    }
    update = {k: [o for o in getattr(state, k) if getattr(o, "source", None) != source] for k in keep}
    return state.model_copy(
        update={"collection": state.collection.model_copy(update={"sources": runs}), **update}
    )

"""What a fake Veeam server holds, as plain data: VMs, repositories, jobs, backups, replicas, sessions.

Values are kept in one canonical spelling (lowercase statuses and day names, the 1.2-rev1
session types); ``veeam_render`` turns them into each revision's JSON (its enum casing, its
field names) so one estate can be served by any revision.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field


def uid(name: str) -> str:
    """A stable UUID per name, so tests can refer to ids without bookkeeping."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"veeam-fake:{name}"))


@dataclass
class Vm:
    name: str
    object_id: str  # vSphere moref, e.g. vm-101
    host: str = "vcenter.buc.example"


@dataclass
class Repo:
    name: str
    type: str  # LinuxHardened | LinuxLocal | WinLocal | S3Compatible | AmazonS3 …
    path: str = ""
    capacity_gb: float = 0.0
    free_gb: float = 0.0
    online: bool = True
    immutable_days: int | None = None  # hardened / object-lock days; None = not immutable
    bucket: str | None = None
    host: str = "repo.buc.example"
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid("repo:" + self.name)


@dataclass
class ScaleOut:
    name: str
    extents: list[str]  # performance extents: repository names
    capacity_extent: str | None = None  # capacity tier: an object-storage repository name
    copy_policy: bool = True
    move_policy: bool = False
    tier_encrypted: bool = True
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid("sobr:" + self.name)


@dataclass
class Schedule:
    daily_time: str | None = None  # "02:00"
    daily_kind: str = "Everyday"
    days: list[str] = field(default_factory=list)  # lowercase day names
    periodic_kind: str | None = None  # Minutes | Hours | Days
    periodic_every: int = 0
    continuous: bool = False
    after_job: str | None = None
    run_automatically: bool = True
    window: dict[str, str] = field(default_factory=dict)  # day → "1,1,0,…" (24); others all permitted


@dataclass
class Job:
    name: str
    kind: str  # "backup" | "replica" | "copy" (a 1.3 backup copy job of the ``sources`` jobs)
    vms: list[str]
    repository: str | None = None  # repository or scale-out name (backup jobs, replica metadata)
    schedule: Schedule = field(default_factory=Schedule)
    retention_type: str = "RestorePoints"  # backup jobs: RestorePoints | Days
    retention: int = 7  # backup: quantity; replica: restorePointsToKeep
    suffix: str = "_replica"
    encrypted: bool = False  # backup jobs: storage encryption
    disabled: bool = False
    status: str = "inactive"  # running | inactive | disabled
    last_result: str = "Success"
    last_run: dt.datetime | None = None
    next_run: dt.datetime | None = None
    description: str = "Created by BUC\\veeam-admin"
    # VMware containers included, (EVmwareInventoryType, name, moref): Folder, ResourcePool, Tag…
    containers: list[tuple[str, str, str]] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)  # VMs excluded (BackupJobExclusions.vms)
    sources: list[str] = field(default_factory=list)  # copy jobs: names of the jobs whose backups they copy
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid("job:" + self.name)


@dataclass
class Point:
    vm: str
    created: dt.datetime
    type: str = "Increment"
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid(f"point:{self.vm}:{self.created.isoformat()}")


@dataclass
class Backup:
    job: str  # job name
    repository: str  # repository or scale-out name
    created: dt.datetime
    points: list[Point] = field(default_factory=list)
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid("backup:" + self.job)


@dataclass
class Replica:
    job: str
    vm: str
    created: dt.datetime
    state: str = "Ready"
    points: list[Point] = field(default_factory=list)
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid(f"replica:{self.job}:{self.vm}")


@dataclass
class Session:
    name: str
    type: str  # 1.2-rev1 spelling: BackupJob, ReplicaJob, RestoreVm, InstantRecovery, Failover, …
    created: dt.datetime
    ended: dt.datetime | None = None
    result: str = "Success"  # None | Success | Warning | Failed
    state: str = "Stopped"
    job: str | None = None  # job name, for job runs
    message: str = ""
    id: str = ""

    def __post_init__(self):
        self.id = self.id or uid(f"session:{self.name}:{self.created.isoformat()}")


@dataclass
class VeeamEstate:
    vms: list[Vm] = field(default_factory=list)
    repos: list[Repo] = field(default_factory=list)
    scale_outs: list[ScaleOut] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    backups: list[Backup] = field(default_factory=list)
    replicas: list[Replica] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    utc_offset: dt.timedelta = dt.timedelta(hours=2)  # the server's local time zone (EET)

    def vm(self, name: str) -> Vm:
        return next(v for v in self.vms if v.name == name)

    def repo(self, name: str) -> Repo | None:
        return next((r for r in self.repos if r.name == name), None)

    def scale_out(self, name: str) -> ScaleOut | None:
        return next((s for s in self.scale_outs if s.name == name), None)

    def storage_id(self, name: str | None) -> str | None:
        target = self.repo(name) if name else None
        target = target or (self.scale_out(name) if name else None)
        return target.id if target else None

    def job(self, name: str) -> Job:
        return next(j for j in self.jobs if j.name == name)


TRON_VMS = ("tron-witness-01", "tron-witness-02", "tron-full-01", "tron-solidity-01")


def tron_estate(now: dt.datetime) -> VeeamEstate:
    """The example SR's Veeam server: nightly backups to a hardened SOBR with an S3 capacity tier,
    15-minute replication to the DR site, and a recent failover drill."""
    now = now.astimezone(dt.UTC).replace(microsecond=0)
    day = now.replace(hour=0, minute=0, second=0)
    vms = [Vm(name, f"vm-{101 + i}") for i, name in enumerate(TRON_VMS)]
    repos = [
        Repo("buc-hardened-01", "LinuxHardened", "/mnt/veeam/backups", 20480.0, 8123.5,
             immutable_days=7),
        Repo("s3-frankfurt", "S3Compatible", capacity_gb=0.0, free_gb=0.0, immutable_days=30,
             bucket="tron-offsite", host="s3.fra.example"),
        Repo("cluj-meta", "WinLocal", "D:\\VeeamMeta", 2048.0, 1500.25, host="veeam-proxy.cluj.example"),
    ]
    sobr = ScaleOut("TRON SOBR", extents=["buc-hardened-01"], capacity_extent="s3-frankfurt")
    backup_job = Job(
        "Backup TRON nodes", "backup", list(TRON_VMS), repository="TRON SOBR",
        schedule=Schedule(daily_time="02:00", daily_kind="Everyday"), retention=14, encrypted=True,
        last_result="Success", last_run=day + dt.timedelta(hours=2, seconds=7),
        next_run=day + dt.timedelta(days=1, hours=2))
    replica_job = Job(
        "Replicate TRON nodes", "replica", list(TRON_VMS), repository="cluj-meta",
        schedule=Schedule(periodic_kind="Minutes", periodic_every=15), retention=7,
        suffix="_replica", last_result="Warning", last_run=now - dt.timedelta(minutes=9),
        next_run=now + dt.timedelta(minutes=6))
    backups = [Backup("Backup TRON nodes", "TRON SOBR", day - dt.timedelta(days=30), points=[
        Point(vm, day - dt.timedelta(days=back) + dt.timedelta(hours=2, minutes=i, seconds=31),
              "Full" if back == 3 else "Increment")
        for back in (3, 2, 1, 0) for i, vm in enumerate(TRON_VMS)])]
    replicas = [Replica("Replicate TRON nodes", vm, day - dt.timedelta(days=60), points=[
        Point(vm, now - dt.timedelta(minutes=9 + 15 * k), "Snapshot") for k in range(3)])
        for vm in TRON_VMS]
    sessions = [
        Session("Backup TRON nodes", "BackupJob", day + dt.timedelta(hours=2), job="Backup TRON nodes",
                ended=day + dt.timedelta(hours=2, minutes=41), result="Success"),
        Session("Replicate TRON nodes", "ReplicaJob", now - dt.timedelta(minutes=9),
                ended=now - dt.timedelta(minutes=7), job="Replicate TRON nodes", result="Warning",
                message="Processing tron-solidity-01: snapshot consolidation took longer than expected"),
        Session("tron-full-01", "Failover", now - dt.timedelta(days=6, hours=3),
                ended=now - dt.timedelta(days=6, hours=3) + dt.timedelta(minutes=4, seconds=12)),
        Session("tron-full-01", "UndoFailover", now - dt.timedelta(days=6, hours=2),
                ended=now - dt.timedelta(days=6, hours=2) + dt.timedelta(minutes=2)),
        Session("tron-solidity-01", "RestoreVm", now - dt.timedelta(days=3, hours=5),
                ended=now - dt.timedelta(days=3, hours=5) + dt.timedelta(minutes=23), result="Failed",
                message="Restore failed: datastore ds-cluj-02 is out of space"),
        Session("tron-witness-02", "InstantRecovery", now - dt.timedelta(days=2),
                ended=now - dt.timedelta(days=2) + dt.timedelta(minutes=3, seconds=40)),
        Session("TRON drill", "SureBackup", now - dt.timedelta(days=1, hours=1),
                ended=now - dt.timedelta(days=1), result="Warning"),
        Session("tron-witness-01", "Failback", now - dt.timedelta(hours=2), result="None",
                state="Working"),
        # Older than the default 14-day window: must not be collected.
        Session("tron-full-01", "Failover", now - dt.timedelta(days=40),
                ended=now - dt.timedelta(days=40) + dt.timedelta(minutes=5)),
    ]
    return VeeamEstate(vms=vms, repos=repos, scale_outs=[sobr], jobs=[backup_job, replica_job],
                       backups=backups, replicas=replicas, sessions=sessions)

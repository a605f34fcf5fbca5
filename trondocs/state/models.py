"""Discovered state: what the sources say exists, as one versioned snapshot.

Times are always timezone-aware UTC. The vocabularies the plan shares (platform, protection
system, medium) are the plan's enums, so one comparison serves both; a source's type is the
systems table's ``SourceType``. Enumerations that come from vendors stay open strings where
vendors add values between versions (``power_state``, ``last_result``…): collectors normalise
the known values to the lowercase spellings listed here and keep unknown ones.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.dataclasses import dataclass

from trondocs.plan.models import Medium, Platform, ProtectionSystem
from trondocs.systems import SourceType

SCHEMA_VERSION = 1


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("timestamps in the state must carry a time zone")
    return value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(_utc)]


class StateModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class HostKind(StrEnum):
    """A failure domain beneath VMs."""

    HOST = "host"  # an ESXi host (with its cluster)
    DATASTORE = "datastore"


class AssetKind(StrEnum):
    VM = "vm"
    INSTANCE = "instance"
    REPLICA = "replica"  # a Veeam replica VM at the DR site


class RestorePointKind(StrEnum):
    SNAPSHOT = "snapshot"
    BACKUP = "backup"
    REPLICA = "replica"
    COPY = "copy"  # backup copy, capacity tier, cross-region/-account snapshot copy


class JobKind(StrEnum):
    BACKUP = "backup"
    REPLICATION = "replication"
    SNAPSHOT = "snapshot"
    COPY = "copy"


class ScheduleKind(StrEnum):
    PERIODIC = "periodic"  # every N minutes/hours/days
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CRON = "cron"
    CONTINUOUS = "continuous"
    AFTER_JOB = "after_job"
    MANUAL = "manual"


class LagBasis(StrEnum):
    """What a node's lag is measured against."""

    REFERENCE = "reference"  # an independent node (the reference endpoint)
    OWN_NODES = "own nodes"  # the highest of the operator's nodes, when no reference answered:
    # nodes all stuck at one height agree with each other


class RecoveryKind(StrEnum):
    RESTORE = "restore"
    INSTANT_RECOVERY = "instant_recovery"
    FILE_RESTORE = "file_restore"
    FAILOVER = "failover"
    PLANNED_FAILOVER = "planned_failover"
    FAILBACK = "failback"
    SUREBACKUP = "surebackup"
    DRILL = "drill"


# Known result spellings (open strings: unknown vendor values are kept as they came).
RESULT_SUCCESS, RESULT_WARNING, RESULT_FAILED, RESULT_NONE, RESULT_RUNNING = (
    "success", "warning", "failed", "none", "running")
SUCCEEDED_RESULTS = frozenset({RESULT_SUCCESS, RESULT_WARNING})  # a run that warned still succeeded


class Host(StateModel):
    """A failure domain beneath VMs: an ESXi host (with its cluster) or a datastore."""

    source: str
    id: str  # moref, e.g. host-21 / datastore-14
    name: str
    kind: HostKind
    cluster: str | None = None
    datacenter: str | None = None


class Asset(StateModel):
    """A VM or instance, as its source knows it."""

    source: str  # the configured source's name (sources.yaml)
    platform: Platform
    kind: AssetKind
    id: str  # stable: vSphere instance UUID, AWS instance id
    ref: str | None = None  # vSphere moref (vm-42); AWS instance ARN
    name: str
    power_state: str = "unknown"  # "on" | "off" | "suspended" | "unknown" | vendor value
    host: str | None = None
    cluster: str | None = None
    datacenter: str | None = None
    datastores: list[str] = Field(default_factory=list)
    folder: str | None = None
    annotation: str | None = None
    region: str | None = None
    availability_zone: str | None = None
    account: str | None = None
    instance_type: str | None = None
    volumes: list[str] = Field(default_factory=list)
    tags: dict[str, str] = Field(default_factory=dict)
    attributes: dict[str, str] = Field(default_factory=dict)  # vSphere custom attributes
    replica_of: str | None = None  # for replicas: the source VM's name


# A slotted, frozen pydantic dataclass rather than a StateModel: a large state is nearly all
# restore points (280,000 at 5,000 nodes), and a BaseModel instance carries a __dict__ and a set
# of given field names besides its values (~1,030 bytes traced a point, ~360 as slots). The
# validation is the same (strict, extra keys forbidden, UTC times); keyword-only keeps the
# fields in their order and calls by keyword, as a model's. Copies: dataclasses.replace.
@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", strict=True))
class RestorePoint:
    """One point a node could be restored to."""

    source: str
    id: str
    kind: RestorePointKind
    asset_id: str | None = None  # id of the protected asset, when the source knows it
    asset_ref: str | None = None  # the protected VM's vSphere moref (vm-42), when the source knows it
    asset_name: str  # name of the protected VM/instance (the node's runs_on vm/instance)
    created: UtcDateTime
    location: str | None = None  # where it is, for people: repository, datastore, host, region or vault
    # Where the source says the data is, in its own terms; evaluation maps these to the plan's
    # sites (a site's ``holds``). A point with none of them that a site claims is unplaced.
    region: str | None = None  # AWS region (EBS snapshots, AWS Backup, N2WS)
    account: str | None = None  # AWS account
    repository: str | None = None  # Veeam repository or scale-out repository; AWS Backup vault
    datastore: str | None = None  # vSphere datastore (VM snapshots, replica VMs)
    host: str | None = None  # ESXi host (replica destination)
    cluster: str | None = None  # vSphere cluster
    datacenter: str | None = None  # vSphere datacenter
    medium: Medium | None = None
    immutable: bool | None = None
    encrypted: bool | None = None
    job: str | None = None  # name of the job/policy that made it
    job_id: str | None = None
    status: str = "ok"  # "ok" | "failed" | "partial" | "creating" | vendor value
    copy_of: str | None = None  # id of the restore point this one copies
    size_bytes: int | None = None
    name: str | None = None  # e.g. snapshot name
    description: str | None = None
    quiesced: bool | None = None  # vSphere snapshot taken with guest file-system quiescing


class DiscoveredSchedule(StateModel):
    kind: ScheduleKind
    interval: dt.timedelta | None = None  # periodic: every …
    time: str | None = None  # "02:00" local to the source
    days: list[str] = Field(default_factory=list)  # lowercase day names
    expression: str | None = None  # cron(…) or the vendor's text
    timezone: str | None = None  # IANA zone the expression/time is in (AWS Backup); None: UTC/source-local
    after_job: str | None = None
    # When a periodic job may start (Veeam backup window): day → 24 characters, 1 permitted, 0 denied
    window: dict[str, str] = Field(default_factory=dict)


class Retention(StateModel):
    count: int | None = None  # restore points / generations / snapshots
    duration: dt.timedelta | None = None


class ProtectionJob(StateModel):
    """A backup/replication job, snapshot policy or backup plan rule, as configured."""

    source: str
    system: ProtectionSystem
    id: str
    name: str
    kind: JobKind
    enabled: bool = True
    schedule: DiscoveredSchedule | None = None
    retention: Retention | None = None
    targets: list[str] = Field(default_factory=list)  # names of the VMs/instances it includes
    target_tags: dict[str, str] = Field(default_factory=dict)  # tag-based selection (DLM, Backup)
    location: str | None = None  # repository / vault / region it writes to
    copy_locations: list[str] = Field(default_factory=list)  # copy regions, capacity tier, …
    # Copy targets the job is configured for whose restore points the source's API does not list
    # (a Veeam capacity tier): a copy there may exist, but nothing observed shows it.
    unlisted_copies: list[str] = Field(default_factory=list)
    last_result: str | None = None  # "success" | "warning" | "failed" | "none" | …
    last_run: UtcDateTime | None = None
    next_run: UtcDateTime | None = None
    status: str | None = None  # "running" | "inactive" | "disabled" | …
    replica_suffix: str | None = None
    region: str | None = None
    account: str | None = None
    # One policy/plan with several schedules (DLM) or rules (AWS Backup) is one job per
    # schedule, each naming it here; the plan's protection may name the one it means.
    rule: str | None = None
    excludes: list[str] = Field(default_factory=list)  # VM names the job's selection leaves out
    # VMware containers the job includes, as "kind:name" (folder:TRON, resourcepool:Prod, tag:tron):
    # their VMs are the job's too; evaluation expands what vSphere's inventory can resolve.
    containers: list[str] = Field(default_factory=list)


class Repository(StateModel):
    """Where backups land: a Veeam repository, an AWS Backup vault."""

    source: str
    id: str
    name: str
    type: str
    immutable: bool | None = None
    encrypted: bool | None = None
    online: bool | None = None
    capacity_bytes: int | None = None
    free_bytes: int | None = None
    medium: Medium | None = None
    region: str | None = None
    capacity_tier: str | None = None  # name of the object-storage tier of a scale-out repository


class FailoverStep(StateModel):
    asset_name: str
    delay: dt.timedelta = dt.timedelta(0)


class DiscoveredFailoverPlan(StateModel):
    source: str
    name: str
    steps: list[FailoverStep] = Field(default_factory=list)


class RecoveryRun(StateModel):
    """A restore, failover, failback or drill that ran: RTO evidence."""

    source: str
    id: str
    kind: RecoveryKind | str
    name: str | None = None
    assets: list[str] = Field(default_factory=list)  # VM/instance names recovered
    plan: str | None = None  # failover plan name, when there is one
    started: UtcDateTime
    finished: UtcDateTime | None = None
    result: str = RESULT_NONE  # "success" | "warning" | "failed" | "running" | …
    # When the recovered VM was running (an instant recovery is "finished" only when it is
    # unpublished, possibly hours later); None when the source does not say.
    ready: UtcDateTime | None = None

    @property
    def duration(self) -> dt.timedelta | None:
        return None if self.finished is None else self.finished - self.started


class WitnessRecord(StateModel):
    address: str  # base58 T…
    produced: int = 0
    missed: int = 0
    latest_block: int | None = None
    latest_slot: int | None = None
    is_jobs: bool = False  # one of the 27 active SRs
    votes: int | None = None
    rank: int | None = None  # by votes among the listed witnesses, 1 = most
    head_slot: int | None = None  # highest latestSlotNum in the list: the head block's slot


class BackupMode(StateModel):
    """java-tron witness backup mode as the node reports it (configNodeInfo)."""

    listen_port: int | None = None
    member_size: int | None = None
    priority: int | None = None
    # /monitor/getstatsinfo node.backupStatus: 1 when BackupManager's status is MASTER (a node
    # whose backup server never started stays MASTER), 0 for SLAVER or INIT; None: not read.
    master: bool | None = None


class NodeStatus(StateModel):
    """A java-tron node's health as its HTTP API reported it."""

    source: str
    node: str  # the plan's node name
    endpoint: str
    reachable: bool
    error: str | None = None
    checked: UtcDateTime
    head_block: int | None = None
    head_time: UtcDateTime | None = None
    solidity_block: int | None = None
    peers: int | None = None
    begin_sync: int | None = None
    version: str | None = None
    reference_head: int | None = None
    lag_blocks: int | None = None
    lag_seconds: float | None = None
    lag_basis: LagBasis | None = None
    backup: BackupMode | None = None


class ScopeRun(StateModel):
    """One part of a source (a region, an account, an endpoint) and how reading it went."""

    scope: str
    ok: bool
    error: str | None = None


class SourceRun(StateModel):
    name: str
    type: SourceType
    ok: bool
    error: str | None = None
    started: UtcDateTime
    finished: UtcDateTime
    api_calls: int = 0
    objects: int = 0
    scopes: list[ScopeRun] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class Collection(StateModel):
    started: UtcDateTime
    finished: UtcDateTime
    trondocs_version: str
    sources: list[SourceRun] = Field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every source read in full; reading no source at all is not complete evidence."""
        return bool(self.sources) and all(s.ok and all(sc.ok for sc in s.scopes) for s in self.sources)


class State(StateModel):
    """One snapshot of discovered state."""

    schema_version: int = SCHEMA_VERSION
    collection: Collection
    assets: list[Asset] = Field(default_factory=list)
    hosts: list[Host] = Field(default_factory=list)
    restore_points: list[RestorePoint] = Field(default_factory=list)
    jobs: list[ProtectionJob] = Field(default_factory=list)
    repositories: list[Repository] = Field(default_factory=list)
    failover_plans: list[DiscoveredFailoverPlan] = Field(default_factory=list)
    recovery_runs: list[RecoveryRun] = Field(default_factory=list)
    node_status: list[NodeStatus] = Field(default_factory=list)
    witness: WitnessRecord | None = None

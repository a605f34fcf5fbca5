"""The declared DR plan: what the operator says exists and how it is protected."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, WithJsonSchema, model_validator

from trondocs.indexing import first_by
from trondocs.plan.types import (
    Date,
    Duration,
    Lax,
    Name,
    RetentionSpec,
    StrictModel,
    Timestamp,
    TronAddress,
)
from trondocs.systems import PROTECTION_SYSTEMS


class SiteRole(StrEnum):
    PRIMARY = "primary"
    DR = "dr"
    OFFSITE = "offsite"


class Medium(StrEnum):
    DISK = "disk"
    OBJECT = "object"
    TAPE = "tape"
    CLOUD_SNAPSHOT = "cloud-snapshot"


class NodeRole(StrEnum):
    WITNESS = "witness"
    FULL = "full"
    SOLIDITY = "solidity"


class ProtectionKind(StrEnum):
    BACKUP = "backup"
    REPLICATION = "replication"
    SNAPSHOT = "snapshot"
    COPY = "copy"


# One member per row of the systems table (trondocs/systems.py): adding a system is a row there.
ProtectionSystem = StrEnum("ProtectionSystem", [(row.member, row.name) for row in PROTECTION_SYSTEMS],
                           module=__name__)


class Platform(StrEnum):
    VSPHERE = "vsphere"
    AWS = "aws"


class PaperSize(StrEnum):
    """The PDF report's paper; the value is also its CSS page size keyword."""

    A4 = "a4"
    LETTER = "letter"


class DrillResult(StrEnum):
    SUCCESS = "success"
    PARTIAL = "partial"
    FAILED = "failed"


class Organization(StrictModel):
    """Who runs the SR."""

    name: Name
    sr_address: TronAddress = Field(description="witness account, base58check T…")
    contact: str | None = None
    website: str | None = None
    elected: bool = Field(True, description="among the 27 producing SRs: blocks are at risk")


class Objectives(StrictModel):
    """Recovery objectives; the plan's defaults, overridable per node."""

    rpo: Duration | None = Field(None, description="most data (time) the node may lose")
    rto: Duration | None = Field(None, description="longest the node may be down")
    test_every: Duration | None = Field(None, description="a DR test at least this often")
    max_sync_lag: int | None = Field(None, ge=0, description="blocks behind the network")
    catch_up: Duration | None = Field(
        None, description="longest a recovered node takes to catch up with the network after it "
                          "boots; added to a recovery's duration unless the catch-up was measured")


DEFAULT_OBJECTIVES = Objectives(
    rpo=dt.timedelta(hours=24), rto=dt.timedelta(hours=4),
    test_every=dt.timedelta(days=90), max_sync_lag=20,
)


class SiteHolds(StrictModel):
    """What a site is in its sources' own terms: a restore point whose source reports one of
    these names is at this site. Names are compared case-insensitively."""

    datacenters: list[str] = Field(default_factory=list, description="vSphere datacenters")
    clusters: list[str] = Field(default_factory=list, description="vSphere clusters")
    hosts: list[str] = Field(default_factory=list, description="ESXi hosts (e.g. a replica destination)")
    datastores: list[str] = Field(default_factory=list, description="vSphere datastores")
    repositories: list[str] = Field(
        default_factory=list,
        description="Veeam repositories, scale-out repositories and capacity-tier object storage; "
                    "AWS Backup vaults")

    def names(self) -> dict[str, list[str]]:
        """Placement kind (a restore point's field) → the names this site claims."""
        return {"datacenter": self.datacenters, "cluster": self.clusters, "host": self.hosts,
                "datastore": self.datastores, "repository": self.repositories}


class Site(StrictModel):
    name: Name
    role: Lax[SiteRole]
    media: Lax[Medium]
    location: str | None = Field(None, description="city or datacenter, for people")
    region: str | None = Field(None, description="AWS region: restore points in it (and in 'account', "
                                                 "when given) are at this site")
    account: str | None = Field(None, description="AWS account that holds this site's copies")
    holds: SiteHolds = Field(default_factory=SiteHolds,
                             description="the datacenters, clusters, hosts, datastores and repositories "
                                         "the sources report for restore points at this site")
    immutable: bool = Field(False, description="a claim: copies here are immutable (checked against "
                                               "what the sources report, never assumed)")
    encrypted: bool = Field(False, description="a claim: copies here are encrypted (checked, never "
                                               "assumed)")


class RunsOn(StrictModel):
    """Where a node runs: a vSphere VM or an AWS EC2 instance."""

    source: Lax[Platform]
    site: Name | None = None
    vm: str | None = Field(None, description="vSphere VM name")
    instance: str | None = Field(None, description="EC2 instance id (i-…), or its Name tag when that "
                                                   "names one instance only")
    region: str | None = None
    account: str | None = None

    @model_validator(mode="after")
    def _platform_fields(self) -> RunsOn:
        if self.source is Platform.VSPHERE and not self.vm:
            raise ValueError("a vSphere node needs 'vm: <VM name>'")
        if self.source is Platform.AWS and not (self.instance and self.region):
            raise ValueError("an AWS node needs 'instance: i-… (or its Name tag)' and 'region: <region>'")
        if self.source is Platform.VSPHERE and (self.instance or self.region):
            raise ValueError("'instance' and 'region' belong to AWS nodes; a vSphere node has 'vm'")
        if self.source is Platform.AWS and self.vm:
            raise ValueError("'vm' belongs to vSphere nodes; an AWS node has 'instance'")
        return self

    @property
    def asset_name(self) -> str:
        return self.vm or self.instance or ""


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError("an endpoint is an http(s) URL like http://10.10.0.11:8090")
    return value.rstrip("/")


Endpoint = Annotated[
    str,
    AfterValidator(_http_url),
    WithJsonSchema({"type": "string", "pattern": "^https?://", "description": "java-tron HTTP API"}),
]


class Backup(StrictModel):
    """java-tron witness backup mode (``node.backup`` in the node's config.conf), as declared."""

    port: int = Field(10001, description="UDP port of the backup server (node.backup.port); 0 turns it off")
    priority: int = Field(0, description="node.backup.priority: the higher one is MASTER")
    members: list[str] = Field(default_factory=list,
                               description="node.backup.members: the other witnesses' IPs (not its own)")
    keep_alive_interval: Duration = Field(
        dt.timedelta(seconds=3), description="node.backup.keepAliveInterval (java-tron: 3000 ms); "
                                             "the takeover is derived from it")


class Node(StrictModel):
    name: Name
    role: Lax[NodeRole]
    priority: int | None = Field(
        None, ge=1, description="witness failover priority: 1 produces, 2 is the first standby"
    )
    runs_on: RunsOn
    endpoint: Endpoint | None = None
    depends_on: list[Name] = Field(default_factory=list)
    description: str | None = None
    rpo: Duration | None = None
    rto: Duration | None = None
    test_every: Duration | None = None
    max_sync_lag: int | None = Field(None, ge=0)
    catch_up: Duration | None = None
    backup: Backup | None = Field(None, description="java-tron backup mode of a witness (node.backup)")

    @model_validator(mode="after")
    def _priority_only_for_witnesses(self) -> Node:
        if self.priority is not None and self.role is not NodeRole.WITNESS:
            raise ValueError("'priority' is the witness failover order; only witnesses have it")
        if self.backup is not None and self.role is not NodeRole.WITNESS:
            raise ValueError("'backup' is java-tron's witness backup mode; only witnesses have it")
        return self


_SCHEDULE = re.compile(
    r"^(hourly|daily(\s+\d{1,2}:\d{2})?|weekly(\s+(mon|tue|wed|thu|fri|sat|sun)\w*)?(\s+\d{1,2}:\d{2})?"
    r"|monthly(\s+\d{1,2})?(\s+\d{1,2}:\d{2})?|cron\(.+\)|continuous)$",
    re.I,
)
_SCHEDULE_INTERVAL = {"hourly": dt.timedelta(hours=1), "daily": dt.timedelta(days=1),
                      "weekly": dt.timedelta(days=7), "monthly": dt.timedelta(days=31),
                      "continuous": dt.timedelta(minutes=1)}


def _schedule(value: str) -> str:
    if not _SCHEDULE.match(value.strip()):
        raise ValueError(
            "write a schedule like 'daily 02:00', 'weekly sun 04:00', 'hourly', 'continuous' "
            "or 'cron(0 4 ? * SUN *)'; for a fixed interval use 'every: 15m' instead"
        )
    return value.strip()


Schedule = Annotated[
    str,
    AfterValidator(_schedule),
    WithJsonSchema({"type": "string", "description": "'daily 02:00', 'weekly sun 04:00', cron(…)"}),
]


class Protection(StrictModel):
    """A backup job, replication job, snapshot policy or copy job that covers some nodes."""

    name: Name
    kind: Lax[ProtectionKind]
    system: Lax[ProtectionSystem]
    job: str | None = Field(None, description="job name (Veeam) or plan name (AWS Backup)")
    policy: str | None = Field(None, description="policy name or id (DLM, N2WS)")
    rule: str | None = Field(None, description="which schedule of the DLM policy, or rule of the "
                                               "AWS Backup plan, this is (by name); else any may satisfy it")
    covers: list[Name] = Field(min_length=1)
    every: Duration | None = None
    schedule: Schedule | None = None
    keep: RetentionSpec | None = None
    to: Name | None = Field(None, description="site the restore points land in")
    copy_to: Name | None = Field(None, description="site of the copy (backup copy, capacity tier)")
    copy_to_region: str | None = None
    copy_to_account: str | None = None
    immutable: bool | None = None
    encrypted: bool | None = None

    @model_validator(mode="after")
    def _names_and_timing(self) -> Protection:
        if not (self.job or self.policy):
            raise ValueError("say which job or policy this is: 'job: <name>' or 'policy: <name>'")
        if self.job and self.policy:
            raise ValueError("give either 'job' or 'policy', not both")
        if self.every is None and self.schedule is None:
            raise ValueError("say how often it runs: 'every: 15m' or 'schedule: daily 02:00'")
        if self.every is not None and self.schedule is not None:
            raise ValueError("give either 'every' or 'schedule', not both")
        return self

    @property
    def source_name(self) -> str:
        """The job or policy name as the source system knows it."""
        return self.job or self.policy or ""

    @property
    def interval(self) -> dt.timedelta | None:
        """How often the plan expects a new restore point (None for cron schedules)."""
        if self.every is not None:
            return self.every
        return _SCHEDULE_INTERVAL.get((self.schedule or "").split()[0].lower())


class BootStep(StrictModel):
    node: Name
    delay: Duration = Field(dt.timedelta(0), description="wait after this node starts")


class FailoverPlan(StrictModel):
    name: Name
    system: Lax[ProtectionSystem] = ProtectionSystem.VEEAM
    to: Name | None = Field(None, description="site the plan fails over to")
    boot: list[BootStep] = Field(min_length=1)


class ThreeTwoOne(StrictModel):
    """The copy policy: at least N copies on M media, K offsite, I immutable."""

    copies: int = Field(3, ge=1)
    media: int = Field(2, ge=1)
    offsite: int = Field(1, ge=0)
    immutable: int = Field(0, ge=0)
    failure_probability: dict[str, Annotated[float, Field(gt=0, le=1)]] = Field(
        default_factory=dict, description="yearly chance a copy on this medium is lost"
    )


class Waiver(StrictModel):
    rule: Annotated[str, Field(pattern=r"^TRD\d{3}$")]
    node: Name | None = Field(None, description="the node it covers; omit for every node")
    reason: Name
    expires: Date
    approved_by: str | None = None


class Drill(StrictModel):
    """A DR test that was run, with its measured times."""

    plan: Name | None = Field(None, description="failover plan that was tested")
    node: Name | None = Field(None, description="node that was tested")
    scenario: Name
    started: Timestamp
    finished: Timestamp
    caught_up: Timestamp | None = Field(
        None, description="when the recovered node was back in sync with the network (drill watch "
                          "writes it): the outage the network saw ends here")
    result: Lax[DrillResult]
    notes: str | None = None
    by: str | None = None

    @model_validator(mode="after")
    def _subject_and_order(self) -> Drill:
        if not (self.plan or self.node):
            raise ValueError("say what was tested: 'plan: <failover plan>' or 'node: <node>'")
        if self.finished < self.started:
            raise ValueError("'finished' is before 'started'")
        if self.caught_up is not None and self.caught_up < self.started:
            raise ValueError("'caught_up' is before 'started'")
        return self

    @property
    def duration(self) -> dt.timedelta:
        return self.finished - self.started


class Colors(StrictModel):
    primary: str = "indigo"
    accent: str = "amber"


class Settings(StrictModel):
    """How the published site looks."""

    site_name: str | None = None
    site_url: str | None = None
    logo: str | None = Field(None, description="path to a logo, relative to the inventory")
    colors: Colors = Colors()
    paper: Lax[PaperSize] = PaperSize.A4
    reference_endpoint: Endpoint | None = Field(
        None, description="a public full node giving the network's head (e.g. https://api.trongrid.io): "
                          "runbooks compare with it, and the java-tron source uses it unless it sets its own")


class PlanFile(StrictModel):
    """One YAML file of the inventory; a plan may be split over several."""

    organization: Organization | None = None
    settings: Settings | None = None
    objectives: Objectives | None = None
    sites: list[Site] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    protection: list[Protection] = Field(default_factory=list)
    failover_plans: list[FailoverPlan] = Field(default_factory=list)
    three_two_one: ThreeTwoOne | None = None
    waivers: list[Waiver] = Field(default_factory=list)
    drills: list[Drill] = Field(default_factory=list)


class Plan(StrictModel):
    """The whole declared plan, merged from every file of the inventory."""

    organization: Organization
    settings: Settings = Settings()
    objectives: Objectives = Objectives()
    sites: list[Site] = Field(default_factory=list)
    nodes: list[Node] = Field(default_factory=list)
    protection: list[Protection] = Field(default_factory=list)
    failover_plans: list[FailoverPlan] = Field(default_factory=list)
    three_two_one: ThreeTwoOne = ThreeTwoOne()
    waivers: list[Waiver] = Field(default_factory=list)
    drills: list[Drill] = Field(default_factory=list)

    def node(self, name: str) -> Node | None:
        return first_by(self, "nodes", self.nodes, lambda n: n.name).get(name)

    def site(self, name: str | None) -> Site | None:
        return first_by(self, "sites", self.sites, lambda s: s.name).get(name)

    def objectives_for(self, node: Node) -> Objectives:
        """The node's objectives: its own overrides, else the plan's, else trondocs' defaults."""
        values = {}
        for field in Objectives.model_fields:
            values[field] = next(
                (v for v in (getattr(node, field), getattr(self.objectives, field),
                             getattr(DEFAULT_OBJECTIVES, field)) if v is not None),
                None,
            )
        return Objectives(**values)

    def protections_for(self, node: Node) -> list[Protection]:
        return [p for p in self.protection if node.name in p.covers]

    def witnesses(self) -> list[Node]:
        """Witness nodes, producing one first."""
        found = [n for n in self.nodes if n.role is NodeRole.WITNESS]
        return sorted(found, key=lambda n: (n.priority or 10**6, n.name))

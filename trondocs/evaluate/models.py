"""The Assessment: what evaluation concludes, the one input of every renderer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.dataclasses import dataclass

from trondocs.diagnostics import Location
from trondocs.indexing import first_by, grouped_by
from trondocs.plan.models import Medium, ProtectionSystem
from trondocs.sharing import shared_fields_set
from trondocs.state.models import AssetKind, JobKind, RestorePointKind
from trondocs.systems import SourceType

ASSESSMENT_SCHEMA_VERSION = 1


class AssessmentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="after")
    def _share_fields_set(self) -> AssessmentModel:
        # A large estate's evidence is hundreds of thousands of models, each with its own set
        # of given field names (700 B to 2 KB: more than many of their values): trondocs.sharing
        shared_fields_set(self)
        return self


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANKS[self]  # asked per finding when sorting: not a list built each time


_SEVERITY_RANKS = {severity: n for n, severity in enumerate(Severity)}  # low 0 … critical 3


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # evidence missing: a source failed or was not configured
    WAIVED = "waived"  # a FAIL covered by a valid waiver: still shown, with reason and expiry


class Change(StrEnum):
    NEW = "new"
    RESOLVED = "resolved"
    UNCHANGED = "unchanged"


class Verdict(StrEnum):
    READY = "ready"  # no failing finding at high or above, evidence complete
    AT_RISK = "at-risk"  # failing findings below high, or evidence incomplete
    NOT_READY = "not-ready"  # a failing finding at high or critical


class Needs(StrEnum):
    """Evidence a rule judges from, by the role its source plays for the subject."""

    PLATFORM = "platform"  # the vSphere or AWS source: the VM or instance, replica VMs, VM snapshots
    PROTECTION = "protection"  # the sources of the protecting systems: jobs, restore points, recoveries
    JAVA_TRON = "java-tron"  # the nodes' java-tron HTTP APIs and the SR's witness record


class RuleInfo(AssessmentModel):
    """A rule's metadata, as every output shows it."""

    id: str
    title: str
    family: str
    severity: Severity
    rationale: str
    remediation: str
    doc: str = ""  # longer user documentation: how the rule decides, when it is UNKNOWN
    needs: list[Needs] = Field(default_factory=list)
    monotone_in: list[Needs] = Field(default_factory=list)  # more data here keeps a PASS passing
    controls: list[str] = Field(default_factory=list)  # FRAMEWORK:CONTROL keys it evidences

    @property
    def statuses(self) -> tuple[Status, ...]:
        """What its findings can be: every rule passes or fails and a failure can be waived; only
        a rule that judges from sources' evidence is UNKNOWN without it (the plan alone never is)."""
        return tuple(s for s in Status if s is not Status.UNKNOWN or self.needs)


class AppliedWaiver(AssessmentModel):
    reason: str
    expires: dt.date
    approved_by: str | None = None


class Finding(AssessmentModel):
    """One rule's result for one subject (a node, or the plan as a whole when node is None)."""

    rule: str
    title: str
    severity: Severity
    status: Status
    node: str | None = None
    subject: str | None = None  # job, failover plan or site the finding is about
    message: str
    evidence: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    remediation: str = ""
    plan_location: Location | None = None
    waiver: AppliedWaiver | None = None
    change: Change | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity across snapshots, for new/resolved/unchanged."""
        return (self.rule, self.node or "", self.subject or "")

    @property
    def is_new(self) -> bool:
        """Failing now and not failing in the baseline: what a pull request must look at."""
        return self.status is Status.FAIL and self.change is Change.NEW


class MatchBasis(StrEnum):
    """Why evaluation attributed something to a node or protection."""

    ID = "id"  # the source's own identity: instance id, VM instance UUID, volume → instance, job id
    NAME = "name"  # the name, case-insensitively, within the protection's system: a fallback
    REPLICA_OF = "replica-of"  # a replica VM of the node's VM


class ProtectionRpo(AssessmentModel):
    """One chain of restore points of one node: a protection's (or a job the plan does not
    know) points of one kind at one place, as its sources observed them."""

    protection: str  # the plan's protection name, or "(unplanned) <job>" for chains found in state
    kind: RestorePointKind
    location: str | None = None  # the site's name, else what the source reported
    site: str | None = None  # the plan's site holding it; None: unplaced
    placement: str | None = None  # what the source reported: "repository 'SOBR TRON'"
    medium: Medium | None = None
    immutable: bool | None = None  # of its newest point, as the source reports it
    encrypted: bool | None = None
    account: str | None = None
    sources: list[str] = Field(default_factory=list)  # configured sources that listed its points
    count: int = 0  # usable points
    oldest: dt.datetime | None = None
    newest: dt.datetime | None = None
    newest_age: dt.timedelta | None = None
    largest_gap: dt.timedelta | None = None  # within the chain's own retention, over the window
    expected_interval: dt.timedelta | None = None
    freshness_limit: dt.timedelta | None = None  # twice the planned interval, else the node's RPO
    stale: bool = False  # newest point older than the freshness limit: shown, not counted for 3-2-1
    basis: MatchBasis | None = None  # how its points were attributed to the node


class RpoEvidence(AssessmentModel):
    target: dt.timedelta
    newest: dt.datetime | None = None
    newest_age: dt.timedelta | None = None  # age at as_of of the newest usable point (best copy)
    largest_gap: dt.timedelta | None = None  # over the window, best copy
    window: dt.timedelta = dt.timedelta(days=7)
    per_protection: list[ProtectionRpo] = Field(default_factory=list)
    counts_by_kind: dict[str, int] = Field(default_factory=dict)
    counts_by_location: dict[str, int] = Field(default_factory=dict)
    # Creation times of the usable restore points over the window (any copy, oldest first), and
    # the newest one before it: what the RPO chart draws the age of the newest point from.
    points: list[dt.datetime] = Field(default_factory=list)
    # The largest gap is judged from here to as_of: the window's start, or the oldest point of the
    # chain that keeps the shortest history, when later (before it, rotated points are unknown).
    judged_from: dt.datetime | None = None
    known: bool = True  # False when the sources that would hold the evidence failed


class CatchUpBasis(StrEnum):
    """Where a recovery's catch-up with the network comes from."""

    MEASURED = "measured"  # ``drill watch`` saw the recovered node back in sync
    DECLARED = "declared"  # the node's ``catch_up`` in the plan


class RecoveryMeasurement(AssessmentModel):
    source: str  # "drill" or the source name
    kind: str
    name: str | None = None
    plan: str | None = None
    started: dt.datetime
    finished: dt.datetime | None = None
    duration: dt.timedelta | None = None  # until the system said the recovery was done (VM running)
    result: str
    # Until the recovered node served the chain again: duration + catch-up with the network.
    catch_up: dt.timedelta | None = None
    catch_up_basis: CatchUpBasis | None = None  # None: not known
    outage: dt.timedelta | None = None
    excluded: str | None = None  # why this run measures no recovery time (it is listed, not counted)


class RtoEvidence(AssessmentModel):
    target: dt.timedelta
    latest: dt.timedelta | None = None
    worst: dt.timedelta | None = None
    last_test: dt.datetime | None = None
    next_test_due: dt.datetime | None = None
    runs: list[RecoveryMeasurement] = Field(default_factory=list)


class FailoverPlanEvidence(AssessmentModel):
    """RTO evidence of one declared failover plan: its recorded drills and matching recovery runs."""

    name: str
    target: dt.timedelta  # the strictest RTO among its members
    latest: dt.timedelta | None = None
    worst: dt.timedelta | None = None
    last_test: dt.datetime | None = None
    next_test_due: dt.datetime | None = None
    runs: list[RecoveryMeasurement] = Field(default_factory=list)


class CopyStanding(StrEnum):
    """Whether a copy counts for 3-2-1."""

    COUNTED = "counted"  # exists, usable, fresh and placed at a site
    UNPLACED = "unplaced"  # exists, but at a location no site claims: its site is unknown
    UNLISTED = "unlisted"  # the job copies there, but the source's API lists no points: unverified
    STALE = "stale"  # its newest point is older than its freshness limit: not counted


class CopyKind(StrEnum):
    """What a copy of a node's data is: the production data itself, or restore points of a kind
    (one member per ``RestorePointKind``, tests/evaluate/test_vocabularies.py checks)."""

    PRIMARY = "primary"
    SNAPSHOT = "snapshot"
    BACKUP = "backup"
    REPLICA = "replica"
    COPY = "copy"


class Copy(AssessmentModel):
    """One copy of a node's data, as observed, and whether it counts for 3-2-1."""

    label: str  # "production", protection name, "copy: …"
    kind: CopyKind
    site: str | None = None  # the plan's site holding it; None: unplaced
    placement: str | None = None  # what the source reported
    medium: Medium | None = None
    offsite: bool | None = False  # None: unknown (unplaced)
    immutable: bool | None = False  # as the source reports it; None: not reported
    encrypted: bool | None = None
    account: str | None = None
    failure_domain: str  # site + medium: copies in one domain count once
    standing: CopyStanding = CopyStanding.COUNTED
    why: str | None = None  # why it does not count, in words


class CopyCounts(AssessmentModel):
    independent_copies: int = 0
    media: int = 0
    offsite: int = 0
    immutable: int = 0
    outside_account: int = 0


class CopiesEvidence(AssessmentModel):
    copies: list[Copy] = Field(default_factory=list)
    # What the counted copies prove (a PASS needs these)…
    independent_copies: int = 0  # distinct failure domains
    media: int = 0
    offsite: int = 0
    immutable: int = 0
    outside_account: int = 0
    # …and the most that unplaced, unlisted or unreported copies could add: a shortfall within
    # this is UNKNOWN, not FAIL.
    possible: CopyCounts = Field(default_factory=CopyCounts)
    loss_probability: float | None = None  # chance of losing every counted copy (independent domains)


class TronImpact(AssessmentModel):
    elected: bool
    outage: dt.timedelta  # the RTO (measured if known, else target), catch-up included
    blocks_at_risk: int  # worst case without a standby witness taking over: ceil(outage / 81 s)
    blocks_at_risk_with_standby: int | None = None  # None when the node has no standby
    miss_chance: float = 0.0  # chance the outage covers at least one of the SR's slots
    takeover: dt.timedelta | None = None  # the standby's worst-case takeover (java-tron backup mode)
    miss_chance_with_standby: float | None = None


class BackupView(AssessmentModel):
    """One witness's java-tron backup mode: what the plan declares and what the node reports."""

    node: str
    order: int  # 1 produces, 2 is the first standby (the plan's priority)
    declared_port: int | None = None
    declared_priority: int | None = None
    declared_members: list[str] = Field(default_factory=list)
    keep_alive: dt.timedelta | None = None  # declared (getnodeinfo does not expose it)
    observed_port: int | None = None
    observed_members: int | None = None
    observed_priority: int | None = None
    master: bool | None = None  # /monitor/getstatsinfo backupStatus
    reachable: bool | None = None


class BackupIssueKind(StrEnum):
    """Which check of java-tron's backup mode an issue is for (TRD505–TRD509 each read one)."""

    OFF = "off"  # backup mode not running on a witness
    MEMBERS = "members"  # the other witness is not among the declared members
    MEMBERS_UNKNOWN = "members-unknown"  # members cannot be checked (no endpoint to compare)
    PRIORITY = "priority"
    SPLIT_BRAIN = "split-brain"  # more than one witness MASTER
    DECLARED = "declared"  # what the node reports differs from the plan's backup settings
    UNKNOWN = "unknown"  # the node's backup mode was not read

    @property
    def is_gap(self) -> bool:
        """Missing evidence rather than a fault: the standby verdict is UNKNOWN for it, not FAIL."""
        return self in (BackupIssueKind.UNKNOWN, BackupIssueKind.MEMBERS_UNKNOWN)


class BackupIssue(AssessmentModel):
    """A reason the backup-mode failover would not work as declared; ``kind`` names the rule's check."""

    kind: BackupIssueKind
    node: str
    message: str


class KeepAliveBasis(StrEnum):
    """Where a standby's backup-mode keep-alive interval comes from (getnodeinfo does not say)."""

    DECLARED = "declared"  # the plan's backup settings
    JAVA_TRON_DEFAULT = "java-tron default"


class StandbyEvidence(AssessmentModel):
    """Whether the standby witness would take over, from backup mode first, its replica second."""

    node: str
    status: Status  # pass: ready; fail: not ready; unknown: evidence missing
    reasons: list[str] = Field(default_factory=list)  # why not ready (or what is missing)
    takeover_shortest: dt.timedelta
    takeover_longest: dt.timedelta
    keep_alive: dt.timedelta
    keep_alive_basis: KeepAliveBasis


class ElectedBasis(StrEnum):
    CHAIN = "chain"  # the witness list's isJobs
    PLAN = "plan"  # no witness list was read: organization.elected


class ChainRecord(AssessmentModel):
    """The SR as the chain lists it (``listwitnesses``): this wins over the plan."""

    elected: bool  # what the evaluation uses
    elected_basis: ElectedBasis
    plan_elected: bool
    votes: int | None = None
    rank: int | None = None
    produced: int | None = None
    missed: int | None = None
    latest_block: int | None = None
    latest_slot: int | None = None
    head_slot: int | None = None
    slots_behind: int | None = None  # head slot − the SR's latest slot
    producing: bool | None = None  # elected and within a round of the head slot
    missed_in_period: int | None = None
    missed_basis: str | None = None  # "since the previous snapshot (…)" | "lifetime total"


class WitnessEvidence(AssessmentModel):
    record: ChainRecord
    witnesses: list[BackupView] = Field(default_factory=list)  # producing one first
    issues: list[BackupIssue] = Field(default_factory=list)
    standby: StandbyEvidence | None = None  # None: no standby declared


class AssetMatch(AssessmentModel):
    """A VM or instance evaluation attributed to a node."""

    source: str
    id: str
    name: str
    kind: AssetKind
    basis: MatchBasis


class JobMatch(AssessmentModel):
    """A declared protection and the job its system has for it, or a job found covering the node."""

    protection: str | None  # the plan's name; None for a job the plan does not declare
    kind: JobKind
    system: ProtectionSystem
    job: str  # the name (or id) as the plan gives it, else the job's name
    found: bool
    source: str | None = None  # the configured source the job came from, when found
    job_id: str | None = None
    basis: MatchBasis | None = None
    includes_node: bool | None = None  # the job's selection holds the node's VM/instance


# A slotted dataclass, not a model: ten per node (50,000 at 5,000 nodes), and a model's dict and
# given-fields set were most of their memory. Validation is the same (extra keys forbidden).
@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid"))
class PointSummary:
    """One restore point attributed to a node, as the node page lists it."""

    source: str
    id: str
    kind: RestorePointKind
    created: dt.datetime
    chain: str | None = None  # the chain it belongs to; None when not usable
    site: str | None = None
    placement: str | None = None
    medium: Medium | None = None
    immutable: bool | None = None
    encrypted: bool | None = None
    job: str | None = None
    status: str = "ok"
    usable: bool = True
    basis: MatchBasis


class VmSnapshot(AssessmentModel):
    """A snapshot of the production VM itself: a delta on its own datastore, no restore point."""

    source: str
    id: str
    name: str | None = None
    created: dt.datetime
    age: dt.timedelta
    datastore: str | None = None
    quiesced: bool | None = None


class Attribution(AssessmentModel):
    """What evaluation matched to a node, and how: every renderer reads this, none matches again."""

    asset: AssetMatch | None = None
    replicas: list[AssetMatch] = Field(default_factory=list)
    jobs: list[JobMatch] = Field(default_factory=list)
    points_total: int = 0  # restore points attributed to the node, usable or not
    usable_points: int = 0
    recent_points: list[PointSummary] = Field(default_factory=list)  # the newest few, newest first
    vm_snapshots: list[VmSnapshot] = Field(default_factory=list)
    folded_replica_snapshots: int = 0  # replica VM snapshots that are the same chain as the backup
    # system's replica points, counted once


class UnattributedPoint(AssessmentModel):
    """A restore point no node of the plan owns, and why."""

    source: str
    id: str
    asset: str
    job: str | None = None
    reason: str


class NodeEvidence(AssessmentModel):
    node: str
    role: str
    rpo: RpoEvidence
    rto: RtoEvidence
    copies: CopiesEvidence
    attribution: Attribution = Field(default_factory=Attribution)
    impact: TronImpact | None = None  # witnesses of an elected SR
    status: Status  # worst status of the node's findings


class SourceSummary(AssessmentModel):
    name: str
    type: SourceType
    ok: bool
    error: str | None = None
    finished: dt.datetime | None = None


StatusCounts = dict[Status, int]


class Summary(AssessmentModel):
    """Every count an output shows: renderers read these, none counts again.

    Keyed by the enums and total over them as ``engine.summary`` builds them (a status no
    finding has counts 0); read them through the accessors, which say 0 for what is absent."""

    total: int = 0
    by_status: StatusCounts = Field(default_factory=dict)
    failing_by_severity: dict[Severity, int] = Field(default_factory=dict)  # critical first
    by_severity: dict[Severity, StatusCounts] = Field(default_factory=dict)  # critical first
    by_rule: dict[str, StatusCounts] = Field(default_factory=dict)  # rule id → its counts
    by_node: dict[str, StatusCounts] = Field(default_factory=dict)  # node → its counts
    nodes_by_rule: dict[str, int] = Field(default_factory=dict)  # rule → nodes it has findings on
    new: int = 0  # failing findings that were not failing in the baseline
    resolved: int = 0  # baseline failures that now pass, are waived, or are gone

    def count(self, status: Status) -> int:
        return self.by_status.get(status, 0)

    def failing(self, severity: Severity) -> int:
        return self.failing_by_severity.get(severity, 0)

    def of_severity(self, severity: Severity, status: Status) -> int:
        return self.by_severity.get(severity, {}).get(status, 0)

    def of_rule(self, rule: str, status: Status | None = None) -> int:
        """The rule's findings with ``status``; with none, all of them."""
        return _of(self.by_rule.get(rule, {}), status)

    def of_node(self, node: str, status: Status | None = None) -> int:
        return _of(self.by_node.get(node, {}), status)

    def nodes_of_rule(self, rule: str) -> int:
        return self.nodes_by_rule.get(rule, 0)


def _of(counts: StatusCounts, status: Status | None) -> int:
    return sum(counts.values()) if status is None else counts.get(status, 0)


class Assessment(AssessmentModel):
    schema_version: int = ASSESSMENT_SCHEMA_VERSION
    as_of: dt.datetime
    organization: str
    sr_address: str
    verdict: Verdict
    summary: Summary
    nodes: list[NodeEvidence] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)  # worst first
    resolved: list[Finding] = Field(default_factory=list)  # fixed since the baseline
    rules: list[RuleInfo] = Field(default_factory=list)
    sources: list[SourceSummary] = Field(default_factory=list)
    collected_at: dt.datetime | None = None
    baseline_at: dt.datetime | None = None
    failover_plans: list[FailoverPlanEvidence] = Field(default_factory=list)
    unattributed: list[UnattributedPoint] = Field(default_factory=list)  # the first few
    unattributed_total: int = 0
    witness: WitnessEvidence | None = None  # the SR's record, backup mode and standby verdict

    def new_findings(self) -> list[Finding]:
        """The findings ``summary.new`` counts, worst first."""
        return [f for f in self.findings if f.is_new]

    def node(self, name: str) -> NodeEvidence | None:
        return first_by(self, "nodes", self.nodes, lambda n: n.node).get(name)

    def findings_for(self, node: str) -> list[Finding]:
        return list(grouped_by(self, "findings", self.findings, lambda f: f.node).get(node, ()))

"""The Assessment: what evaluation concludes, the one input of every renderer."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trondocs.diagnostics import Location

ASSESSMENT_SCHEMA_VERSION = 1


class AssessmentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


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


class RuleInfo(AssessmentModel):
    """A rule's metadata, as every output shows it."""

    id: str
    title: str
    family: str
    severity: Severity
    rationale: str
    remediation: str
    doc: str = ""  # longer user documentation: how the rule decides, when it is UNKNOWN


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


class ProtectionRpo(AssessmentModel):
    """Restore-point evidence of one protection (or one source chain) for one node."""

    protection: str  # the plan's protection name, or "(unplanned)" chains found in state
    kind: str  # restore point kind
    location: str | None = None
    count: int = 0
    newest: dt.datetime | None = None
    newest_age: dt.timedelta | None = None
    largest_gap: dt.timedelta | None = None
    expected_interval: dt.timedelta | None = None


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
    known: bool = True  # False when the sources that would hold the evidence failed


class RecoveryMeasurement(AssessmentModel):
    source: str  # "drill" or the source name
    kind: str
    name: str | None = None
    plan: str | None = None
    started: dt.datetime
    finished: dt.datetime | None = None
    duration: dt.timedelta | None = None
    result: str


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


class Copy(AssessmentModel):
    """One copy of a node's data, counted for 3-2-1."""

    label: str  # "production", protection name, "copy: …"
    kind: str  # "primary" | restore point kind
    site: str | None = None
    medium: str | None = None
    offsite: bool = False
    immutable: bool = False
    encrypted: bool | None = None
    account: str | None = None
    failure_domain: str  # site + medium: copies in one domain count once


class CopiesEvidence(AssessmentModel):
    copies: list[Copy] = Field(default_factory=list)
    independent_copies: int = 0  # distinct failure domains
    media: int = 0
    offsite: int = 0
    immutable: int = 0
    outside_account: int = 0
    loss_probability: float | None = None  # chance of losing every copy (independent domains)


class TronImpact(AssessmentModel):
    elected: bool
    outage: dt.timedelta  # the RTO (measured if known, else target)
    blocks_at_risk: int  # without a standby witness taking over
    blocks_at_risk_with_standby: int | None = None  # None when the node has no standby


class NodeEvidence(AssessmentModel):
    node: str
    role: str
    rpo: RpoEvidence
    rto: RtoEvidence
    copies: CopiesEvidence
    impact: TronImpact | None = None  # witnesses of an elected SR
    status: Status  # worst status of the node's findings


class SourceSummary(AssessmentModel):
    name: str
    type: str
    ok: bool
    error: str | None = None
    finished: dt.datetime | None = None


class Summary(AssessmentModel):
    by_status: dict[str, int] = Field(default_factory=dict)
    failing_by_severity: dict[str, int] = Field(default_factory=dict)
    new: int = 0  # failing findings that were not failing in the baseline
    resolved: int = 0  # baseline failures that now pass, are waived, or are gone


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

    def node(self, name: str) -> NodeEvidence | None:
        return next((n for n in self.nodes if n.node == name), None)

    def findings_for(self, node: str) -> list[Finding]:
        return [f for f in self.findings if f.node == node]

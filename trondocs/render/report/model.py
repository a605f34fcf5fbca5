"""The report's context: everything the templates show, decided in Python, as plain data."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from trondocs.evaluate.models import Status
from trondocs.plan.models import PaperSize


class ReportModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AnswerTone(StrEnum):
    """The colour of a page-one answer and of the verdict (its value is the CSS class
    ``tone-…`` in report.css): colour only, the words carry the meaning."""

    GOOD = "good"
    WARN = "warn"
    BAD = "bad"
    UNKNOWN = "unknown"


class Answer(ReportModel):
    """One of page one's plain-words answers for delegators."""

    question: str
    headline: str
    detail: str
    tone: AnswerTone


class Cover(ReportModel):
    organization: str
    sr_address: str
    website: str | None = None
    contact: str | None = None
    period: str
    generated: str
    verdict: str  # "Ready" | "At risk" | "Not ready"
    verdict_tone: AnswerTone
    verdict_sentence: str
    answers: list[Answer]


class Problem(ReportModel):
    title: str
    where: str
    message: str
    severity: str


class ExecutiveSummary(ReportModel):
    paragraphs: list[str]
    counts: list[tuple[str, int]]  # (label, number)
    top_problems: list[Problem]
    changes: str | None = None  # since the baseline, when there is one


class CellStatus(StrEnum):
    """A scorecard cell: the worst status of its checks, or none when no check applies."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"
    NONE = "none"


class ScoreCell(ReportModel):
    status: CellStatus
    label: str


class ScoreRow(ReportModel):
    node: str
    role: str
    cells: list[ScoreCell]
    overall: ScoreCell


class Scorecard(ReportModel):
    areas: list[str]
    rows: list[ScoreRow]  # the nodes in detail
    others: list[str] = Field(default_factory=list)  # the other nodes: nothing to report, by name
    others_waived: bool = False  # some of them carry waived findings (the rest passed)
    total: int = 0  # every node of the estate


class Row(ReportModel):
    """A table row: cells already formatted; status (optional) styles the row."""

    cells: list[str]
    status: Status | None = None


class Table(ReportModel):
    headers: list[str]
    rows: list[Row]
    empty: str = "Nothing recorded."


class FindingGroup(ReportModel):
    """The findings of one rule with one status, on a large estate: the rule's words once, then
    a short row per node (its own message), instead of a wide row per finding."""

    rule: str
    title: str
    severity: str
    status: Status
    remediation: str  # empty for waived findings: each row carries its waiver
    table: Table  # Node, What was found (and Waiver)


class Fact(ReportModel):
    label: str
    value: str
    status: Status | None = None  # the verdict of the rule this fact decided


class NodeFindingView(ReportModel):
    rule: str
    title: str
    severity: str
    status: Status
    message: str
    remediation: str
    waiver: str | None = None


class NodeSection(ReportModel):
    name: str
    anchor: str
    role: str
    description: str | None = None
    runs_on: str
    status: Status
    rpo_facts: list[Fact]
    rpo_table: Table
    rpo_chart: str  # SVG markup
    copies_facts: list[Fact]
    copies_table: Table
    rto_facts: list[Fact]
    rto_table: Table
    impact: str | None = None
    findings: list[NodeFindingView]
    passed: int = 0


class CompactNodeSection(ReportModel):
    """A node in trouble on a large estate: what fails or is unknown and the facts that decided
    it, without the chart and evidence tables (those are in the embedded assessment and the site)."""

    name: str
    anchor: str
    role: str
    runs_on: str
    status: Status
    decisive_facts: list[Fact]  # the facts whose rule failed or is unknown
    impact: str | None = None
    findings: list[NodeFindingView]  # failing and unknown first, then waived
    passed: int = 0


class NodeDetail(ReportModel):
    """How the nodes are detailed: the sections and what the reader must know about the rest."""

    compact: bool = False  # the sections are CompactNodeSections (a large estate)
    in_trouble: int = 0  # every node that fails or is unknown
    left_out: int = 0  # of those, the ones without a section here (the cap), worst first kept


class Source(ReportModel):
    name: str
    type: str
    ok: bool
    read_at: str
    detail: str


class Methodology(ReportModel):
    sources: list[Source]
    unknown: Table
    objectives: Table
    window: str
    block_interval: int
    slot_cycle: int
    takeover: int  # worst case, seconds
    takeover_shortest: int
    keep_alive: str  # seconds
    takeover_blocks: int
    example_outage: int  # minutes
    example_blocks: int
    solidified_depth: int


class Digest(ReportModel):
    name: str
    size: str
    sha256: str
    sha256_grouped: str


class EvidenceView(ReportModel):
    digests: list[Digest]
    signed: bool
    fingerprint: str | None = None
    fingerprint_grouped: str | None = None
    algorithm: str = "Ed25519"


class ControlsTable(ReportModel):
    """One framework's controls the rules evidence, each with its status."""

    framework: str
    table: Table


class EvidenceTables(ReportModel):
    """Every node's restore points, copies and recovery runs, one table each (``--detail all``)."""

    rpo: Table
    copies: Table
    recovery: Table


class Appendix(ReportModel):
    rules: Table
    # None when the report details only the nodes in trouble: their sections already show
    # these rows, and the full tables would be the per-node appendix again (issue 17).
    evidence_tables: EvidenceTables | None
    evidence: EvidenceView
    controls: list[ControlsTable] = Field(default_factory=list)


class DocumentMeta(ReportModel):
    title: str
    author: str
    subject: str
    keywords: list[str]
    created: str  # W3C date-time: as_of, so the same inputs give the same document
    header: str  # running header text
    paper: PaperSize  # its value is the CSS page size keyword
    lang: str = "en"
    input_hash: str = ""


class ReportContext(ReportModel):
    meta: DocumentMeta
    cover: Cover
    summary: ExecutiveSummary
    scorecard: Scorecard
    nodes: list[NodeSection]
    compact_nodes: list[CompactNodeSection] = Field(default_factory=list)
    node_detail: NodeDetail = Field(default_factory=NodeDetail)
    findings: Table
    finding_groups: list[FindingGroup] = Field(default_factory=list)  # what prints when node_detail.compact
    waivers: Table
    resolved: Table
    tests: Table
    methodology: Methodology
    appendix: Appendix
    everything: bool = True  # every node has its evidence section (else: the nodes in trouble)
    history_chart: str | None = None  # readiness over the evidence history (a data: URI), two snapshots on
    history_snapshots: int = 0
    extra: dict[str, str] = Field(default_factory=dict)

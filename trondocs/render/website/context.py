"""Page contexts as data: one pure function per page, tested without Jinja.

Each function takes the :class:`SiteData` and returns a frozen dataclass holding exactly
what its template shows — words, badges, formatted times and links already decided.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from trondocs.evaluate.models import Status, Verdict
from trondocs.render.rule_docs import rule_body
from trondocs.render.svg import readiness_chart
from trondocs.render.website.changes import StateChange, state_changes
from trondocs.render.website.data import Picture, SiteData
from trondocs.render.website.labels import (
    NO_VALUE,
    SEVERITIES_WORST_FIRST,
    SEVERITY_BADGES,
    VERDICT_BADGES,
    Badge,
    Tone,
    link,
    rule_anchor,
    status_badge,
    when,
)
from trondocs.render.website.node_context import NodePage, node_page
from trondocs.render.website.plan_context import PlanPage, plan_page
from trondocs.render.website.records import DrillsPage, drills_page
from trondocs.render.website.rows import FindingRow, NodeRow, finding_rows, node_row
from trondocs.render.website.runbooks import RunbookPage, runbook_page
from trondocs.render.witness import record_rows, standby_sentence
from trondocs.systems import SOURCE_TYPES

__all__ = [
    "AboutPage", "DashboardPage", "DownloadsPage", "DrillsPage", "FindingsPage", "NodePage",
    "NodesIndexPage", "PlanPage", "RulesPage", "RunbookPage", "about_page", "dashboard_page",
    "downloads_page", "drills_page", "findings_page", "node_page", "nodes_index_page", "plan_page",
    "rules_page", "runbook_page",
]

VERDICT_SENTENCES = {
    Verdict.READY: "Every node can be recovered within its objectives, and the evidence is complete.",
    Verdict.AT_RISK: "No high or critical check fails, but some checks fail or lack evidence.",
    Verdict.NOT_READY: "At least one high or critical check fails: a disaster now could exceed the plan.",
}


@dataclass(frozen=True)
class SeverityRow:
    severity: Badge
    failing: int
    unknown: int
    waived: int


@dataclass(frozen=True)
class SourceRow:
    name: str
    type: str
    ok: Badge
    finished: str
    error: str


@dataclass(frozen=True)
class DashboardPage:
    page: str
    title: str
    organization: str
    sr_address: str
    verdict: Badge
    verdict_sentence: str
    as_of: str
    collected_at: str
    severities: list[SeverityRow]
    status_counts: list[tuple[Badge, int]]
    nodes: list[NodeRow]
    sources: list[SourceRow]
    failed_sources: list[str]
    baseline_at: str | None
    state_changes: list[StateChange]
    new_findings: list[FindingRow]
    resolved_findings: list[FindingRow]
    top_findings: list[FindingRow]
    findings_link: str
    production: list[tuple[str, str]]  # the SR's record on the chain (label, value)
    standby: str | None  # the standby verdict in words; None without witnesses
    history_chart: Picture | None = None  # with two snapshots or more
    history_snapshots: int = 0

    @property
    def pictures(self) -> list[Picture]:
        return [self.history_chart] if self.history_chart else []


HISTORY_CHART = "assets/charts/readiness.svg"


def dashboard_page(data: SiteData) -> DashboardPage:
    page = "index.md"
    a = data.assessment
    severities = []
    for severity in SEVERITIES_WORST_FIRST:
        severities.append(SeverityRow(
            severity=SEVERITY_BADGES[severity],
            failing=a.summary.of_severity(severity, Status.FAIL),
            unknown=a.summary.of_severity(severity, Status.UNKNOWN),
            waived=a.summary.of_severity(severity, Status.WAIVED),
        ))
    counts = [(status_badge(s), a.summary.count(s)) for s in Status]
    sources = [SourceRow(name=s.name, type=s.type, finished=when(s.finished), error=s.error or "",
                         ok=Badge("ok", Tone.PASS) if s.ok else Badge("FAILED", Tone.FAIL))
               for s in a.sources]
    failing = [f for f in a.findings if f.status in (Status.FAIL, Status.UNKNOWN)]
    chart = None
    if len(data.history) >= 2:
        chart = Picture(path=HISTORY_CHART, src=link(page, HISTORY_CHART), svg=readiness_chart(data.history),
                        alt=f"Failing checks and verdict over the last {len(data.history)} snapshots, "
                            "and each node's newest restore point age")
    return DashboardPage(
        page=page, title="Dashboard", organization=a.organization, sr_address=a.sr_address,
        verdict=VERDICT_BADGES[a.verdict], verdict_sentence=VERDICT_SENTENCES[a.verdict],
        as_of=when(a.as_of), collected_at=when(a.collected_at), severities=severities,
        status_counts=counts, nodes=[node_row(data, page, n) for n in a.nodes], sources=sources,
        failed_sources=[s.name for s in a.sources if not s.ok],
        baseline_at=when(a.baseline_at) if a.baseline_at else None,
        state_changes=state_changes(data.baseline, data.state),
        new_findings=finding_rows(data, page, a.new_findings()),
        resolved_findings=finding_rows(data, page, a.resolved),
        top_findings=finding_rows(data, page, failing[:10]), findings_link="findings.md",
        production=record_rows(a), standby=_standby(data),
        history_chart=chart, history_snapshots=len(data.history),
    )


def _standby(data: SiteData) -> str | None:
    witnesses = data.plan.witnesses()
    return standby_sentence(data.assessment, witnesses[0].name) if witnesses else None


@dataclass(frozen=True)
class PassingRow:
    rule: str
    rule_link: str
    title: str
    count: int  # findings of this rule that pass (one per node, or one for the plan)


@dataclass(frozen=True)
class FindingsPage:
    page: str
    title: str
    groups: list[tuple[str, str, list[FindingRow]]]  # (heading, explanation, rows): not passing
    passing: list[PassingRow]  # passing checks, counted per rule (a row each would drown the rest)
    passing_total: int
    waivers: list[tuple[str, str, str, str, Badge]]  # rule, node, reason, expires, active?
    unattributed: list[tuple[str, str, str, str]]  # source, asset, job, why no node owns it
    unattributed_total: int


FINDING_GROUPS = [
    (Status.FAIL, "Failing", "Checks that fail now: fix these first, worst first."),
    (Status.UNKNOWN, "Unknown", "Checks without evidence (a source failed or is not configured): "
                                "never counted as passing."),
    (Status.WAIVED, "Waived", "Failing checks the operator accepted, each with a reason and an end date."),
]


def findings_page(data: SiteData) -> FindingsPage:
    page = "findings.md"
    findings = data.assessment.findings
    groups = [(heading, text, finding_rows(data, page, [f for f in findings if f.status == s]))
              for s, heading, text in FINDING_GROUPS]
    passing: dict[str, PassingRow] = {}
    for f in findings:
        if f.status == Status.PASS:
            row = passing.get(f.rule) or PassingRow(f.rule, link(page, "rules.md", rule_anchor(f.rule)),
                                                    f.title, 0)
            passing[f.rule] = PassingRow(row.rule, row.rule_link, row.title, row.count + 1)
    today = data.assessment.as_of.date()
    waivers = [(w.rule, w.node or "every node", w.reason, w.expires.isoformat(),
                Badge("active", Tone.PASS) if w.expires >= today else Badge("expired", Tone.FAIL))
               for w in data.plan.waivers]
    return FindingsPage(page=page, title="Findings", groups=groups,
                        passing=sorted(passing.values(), key=lambda r: r.rule),
                        passing_total=sum(r.count for r in passing.values()), waivers=waivers,
                        unattributed=[(u.source, u.asset, u.job or NO_VALUE, u.reason)
                                      for u in data.assessment.unattributed],
                        unattributed_total=data.assessment.unattributed_total)


@dataclass(frozen=True)
class RuleRow:
    id: str
    anchor: str
    title: str
    family: str
    severity: Badge
    body: Markup  # Markdown from its metadata and docstring, escaped by trondocs.render.rule_docs
    failing: int
    nodes: int


@dataclass(frozen=True)
class RulesPage:
    page: str
    title: str
    rules: list[RuleRow]  # by ID (TRD101, TRD102, …): how findings and drift outputs name them


def rules_page(data: SiteData) -> RulesPage:
    rules = data.rules or data.assessment.rules
    rows = []
    summary = data.assessment.summary
    for rule in sorted(rules, key=lambda r: r.id):
        rows.append(RuleRow(
            id=rule.id, anchor=rule.id.lower(), title=rule.title, family=rule.family,
            severity=SEVERITY_BADGES[rule.severity], body=Markup("\n".join(rule_body(rule, gfm=False))),
            failing=summary.of_rule(rule.id, Status.FAIL), nodes=summary.nodes_of_rule(rule.id),
        ))
    return RulesPage(page="rules.md", title="Rules", rules=rows)


@dataclass(frozen=True)
class NodesIndexPage:
    page: str
    title: str
    nodes: list[NodeRow]


def nodes_index_page(data: SiteData) -> NodesIndexPage:
    page = "nodes/index.md"
    return NodesIndexPage(page=page, title="Nodes",
                          nodes=[node_row(data, page, n) for n in data.assessment.nodes])


@dataclass(frozen=True)
class DownloadsPage:
    page: str
    title: str
    report_pdf: bool
    findings: int
    as_of: str


def downloads_page(data: SiteData) -> DownloadsPage:
    return DownloadsPage(page="downloads.md", title="Downloads", report_pdf=data.report_pdf,
                         findings=len(data.assessment.findings), as_of=when(data.assessment.as_of))


@dataclass(frozen=True)
class SourceNeeds:
    """A row of the About page's table of what each source type needs.

    Markdown written in the systems table (trondocs/systems.py), not text from a plan or a
    source: shown as written.
    """

    source: Markup
    access: Markup
    credentials: Markup


def source_needs() -> list[SourceNeeds]:
    return [SourceNeeds(source=Markup(f"{row.title} (`{row.name}`)"), access=Markup(row.access),
                        credentials=Markup(", ".join(f"`{c.default}`" for c in row.credentials)
                                           or row.credentials_note))
            for row in SOURCE_TYPES if row.access is not None]


@dataclass(frozen=True)
class AboutPage:
    page: str
    title: str
    version: str
    as_of: str
    collected_at: str
    sources: str
    nodes: int
    rules: int
    dashboard_link: str
    source_needs: list[SourceNeeds]


def about_page(data: SiteData) -> AboutPage:
    page = "about.md"
    return AboutPage(
        page=page, title="About", version=data.trondocs_version, as_of=when(data.assessment.as_of),
        collected_at=when(data.assessment.collected_at),
        sources=", ".join(f"{s.name} ({s.type})" for s in data.assessment.sources) or "none",
        nodes=len(data.plan.nodes), rules=len(data.rules or data.assessment.rules),
        dashboard_link=link(page, "index.md"), source_needs=source_needs(),
    )


"""Table rows several pages share: findings and node summaries."""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.evaluate.models import Change, Finding, NodeEvidence, Status
from trondocs.render.website.data import SiteData
from trondocs.render.website.labels import (
    NO_VALUE,
    SEVERITY_BADGES,
    Badge,
    day,
    duration,
    link,
    rule_anchor,
    status_badge,
    within,
)

CHANGE_LABELS = {Change.NEW: "new", Change.RESOLVED: "resolved", Change.UNCHANGED: ""}


@dataclass(frozen=True)
class FindingRow:
    status: Badge
    severity: Badge
    rule: str
    rule_link: str
    title: str
    node: str
    node_link: str | None
    subject: str
    message: str
    remediation: str
    waiver: str  # "reason (until 2027-03-31, approved by …)", or empty
    change: str


def finding_rows(data: SiteData, page: str, findings: list[Finding]) -> list[FindingRow]:
    rows = []
    for finding in findings:
        waiver = ""
        if finding.waiver is not None:
            waiver = f"{finding.waiver.reason} (until {day(finding.waiver.expires)}"
            waiver += f", approved by {finding.waiver.approved_by})" if finding.waiver.approved_by else ")"
        rows.append(FindingRow(
            status=status_badge(finding.status), severity=SEVERITY_BADGES[finding.severity],
            rule=finding.rule, rule_link=link(page, "rules.md", rule_anchor(finding.rule)),
            title=finding.title, node=finding.node or "plan",
            node_link=data.node_link(page, finding.node) if finding.node else None,
            subject=finding.subject or "", message=finding.message, remediation=finding.remediation,
            waiver=waiver, change=CHANGE_LABELS.get(finding.change, "") if finding.change else "",
        ))
    return rows


@dataclass(frozen=True)
class NodeRow:
    name: str
    page: str
    runbook: str
    role: str
    runs_on: str
    status: Badge
    rpo_achieved: str
    rpo_target: str
    rpo: Badge
    rto_achieved: str
    rto_target: str
    rto: Badge
    failing: int


def node_row(data: SiteData, page: str, evidence: NodeEvidence) -> NodeRow:
    node = data.plan.node(evidence.node)
    where = NO_VALUE
    if node is not None:
        where = f"{node.runs_on.source.value}: {node.runs_on.asset_name}"
    measured = evidence.rto.latest
    return NodeRow(
        name=evidence.node, page=link(page, data.node_page(evidence.node)) if node else "",
        runbook=link(page, data.runbook_page(evidence.node)) if node else "",
        role=evidence.role, runs_on=where, status=status_badge(evidence.status),
        rpo_achieved=duration(evidence.rpo.newest_age) if evidence.rpo.known else "unknown",
        rpo_target=duration(evidence.rpo.target),
        rpo=within(evidence.rpo.newest_age, evidence.rpo.target, evidence.rpo.known),
        rto_achieved=duration(measured), rto_target=duration(evidence.rto.target),
        rto=within(measured, evidence.rto.target),
        failing=data.assessment.summary.of_node(evidence.node, Status.FAIL),
    )

"""The scorecard: one row per node, the worst status per area (RPO, RTO, 3-2-1, failover, tests, health)."""

from __future__ import annotations

import re
from collections.abc import Container

from trondocs.evaluate.models import Assessment, Finding, Status
from trondocs.render.report.model import CellStatus, Scorecard, ScoreCell, ScoreRow

AREAS = ["RPO", "RTO", "3-2-1", "Failover", "DR tests", "Node health"]
# A rule's title names the objective it checks first; else its family places it.
TITLE_AREAS = [
    (re.compile(r"\bRTO\b"), "RTO"),
    (re.compile(r"\bRPO\b"), "RPO"),
    (re.compile(r"\b(standby|failover)\b", re.I), "Failover"),
]
FAMILY_AREAS = {
    "rpo": "RPO",
    "jobs": "RPO",
    "rto": "RTO",
    "copies": "3-2-1",
    "3-2-1": "3-2-1",
    "failover": "Failover",
    "drills": "DR tests",
    "dr tests": "DR tests",
    "health": "Node health",
    "node health": "Node health",
    "identity": "Node health",
    "hygiene": "Node health",
}
WHOLE_PLAN = "whole plan"  # the row of findings about no one node: failover plans, sites, the SR
# Worst first: a cell shows the worst status among its findings.
STATUS_ORDER = [Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS]
STATUS_LABEL = {Status.FAIL: "Fail", Status.UNKNOWN: "Unknown", Status.WAIVED: "Waived", Status.PASS: "Pass"}


def area_of(title: str, family: str) -> str:
    for pattern, area in TITLE_AREAS:
        if pattern.search(title):
            return area
    return FAMILY_AREAS.get(family.lower(), "Other")


def worst(statuses: list[Status]) -> Status | None:
    return min(statuses, key=STATUS_ORDER.index) if statuses else None


def cell(status: Status | None) -> ScoreCell:
    if status is None:
        return ScoreCell(status=CellStatus.NONE, label="—")
    return ScoreCell(status=CellStatus(status.value), label=STATUS_LABEL[status])


def scorecard(assessment: Assessment, only: Container[str] | None = None) -> Scorecard:
    """Rows for the nodes in ``only`` (None: every node); the others by name, compactly."""
    rules = {rule.id: rule for rule in assessment.rules}

    def area(finding: Finding) -> str:
        rule = rules.get(finding.rule)
        return area_of(rule.title if rule else finding.title, rule.family if rule else "")

    placed: dict[str, dict[str, list[Status]]] = {node.node: {} for node in assessment.nodes}
    plan_wide: dict[str, list[Status]] = {}
    for finding in assessment.findings:
        target = placed.get(finding.node) if finding.node is not None else plan_wide
        if target is not None:
            target.setdefault(area(finding), []).append(finding.status)
    everywhere = [*placed.values(), plan_wide]
    areas = AREAS + (["Other"] if any("Other" in by_area for by_area in everywhere) else [])
    rows = [
        ScoreRow(
            node=node.node,
            role=node.role,
            overall=cell(node.status),
            cells=[cell(worst(placed[node.node].get(a, []))) for a in areas],
        )
        for node in assessment.nodes
        if only is None or node.node in only
    ]
    if plan_wide:  # a failing failover plan or site claim must show here as it does on page one
        rows.append(ScoreRow(node=WHOLE_PLAN, role="—",
                             overall=cell(worst([s for found in plan_wide.values() for s in found])),
                             cells=[cell(worst(plan_wide.get(a, []))) for a in areas]))
    others = [node for node in assessment.nodes if only is not None and node.node not in only]
    return Scorecard(areas=areas, rows=rows, others=[node.node for node in others],
                     others_waived=any(node.status is Status.WAIVED for node in others),
                     total=len(assessment.nodes))

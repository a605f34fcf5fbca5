"""The appendix: the rule catalogue and the full evidence tables, the detailed nodes' rows in one place
(``only``: the nodes the report shows in detail; None: every node)."""

from __future__ import annotations

from collections.abc import Container

from trondocs.evaluate.models import Assessment
from trondocs.render.report.formatting import copy_cells, short_duration, when
from trondocs.render.report.model import Row, Table


def rules_table(assessment: Assessment) -> Table:
    rows = [
        Row(cells=[r.id, r.title, r.family, r.severity.value, r.rationale, r.remediation])
        for r in sorted(assessment.rules, key=lambda r: r.id)
    ]
    return Table(
        headers=["ID", "Title", "Family", "Severity", "Why it matters", "How to fix"],
        rows=rows,
        empty="The assessment lists no rules.",
    )


def rpo_evidence_table(assessment: Assessment, only: Container[str] | None = None) -> Table:
    rows = [
        Row(
            cells=[
                n.node,
                p.protection,
                p.kind,
                p.location or "—",
                str(p.count),
                when(p.newest),
                short_duration(p.newest_age),
                short_duration(p.largest_gap),
                short_duration(p.expected_interval),
                short_duration(n.rpo.target),
            ]
        )
        for n in assessment.nodes if only is None or n.node in only
        for p in n.rpo.per_protection
    ]
    return Table(
        headers=[
            "Node",
            "Protection",
            "Kind",
            "Where",
            "Points",
            "Newest",
            "Age",
            "Largest gap",
            "Every",
            "RPO target",
        ],
        rows=rows,
        empty="No restore points.",
    )


def copies_evidence_table(assessment: Assessment, only: Container[str] | None = None) -> Table:
    rows = [Row(cells=[n.node, *copy_cells(c, account=True)])
            for n in assessment.nodes if only is None or n.node in only for c in n.copies.copies]
    return Table(
        headers=[
            "Node",
            "Copy",
            "Kind",
            "Site",
            "Medium",
            "Offsite",
            "Immutable",
            "Encrypted",
            "Account",
            "Failure domain",
            "Counts",
        ],
        rows=rows,
        empty="No copies.",
    )


def recovery_evidence_table(assessment: Assessment, only: Container[str] | None = None) -> Table:
    rows = [
        Row(
            cells=[
                n.node,
                when(r.started),
                when(r.finished),
                r.name or r.plan or "—",
                r.kind,
                r.source,
                short_duration(r.duration),
                r.result,
                short_duration(n.rto.target),
            ]
        )
        for n in assessment.nodes if only is None or n.node in only
        for r in sorted(n.rto.runs, key=lambda r: r.started)
    ]
    return Table(
        headers=["Node", "Started", "Finished", "Name", "Kind", "Source", "Duration", "Result", "RTO target"],
        rows=rows,
        empty="No recovery runs.",
    )

"""The appendix: the rule catalogue, the controls and, when every node is shown in detail, the full
evidence tables (every node's rows in one place)."""

from __future__ import annotations

from trondocs.evaluate.models import Assessment, Status
from trondocs.render.report.formatting import copy_cells, short_duration, when
from trondocs.render.report.model import ControlsTable, EvidenceTables, Row, Table


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


def rpo_evidence_table(assessment: Assessment) -> Table:
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
        for n in assessment.nodes
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


def copies_evidence_table(assessment: Assessment) -> Table:
    rows = [Row(cells=[n.node, *copy_cells(c, account=True)])
            for n in assessment.nodes for c in n.copies.copies]
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


def recovery_evidence_table(assessment: Assessment) -> Table:
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
        for n in assessment.nodes
        for r in sorted(n.rto.runs, key=lambda r: r.started)
    ]
    return Table(
        headers=["Node", "Started", "Finished", "Name", "Kind", "Source", "Duration", "Result", "RTO target"],
        rows=rows,
        empty="No recovery runs.",
    )


def evidence_tables(assessment: Assessment) -> EvidenceTables:
    return EvidenceTables(rpo=rpo_evidence_table(assessment), copies=copies_evidence_table(assessment),
                          recovery=recovery_evidence_table(assessment))


CONTROL_ROW_STATUS = {"failing": Status.FAIL, "unknown": Status.UNKNOWN, "evidenced": Status.PASS}


def controls_tables(assessment: Assessment) -> list[ControlsTable]:
    """Controls evidenced, per framework: each control's status from its rules' findings."""
    from trondocs.compliance import FRAMEWORKS, controls_for_assessment

    tables = []
    for key, framework in FRAMEWORKS.items():
        results = controls_for_assessment(assessment, key)
        rows = [Row(cells=[r.control, r.title, r.status.value.replace("-", " "),
                           ", ".join(r.failing or r.unknown or r.rules) or "—"],
                    status=CONTROL_ROW_STATUS.get(r.status.value)) for r in results]
        tables.append(ControlsTable(framework=framework.name, table=Table(
            headers=["Control", "Title", "Status", "Rules (failing or unknown first)"], rows=rows,
            empty="No rule evidences a control of this framework.")))
    return tables

"""The report's whole context, built as data from plan + state + assessment: no IO, no Jinja."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from trondocs.evaluate.models import Assessment, NodeEvidence
from trondocs.plan.models import PaperSize, Plan
from trondocs.render.report import appendix, nodes, scorecard, summary, tables
from trondocs.render.report.charts import data_uri, node_rpo_chart
from trondocs.render.report.detail import DetailLevel, select
from trondocs.render.report.formatting import day, grouped_hex, when
from trondocs.render.report.model import (
    Appendix,
    Cover,
    Digest,
    DocumentMeta,
    EvidenceView,
    NodeDetail,
    ReportContext,
)
from trondocs.state.models import State

ChartFunction = Callable[[NodeEvidence, dt.datetime], str]


def _size(n: int) -> str:
    return f"{n:,} byte{'' if n == 1 else 's'}"


def evidence_view(manifest: dict) -> EvidenceView:
    """What the appendix prints from the evidence manifest: digests and the key fingerprint."""
    digests = [
        Digest(
            name=name,
            size=_size(entry["size"]),
            sha256=entry["sha256"],
            sha256_grouped=grouped_hex(entry["sha256"]),
        )
        for name, entry in sorted(manifest["files"].items())
    ]
    signature = manifest.get("signature")
    print_ = signature["fingerprint"] if signature else None
    return EvidenceView(
        digests=digests,
        signed=signature is not None,
        fingerprint=print_,
        fingerprint_grouped=grouped_hex(print_) if print_ else None,
    )


def w3c(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_meta(plan: Plan, assessment: Assessment, paper: PaperSize) -> DocumentMeta:
    org = plan.organization
    return DocumentMeta(
        title=f"Disaster-recovery audit report — {org.name}",
        author=org.name,
        subject=(
            f"Can {org.name} (TRON SR {org.sr_address}) keep producing blocks through a disaster? "
            f"Evidence as of {when(assessment.as_of)}."
        ),
        keywords=[
            "TRON",
            "Super Representative",
            "disaster recovery",
            "RPO",
            "RTO",
            "audit",
            org.name,
            org.sr_address,
        ],
        created=w3c(assessment.as_of),
        header=f"{org.name} · DR audit report · {day(assessment.as_of)}",
        paper=PaperSize(paper),
    )


def build_context(
    plan: Plan,
    state: State,
    assessment: Assessment,
    manifest: dict,
    *,
    paper: PaperSize = PaperSize.A4,
    chart: ChartFunction = node_rpo_chart,
    detail: DetailLevel | str = DetailLevel.AUTO,
) -> ReportContext:
    """Everything the templates show. ``chart`` draws a node's RPO chart as SVG text; ``detail``
    chooses the nodes with an evidence section (see ``trondocs.render.report.detail``)."""
    chosen = select(assessment, detail)
    # the scorecard's rows and the objectives: every node in trouble, even beyond the cap
    only = None if chosen.everything else chosen.in_trouble
    label, tone, sentence = summary.VERDICT_WORDS[assessment.verdict]
    org = plan.organization
    cover = Cover(
        organization=org.name,
        sr_address=org.sr_address,
        website=org.website,
        contact=org.contact,
        period=summary.period(assessment),
        generated=when(assessment.as_of),
        verdict=label,
        verdict_tone=tone,
        verdict_sentence=sentence,
        answers=summary.answers(plan, assessment),
    )

    def chart_uri(evidence: NodeEvidence, as_of: dt.datetime) -> str:
        return data_uri(chart(evidence, as_of))

    return ReportContext(
        meta=document_meta(plan, assessment, paper),
        cover=cover,
        summary=summary.executive_summary(plan, assessment),
        scorecard=scorecard.scorecard(assessment, only),
        nodes=nodes.node_sections(plan, assessment, chart_uri,
                                  None if chosen.everything else set(chosen.detailed)) if chosen.full else [],
        compact_nodes=[] if chosen.full else nodes.compact_sections(plan, assessment, chosen.detailed),
        node_detail=NodeDetail(compact=not chosen.full, in_trouble=len(chosen.in_trouble),
                               left_out=chosen.left_out),
        findings=tables.findings_table(assessment),
        finding_groups=[] if chosen.full else tables.finding_groups(assessment),
        waivers=tables.waivers_table(plan, assessment),
        resolved=tables.resolved_table(assessment),
        tests=tables.tests_table(plan, assessment),
        # a compact section shows its node's targets beside the facts that missed them: the
        # objectives table counts every node by role and objectives (at 5,000 nodes a row per
        # node in trouble would be some 25 pages)
        methodology=tables.methodology(plan, state, assessment, only if chosen.full else frozenset()),
        appendix=Appendix(
            rules=appendix.rules_table(assessment),
            evidence_tables=appendix.evidence_tables(assessment) if chosen.everything else None,
            evidence=evidence_view(manifest),
            controls=appendix.controls_tables(assessment),
        ),
        everything=chosen.everything,
    )

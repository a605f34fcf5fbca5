"""The scorecard (one row per node) and each node's evidence section."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Container, Iterable

from trondocs.evaluate.models import Assessment, Finding, NodeEvidence, Status
from trondocs.plan.models import Node, Plan
from trondocs.render.report.formatting import copy_cells, day, plain_duration, short_duration, when
from trondocs.render.report.model import (
    CompactNodeSection,
    Fact,
    NodeFindingView,
    NodeSection,
    Row,
    Table,
)
from trondocs.render.report.summary import blocks_headline, standby_ready
from trondocs.state.models import SUCCEEDED_RESULTS
from trondocs.wording import loss_chance


def anchor(name: str) -> str:
    return "node-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def runs_on(node: Node | None, plan: Plan) -> str:
    if node is None:
        return "not in the plan"
    where = node.runs_on
    site = plan.site(where.site)
    place = f" at {site.name}" + (f" ({site.location})" if site and site.location else "") if site else ""
    if where.vm:
        return f"vSphere VM {where.vm}{place}"
    return f"AWS EC2 {where.instance} in {where.region}{place}"


def verdict_of(findings: list[Finding], rule: str) -> Status | None:
    """The rule's own status for this node: the report shows the verdict, it never re-judges."""
    found = [f.status for f in findings if f.rule == rule]
    order = [Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS]
    return min(found, key=order.index) if found else None


def rpo_parts(evidence: NodeEvidence, findings: list[Finding]) -> tuple[list[Fact], Table]:
    rpo = evidence.rpo
    facts = [
        Fact(label="Target (most data that may be lost)", value=plain_duration(rpo.target)),
        Fact(
            label="Newest restore point",
            value=f"{when(rpo.newest)} ({plain_duration(rpo.newest_age)} old)"
            if rpo.newest
            else "none found",
            status=verdict_of(findings, "TRD301"),
        ),
        Fact(
            label=f"Largest gap over the last {plain_duration(rpo.window)}",
            value=plain_duration(rpo.largest_gap),
            status=verdict_of(findings, "TRD302"),
        ),
        Fact(
            label="Restore points in the window",
            value=", ".join(f"{count} {kind}" for kind, count in sorted(rpo.counts_by_kind.items()))
            or "none",
        ),
    ]
    if not rpo.known:
        facts.append(
            Fact(
                label="Evidence", value="incomplete: a source holding restore points failed",
                status=Status.UNKNOWN,
            )
        )
    rows = [
        Row(
            cells=[
                p.protection,
                p.kind,
                p.location or "—",
                str(p.count),
                when(p.newest),
                short_duration(p.newest_age),
                short_duration(p.largest_gap),
                short_duration(p.expected_interval),
            ],
            status=None
            if p.newest_age is None or p.expected_interval is None
            else (Status.FAIL if p.newest_age > rpo.target and p.newest_age > p.expected_interval
                  else None),
        )
        for p in rpo.per_protection
    ]
    table = Table(
        headers=["Protection", "Kind", "Where", "Points", "Newest", "Age", "Largest gap", "Every"],
        rows=rows,
        empty="No restore points were found for this node.",
    )
    return facts, table


def copies_parts(evidence: NodeEvidence, plan: Plan, findings: list[Finding]) -> tuple[list[Fact], Table]:
    copies = evidence.copies
    policy = plan.three_two_one
    facts = [
        Fact(
            label="Independent copies",
            value=f"{copies.independent_copies} (policy: {policy.copies})",
            status=verdict_of(findings, "TRD401"),
        ),
        Fact(
            label="Different media",
            value=f"{copies.media} (policy: {policy.media})",
            status=verdict_of(findings, "TRD402"),
        ),
        Fact(
            label="Offsite copies",
            value=f"{copies.offsite} (policy: {policy.offsite})",
            status=verdict_of(findings, "TRD403"),
        ),
        Fact(
            label="Immutable copies",
            value=f"{copies.immutable} (policy: {policy.immutable})",
            status=verdict_of(findings, "TRD404"),
        ),
        Fact(label="Chance of losing every copy", value=loss_chance(copies.loss_probability)),
    ]
    rows = [Row(cells=copy_cells(c)) for c in copies.copies]
    table = Table(
        headers=["Copy", "Kind", "Site", "Medium", "Offsite", "Immutable", "Encrypted", "Failure domain",
                 "Counts"],
        rows=rows,
        empty="No copies were found.",
    )
    return facts, table


def _catch_up(run) -> str:
    if run.catch_up is None:
        return "—"
    return f"{short_duration(run.catch_up)} ({run.catch_up_basis})"


def rto_parts(evidence: NodeEvidence, as_of: dt.datetime,
              findings: list[Finding]) -> tuple[list[Fact], Table]:
    rto = evidence.rto
    facts = [
        Fact(label="Target (longest the node may be down)", value=plain_duration(rto.target)),
        Fact(
            label="Latest measured outage (recovery + catch-up)",
            value=plain_duration(rto.latest),
            status=verdict_of(findings, "TRD602"),
        ),
        Fact(
            label="Longest measured outage",
            value=plain_duration(rto.worst),
            status=None,  # the worst run is shown for context; TRD602 judges the latest
        ),
        Fact(label="Last test", value=day(rto.last_test), status=None),
        Fact(label="Next test due", value=day(rto.next_test_due), status=verdict_of(findings, "TRD601")),
    ]
    rows = [
        Row(
            cells=[
                when(r.started),
                r.name or r.plan or "—",
                r.kind,
                r.source,
                short_duration(r.duration),
                _catch_up(r),
                short_duration(r.outage) if r.excluded is None else f"not counted: {r.excluded}",
                r.result,
            ],
            status=Status.FAIL if r.result not in SUCCEEDED_RESULTS else None,
        )
        for r in sorted(rto.runs, key=lambda r: r.started, reverse=True)
    ]
    return facts, Table(
        headers=["Started", "Name", "Kind", "Source", "Duration", "Catch-up", "Outage", "Result"],
        rows=rows,
        empty="No recovery or DR test is on record for this node.",
    )


def impact_text(evidence: NodeEvidence, standby_ready: bool) -> str | None:
    impact = evidence.impact
    if impact is None:
        return None
    text = (
        f"An outage of {plain_duration(impact.outage)} (catch-up with the network included) would cost "
        f"{blocks_headline(impact.blocks_at_risk).lower()} without a standby (one slot per 81 s round it "
        "can span)"
    )
    if impact.blocks_at_risk_with_standby is not None:
        with_standby = blocks_headline(impact.blocks_at_risk_with_standby).lower()
        takeover = f"{int(impact.takeover.total_seconds())} s" if impact.takeover else "its takeover"
        text += (
            f", {with_standby} with the standby taking over within {takeover}"
            if standby_ready
            else f"; {with_standby} if the standby took over within {takeover}, but the standby is not ready"
        )
    return text + "."


def finding_view(finding: Finding) -> NodeFindingView:
    waiver = None
    if finding.waiver is not None:
        waiver = f"Waived until {day(finding.waiver.expires)}: {finding.waiver.reason}" + (
            f" (approved by {finding.waiver.approved_by})" if finding.waiver.approved_by else ""
        )
    return NodeFindingView(
        rule=finding.rule,
        title=finding.title,
        severity=finding.severity.value,
        status=finding.status,
        message=finding.message,
        remediation=finding.remediation,
        waiver=waiver,
    )


def node_sections(
    plan: Plan,
    assessment: Assessment,
    chart: Callable[[NodeEvidence, dt.datetime], str],
    only: Container[str] | None = None,
) -> list[NodeSection]:
    """The evidence section of each node in ``only`` (None: every node), in the plan's order."""
    ready = standby_ready(assessment)
    sections = []
    for evidence in assessment.nodes:
        if only is not None and evidence.node not in only:
            continue
        declared = plan.node(evidence.node)
        findings = assessment.findings_for(evidence.node)
        rpo_facts, rpo_table = rpo_parts(evidence, findings)
        copies_facts, copies_table = copies_parts(evidence, plan, findings)
        rto_facts, rto_table = rto_parts(evidence, assessment.as_of, findings)
        sections.append(
            NodeSection(
                name=evidence.node,
                anchor=anchor(evidence.node),
                role=evidence.role,
                description=declared.description if declared else None,
                runs_on=runs_on(declared, plan),
                status=evidence.status,
                rpo_facts=rpo_facts,
                rpo_table=rpo_table,
                rpo_chart=chart(evidence, assessment.as_of),
                copies_facts=copies_facts,
                copies_table=copies_table,
                rto_facts=rto_facts,
                rto_table=rto_table,
                impact=impact_text(evidence, ready),
                findings=[finding_view(f) for f in findings if f.status is not Status.PASS],
                passed=assessment.summary.of_node(evidence.node, Status.PASS),
            )
        )
    return sections


DECISIVE = (Status.FAIL, Status.UNKNOWN)


def _decisive(facts: list[Fact], *, target_first: bool) -> list[Fact]:
    """The facts whose rule failed or is unknown; with the area's target (its first fact, for
    RPO and RTO) when one of them is, so "2 days old" reads against "15 minutes"."""
    decided = [f for f in facts if f.status in DECISIVE]
    if decided and target_first and facts[0] not in decided:
        return [facts[0], *decided]
    return decided


def compact_sections(plan: Plan, assessment: Assessment, names: Iterable[str]) -> list[CompactNodeSection]:
    """A compact section for each node in ``names``, in that order: the facts whose rule failed or
    is unknown and the findings that did not pass, with no chart and no evidence tables (the
    embedded assessment and the site hold those)."""
    ready = standby_ready(assessment)
    by_name = {evidence.node: evidence for evidence in assessment.nodes}
    sections = []
    for name in names:
        evidence = by_name[name]
        declared = plan.node(name)
        findings = assessment.findings_for(name)
        facts = [
            *_decisive(rpo_parts(evidence, findings)[0], target_first=True),
            *_decisive(copies_parts(evidence, plan, findings)[0], target_first=False),
            *_decisive(rto_parts(evidence, assessment.as_of, findings)[0], target_first=True),
        ]
        sections.append(
            CompactNodeSection(
                name=name,
                anchor=anchor(name),
                role=evidence.role,
                runs_on=runs_on(declared, plan),
                status=evidence.status,
                decisive_facts=facts,
                impact=impact_text(evidence, ready),
                findings=[finding_view(f) for f in findings if f.status is not Status.PASS],
                passed=assessment.summary.of_node(name, Status.PASS),
            )
        )
    return sections

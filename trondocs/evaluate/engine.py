"""Run the catalogue over a context and assemble the Assessment (findings worst first)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.models import (
    AppliedWaiver,
    Assessment,
    Change,
    Finding,
    NodeEvidence,
    Severity,
    SourceSummary,
    Status,
    Summary,
    Verdict,
)
from trondocs.evaluate.rules import Rule, catalogue
from trondocs.plan.models import Waiver

STATUS_ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WAIVED: 2, Status.PASS: 3}
SEVERITY_ORDER = {s: -s.rank for s in Severity}  # critical first


def sort_key(finding: Finding) -> tuple:
    return (STATUS_ORDER[finding.status], SEVERITY_ORDER[finding.severity], finding.rule,
            finding.node or "", finding.subject or "", finding.message)


def run_rules(ctx: EvaluationContext, rules: list[Rule] | None = None) -> list[Finding]:
    waivers = ctx.valid_waivers()
    findings = []
    for rule in rules if rules is not None else catalogue():
        for result in rule.check(ctx):
            status, applied = result.status, None
            if status is Status.FAIL:
                waiver = _covering(waivers, rule.id, result.node)
                if waiver is not None:
                    status = Status.WAIVED
                    applied = AppliedWaiver(reason=waiver.reason, expires=waiver.expires,
                                            approved_by=waiver.approved_by)
            location = result.location
            if location is None and result.node is not None:
                location = ctx.locate("nodes", result.node)
            findings.append(Finding(
                rule=rule.id, title=rule.title, severity=rule.severity, status=status, node=result.node,
                subject=result.subject, message=result.message, evidence=dict(result.evidence),
                remediation=rule.remediation, plan_location=location, waiver=applied,
            ))
    return sorted(findings, key=sort_key)


def _covering(waivers: list[Waiver], rule_id: str, node: str | None) -> Waiver | None:
    """A valid waiver of this rule for this node, or for every node (node omitted)."""
    return next((w for w in waivers if w.rule == rule_id and (w.node is None or w.node == node)), None)


def worst(statuses: list[Status]) -> Status:
    return min(statuses, key=STATUS_ORDER.__getitem__, default=Status.PASS)


def verdict(findings: list[Finding]) -> Verdict:
    failing = [f for f in findings if f.status is Status.FAIL]
    if any(f.severity.rank >= Severity.HIGH.rank for f in failing):
        return Verdict.NOT_READY
    if failing or any(f.status is Status.UNKNOWN for f in findings):
        return Verdict.AT_RISK
    return Verdict.READY


def summary(findings: list[Finding], resolved: int = 0) -> Summary:
    statuses = Counter(f.status for f in findings)
    failing = Counter(f.severity for f in findings if f.status is Status.FAIL)
    new = sum(1 for f in findings if f.status is Status.FAIL and f.change is Change.NEW)
    return Summary(by_status={s.value: statuses[s] for s in Status},
                   failing_by_severity={s.value: failing[s] for s in Severity}, new=new, resolved=resolved)


def node_evidence(facts: NodeFacts, findings: list[Finding]) -> NodeEvidence:
    return NodeEvidence(node=facts.name, role=facts.node.role.value, rpo=facts.rpo, rto=facts.rto,
                        copies=facts.copies, impact=facts.impact,
                        status=worst([f.status for f in findings]))


def assemble(ctx: EvaluationContext, findings: list[Finding]) -> Assessment:
    per_node: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.node is not None:
            per_node.setdefault(finding.node, []).append(finding)
    state = ctx.state
    return Assessment(
        as_of=ctx.as_of.astimezone(dt.UTC), organization=ctx.plan.organization.name,
        sr_address=ctx.plan.organization.sr_address, verdict=verdict(findings), summary=summary(findings),
        nodes=[node_evidence(f, per_node.get(f.name, [])) for f in ctx.nodes],
        findings=findings, rules=[r.info for r in catalogue()],
        sources=[SourceSummary(name=s.name, type=s.type, ok=s.ok, error=s.error, finished=s.finished)
                 for s in state.collection.sources],
        collected_at=state.collection.finished,
        failover_plans=[ctx.failover_evidence[f.name] for f in ctx.plan.failover_plans
                        if f.name in ctx.failover_evidence],
    )

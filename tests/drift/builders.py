"""Hand-built Assessments for the drift format tests: every status, a waiver, a baseline, odd text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from trondocs.diagnostics import Location
from trondocs.evaluate.engine import summary
from trondocs.evaluate.models import (
    AppliedWaiver,
    Assessment,
    Change,
    CopiesEvidence,
    Copy,
    Finding,
    NodeEvidence,
    ProtectionRpo,
    RecoveryMeasurement,
    RpoEvidence,
    RtoEvidence,
    RuleInfo,
    Severity,
    SourceSummary,
    Status,
    TronImpact,
    Verdict,
)

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = ROOT / "tests" / "vendor" / "sarif" / "sarif-schema-2.1.0.json"
AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)

RULES = {
    "TRD101": ("Declared node not found in any source", "inventory", Severity.HIGH),
    "TRD205": ("Last run failed or warned", "jobs", Severity.MEDIUM),
    "TRD301": ("Newest restore point older than the RPO", "rpo", Severity.HIGH),
    "TRD403": ("No offsite copy", "copies", Severity.MEDIUM),
    "TRD503": ("Standby witness not ready", "failover", Severity.CRITICAL),
    "TRD601": ("DR test overdue", "testing", Severity.LOW),
    "TRD701": ("Node unreachable", "nodes", Severity.HIGH),
}


def rule_info(rule: str) -> RuleInfo:
    title, family, severity = RULES[rule]
    return RuleInfo(id=rule, title=title, family=family, severity=severity,
                    rationale=f"Why {rule} matters: {title.lower()}.", remediation=f"How to fix {rule}.")


def finding(rule: str, status: Status, node: str | None = "witness-a", *, message: str | None = None,
            line: int | None = 4, subject: str | None = None, change: Change | None = None,
            waiver: AppliedWaiver | None = None, evidence: dict | None = None,
            severity: Severity | None = None) -> Finding:
    title, _, default = RULES[rule]
    return Finding(
        rule=rule, title=title, severity=severity or default, status=status, node=node, subject=subject,
        message=message or f"{title} ({node or 'plan'})", evidence=evidence or {},
        remediation=f"How to fix {rule}.",
        plan_location=None if line is None else Location(file="inventory/nodes.yaml", line=line, column=5),
        waiver=waiver, change=change)


def node_evidence(name: str, status: Status, *, age_minutes: float | None = 38, known: bool = True,
                  impact: TronImpact | None = None) -> NodeEvidence:
    age = None if age_minutes is None else dt.timedelta(minutes=age_minutes)
    return NodeEvidence(
        node=name, role="witness" if name.startswith("witness") else "full", status=status,
        rpo=RpoEvidence(
            target=15 * MIN, newest=None if age is None else AS_OF - age, newest_age=age,
            largest_gap=None if age is None else 60 * MIN, known=known,
            per_protection=[ProtectionRpo(protection="replication", kind="replica", location="cluj-dr",
                                          count=7, newest=None if age is None else AS_OF - age,
                                          newest_age=age, largest_gap=60 * MIN, expected_interval=15 * MIN)],
            counts_by_kind={"replica": 7, "backup": 14},
            counts_by_location={"cluj-dr": 7, "buc-repo-01": 14}),
        rto=RtoEvidence(
            target=dt.timedelta(hours=1), latest=dt.timedelta(seconds=21),
            worst=dt.timedelta(minutes=24, seconds=10),
            last_test=dt.datetime(2026, 7, 14, 8, 0, tzinfo=dt.UTC),
            next_test_due=dt.datetime(2026, 10, 12, 8, 0, tzinfo=dt.UTC),
            runs=[RecoveryMeasurement(source="drill", kind="drill", plan="TRON site failover",
                                      started=dt.datetime(2026, 7, 14, 7, 0, tzinfo=dt.UTC),
                                      finished=dt.datetime(2026, 7, 14, 7, 24, 10, tzinfo=dt.UTC),
                                      duration=dt.timedelta(minutes=24, seconds=10), result="success")]),
        copies=CopiesEvidence(
            copies=[Copy(label="production", kind="primary", site="buc-dc1", medium="disk",
                         failure_domain="buc-dc1/disk"),
                    Copy(label="replication", kind="replica", site="cluj-dr", medium="disk", offsite=True,
                         encrypted=False, failure_domain="cluj-dr/disk"),
                    Copy(label="backup copy", kind="copy", site="s3-frankfurt", medium="object", offsite=True,
                         immutable=True, encrypted=True, account="111122223333",
                         failure_domain="s3-frankfurt/object")],
            independent_copies=3, media=2, offsite=2, immutable=1, outside_account=0, loss_probability=1e-6),
        impact=impact)


def make_assessment(findings: list[Finding], *, verdict: Verdict = Verdict.NOT_READY,
                    resolved: list[Finding] | None = None, baseline: bool = True,
                    sources: list[SourceSummary] | None = None,
                    nodes: list[NodeEvidence] | None = None) -> Assessment:
    return Assessment(
        as_of=AS_OF, organization="Carpathian Nodes SRL", sr_address="TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt",
        verdict=verdict, summary=summary(findings, resolved=len(resolved or [])), findings=findings,
        resolved=resolved or [],
        rules=[rule_info(r) for r in sorted(RULES)],
        nodes=nodes if nodes is not None else [],
        sources=sources if sources is not None else [
            SourceSummary(name="vcenter", type="vsphere", ok=True, finished=AS_OF - 3 * MIN)],
        collected_at=AS_OF, baseline_at=AS_OF - dt.timedelta(days=1) if baseline else None)


WAIVER = AppliedWaiver(reason="chain data is public, re-sync: from peers", expires=dt.date(2027, 3, 31),
                       approved_by="Ioana Marin (CTO)")


def mixed_assessment() -> Assessment:
    """Every status and severity, a waiver, a baseline, a failed source and text that needs escaping."""
    findings = [
        finding("TRD601", Status.FAIL, None, line=None, subject="TRON site failover",
                message="last DR test 2026-07-14, due every 90d"),
        finding("TRD301", Status.PASS, "full-01", line=20),
        finding("TRD301", Status.FAIL, "witness-b", line=12, change=Change.NEW,
                message="newest restore point is 2d 3h old, RPO 15m: 100% over, a,b:c\nsecond line",
                evidence={"newest_age_seconds": 183600, "rpo_seconds": 900, "point": "rp-1"}),
        finding("TRD503", Status.FAIL, "witness-b", line=12, change=Change.UNCHANGED,
                message="standby replica is stale | <b>not</b> ready"),
        finding("TRD403", Status.WAIVED, "full-aws-01", line=33, waiver=WAIVER),
        finding("TRD701", Status.UNKNOWN, "full-aws-01", line=33,
                message="source aws failed: connection refused"),
        finding("TRD205", Status.FAIL, None, line=None, subject="Replicate TRON nodes",
                message="last run ended with warning"),
        finding("TRD101", Status.PASS, "witness-a", line=4),
    ]
    nodes = [node_evidence("witness-a", Status.PASS,
                           impact=TronImpact(elected=True, outage=15 * MIN, blocks_at_risk=11,
                                             blocks_at_risk_with_standby=1)),
             node_evidence("witness-b", Status.FAIL, age_minutes=3 * 60 + 48 * 60),
             node_evidence("full-aws-01", Status.UNKNOWN, age_minutes=None, known=False)]
    sources = [SourceSummary(name="vcenter", type="vsphere", ok=True, finished=AS_OF - 3 * MIN),
               SourceSummary(name="aws", type="aws", ok=False, error="connection refused", finished=AS_OF)]
    resolved = [finding("TRD701", Status.PASS, "solidity-01", line=27, change=Change.RESOLVED,
                        message="solidity-01 answers again")]
    return make_assessment(findings, resolved=resolved, sources=sources, nodes=nodes)


def clean_assessment() -> Assessment:
    """Everything passes, evidence complete, no baseline."""
    return make_assessment([finding("TRD301", Status.PASS), finding("TRD101", Status.PASS)],
                           verdict=Verdict.READY, baseline=False)

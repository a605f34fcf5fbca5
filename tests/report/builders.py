"""Hand-built Assessments of the example SR, for report tests that must not depend on evaluate().

The figures mirror tests/factories.py::example_state(): replication slowed to 60 minutes,
witness-b's replica two days stale, an overdue DR test, a waived finding on full-aws-01.
"""

from __future__ import annotations

import datetime as dt
import math

from tests.factories import AS_OF, SR_ADDRESS
from trondocs.evaluate.engine import summary
from trondocs.evaluate.models import (
    AppliedWaiver,
    Assessment,
    BackupView,
    ChainRecord,
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
    StandbyEvidence,
    Status,
    TronImpact,
    Verdict,
    WitnessEvidence,
)

M = dt.timedelta(minutes=1)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)

RULES = [
    RuleInfo(
        id="TRD201",
        title="Newest restore point older than the RPO",
        family="rpo",
        severity=Severity.HIGH,
        rationale="Data newer than the newest restore point is lost in a disaster.",
        remediation="Make the protection job run at least as often as the RPO.",
    ),
    RuleInfo(
        id="TRD301",
        title="Measured RTO above target",
        family="rto",
        severity=Severity.HIGH,
        rationale="Only a measured recovery proves the RTO.",
        remediation="Run and record a DR test.",
    ),
    RuleInfo(
        id="TRD302",
        title="DR test overdue",
        family="dr tests",
        severity=Severity.MEDIUM,
        rationale="Recovery skills and runbooks decay.",
        remediation="Run the next DR test.",
    ),
    RuleInfo(
        id="TRD401",
        title="Fewer copies than the 3-2-1 policy",
        family="3-2-1",
        severity=Severity.HIGH,
        rationale="Copies in one failure domain fail together.",
        remediation="Add an offsite copy.",
    ),
    RuleInfo(
        id="TRD403",
        title="No immutable copy",
        family="3-2-1",
        severity=Severity.MEDIUM,
        rationale="Ransomware deletes what it can reach.",
        remediation="Enable object lock.",
    ),
    RuleInfo(
        id="TRD501",
        title="Standby witness not ready",
        family="failover",
        severity=Severity.CRITICAL,
        rationale="Without a standby, production stops for the whole RTO.",
        remediation="Run a second witness in backup mode.",
    ),
    RuleInfo(
        id="TRD601",
        title="Sync lag above the limit",
        family="node health",
        severity=Severity.MEDIUM,
        rationale="A lagging node cannot take over.",
        remediation="Check peers and disk.",
    ),
]
TITLES = {r.id: (r.title, r.severity) for r in RULES}

# node → (role, rpo target, newest age, largest gap, rto target, latest rto)
NODES = {
    "witness-a": ("witness", 15 * M, 38 * M, 60 * M, 30 * M, dt.timedelta(minutes=24, seconds=10)),
    "witness-b": ("witness", 15 * M, 2 * D + 3 * H, 2 * D + 3 * H, 30 * M, dt.timedelta(seconds=21)),
    "full-01": ("full", 24 * H, 38 * M, 60 * M, 30 * M, dt.timedelta(minutes=20, seconds=25)),
    "solidity-01": ("solidity", 24 * H, 38 * M, 60 * M, 30 * M, dt.timedelta(minutes=20, seconds=25)),
    "full-aws-01": ("full", 2 * H, 22 * M, 61 * M, 30 * M, None),
}
DRILL = dt.datetime(2026, 7, 14, 7, 0, tzinfo=dt.UTC)


def finding(rule: str, node: str | None, status: Status, message: str, **extra) -> Finding:
    title, severity = TITLES[rule]
    return Finding(
        rule=rule,
        title=title,
        severity=severity,
        status=status,
        node=node,
        message=message,
        remediation=next(r.remediation for r in RULES if r.id == rule),
        **extra,
    )


def default_findings() -> list[Finding]:
    waiver = AppliedWaiver(
        reason="chain data is public; re-syncing from peers is the recovery path",
        expires=dt.date(2027, 3, 31),
        approved_by="Ioana Marin (CTO)",
    )
    fails = [
        finding("TRD201", "witness-b", Status.FAIL, "newest restore point is 2d 3h old; the RPO is 15m"),
        finding("TRD201", "witness-a", Status.FAIL, "newest restore point is 38m old; the RPO is 15m"),
        finding("TRD302", "witness-a", Status.FAIL, "last DR test 14 Jul 2026; one was due every 60 days"),
        finding("TRD403", "full-aws-01", Status.WAIVED, "no immutable copy of full-aws-01", waiver=waiver),
    ]
    passes = (
        [finding(rule, node, Status.PASS, "ok") for node in NODES for rule in ("TRD301", "TRD401", "TRD601")]
        + [finding("TRD201", n, Status.PASS, "ok") for n in ("full-01", "solidity-01", "full-aws-01")]
        + [finding("TRD501", "witness-a", Status.PASS, "witness-b stands by")]
    )
    return fails + passes


def node_evidence(name: str, as_of: dt.datetime, status: Status, *, known: bool = True) -> NodeEvidence:
    role, rpo_target, age, gap, rto_target, latest = NODES[name]
    newest = as_of - age
    protection = "AWS hourly snapshots" if name == "full-aws-01" else "TRON replication"
    points = [newest - gap * i for i in range(int(7 * D / gap) + 2)] if known else []
    runs = (
        []
        if latest is None
        else [
            RecoveryMeasurement(
                source="drill",
                kind="drill",
                name="failover to replica",
                plan="TRON site failover",
                started=DRILL,
                finished=DRILL + latest,
                duration=latest,
                result="success",
            )
        ]
    )
    copies = [
        Copy(
            label="production", kind="primary", site="buc-dc1", medium="disk", failure_domain="buc-dc1/disk"
        ),
        Copy(
            label=protection,
            kind="replica",
            site="cluj-dr",
            medium="disk",
            offsite=True,
            failure_domain="cluj-dr/disk",
        ),
        Copy(
            label="TRON nightly backup: copy",
            kind="copy",
            site="s3-frankfurt",
            medium="object",
            offsite=True,
            immutable=True,
            encrypted=True,
            failure_domain="s3-frankfurt/object",
        ),
    ]
    impact = None
    if role == "witness":
        outage = latest or rto_target
        impact = TronImpact(
            elected=True,
            outage=outage,
            blocks_at_risk=math.ceil(outage.total_seconds() / 81),
            blocks_at_risk_with_standby=1 if name == "witness-a" else None,
            miss_chance=min(outage.total_seconds() / 81, 1.0),
            takeover=TAKEOVER if name == "witness-a" else None,
            miss_chance_with_standby=42 / 81 if name == "witness-a" else None,
        )
    return NodeEvidence(
        node=name,
        role=role,
        status=status,
        rpo=RpoEvidence(
            target=rpo_target,
            newest=newest if known else None,
            newest_age=age if known else None,
            largest_gap=gap if known else None,
            known=known,
            points=points,
            counts_by_kind={"replica": 7, "backup": 14} if known else {},
            per_protection=[
                ProtectionRpo(
                    protection=protection,
                    kind="replica",
                    location="cluj-dr",
                    count=7,
                    newest=newest,
                    newest_age=age,
                    largest_gap=gap,
                    expected_interval=15 * M,
                )
            ]
            if known
            else [],
        ),
        rto=RtoEvidence(
            target=rto_target,
            latest=latest,
            worst=latest,
            last_test=DRILL if latest else None,
            next_test_due=DRILL + 60 * D if latest else None,
            runs=runs,
        ),
        copies=CopiesEvidence(
            copies=copies, independent_copies=3, media=2, offsite=2, immutable=1, loss_probability=1e-7
        ),
        impact=impact,
    )


def example_assessment(
    as_of: dt.datetime = AS_OF,
    *,
    findings: list[Finding] | None = None,
    verdict: Verdict = Verdict.NOT_READY,
    unknown_nodes: tuple[str, ...] = (),
    baseline_at: dt.datetime | None = None,
) -> Assessment:
    findings = default_findings() if findings is None else findings
    worst = {}
    order = [Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS]
    for f in findings:
        if f.node and (f.node not in worst or order.index(f.status) < order.index(worst[f.node])):
            worst[f.node] = f.status
    return Assessment(
        as_of=as_of,
        organization="Carpathian Nodes",
        sr_address=SR_ADDRESS,
        verdict=verdict,
        summary=summary(findings),
        nodes=[
            node_evidence(n, as_of, worst.get(n, Status.PASS), known=n not in unknown_nodes) for n in NODES
        ],
        findings=findings,
        rules=RULES,
        baseline_at=baseline_at,
        sources=[
            SourceSummary(name=n, type=t, ok=True, finished=as_of - dt.timedelta(minutes=k))
            for n, t, k in (
                ("vcenter", "vsphere", 3),
                ("veeam", "veeam", 2),
                ("aws", "aws", 1),
                ("tron-nodes", "java-tron", 0),
            )
        ],
        collected_at=as_of,
        witness=witness_evidence(),
    )


TAKEOVER = dt.timedelta(seconds=42)


def witness_evidence(standby: Status = Status.PASS, producing: bool | None = True) -> WitnessEvidence:
    """The SR as the chain lists it, both witnesses in backup mode, and the standby verdict."""
    return WitnessEvidence(
        record=ChainRecord(
            elected=True, elected_basis="chain", plan_elected=True, votes=1_204_556_001, rank=14,
            produced=412_332, missed=17, latest_block=77_412_949, latest_slot=602_113_369,
            head_slot=602_113_377, slots_behind=8 if producing else 400, producing=producing,
            missed_in_period=17, missed_basis="lifetime total (totalMissed; no earlier snapshot)"),
        witnesses=[
            BackupView(node="witness-a", order=1, declared_port=10001, declared_priority=10,
                       declared_members=["10.10.0.12"], keep_alive=dt.timedelta(seconds=3),
                       observed_port=10001, observed_members=1, observed_priority=10, master=True,
                       reachable=True),
            BackupView(node="witness-b", order=2, declared_port=10001, declared_priority=8,
                       declared_members=["10.10.0.11"], keep_alive=dt.timedelta(seconds=3),
                       observed_port=10001, observed_members=1, observed_priority=8, master=False,
                       reachable=True),
        ],
        standby=StandbyEvidence(
            node="witness-b", status=standby,
            reasons=[] if standby is Status.PASS else [
                "backup mode is off on witness-a (port 10001, 0 members)"],
            takeover_shortest=dt.timedelta(seconds=33), takeover_longest=TAKEOVER,
            keep_alive=dt.timedelta(seconds=3), keep_alive_basis="declared"),
    )

"""Run the catalogue over a context and assemble the Assessment (findings worst first)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import replace

from trondocs.diagnostics import Location
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import JAVA_TRON, SYSTEM_SOURCE, job_source, platform_evidence
from trondocs.evaluate.models import (
    AppliedWaiver,
    Assessment,
    Change,
    Finding,
    Needs,
    NodeEvidence,
    Severity,
    SourceSummary,
    Status,
    Summary,
    Verdict,
)
from trondocs.evaluate.rules import Result, Rule, catalogue
from trondocs.evaluate.rules.base import missing
from trondocs.plan.models import Waiver

STATUS_ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WAIVED: 2, Status.PASS: 3}
SEVERITY_ORDER = {s: -s.rank for s in Severity}  # critical first


def sort_key(finding: Finding) -> tuple:
    return (STATUS_ORDER[finding.status], SEVERITY_ORDER[finding.severity], finding.rule,
            finding.node or "", finding.subject or "", finding.message)


def run_rules(ctx: EvaluationContext, rules: list[Rule] | None = None) -> list[Finding]:
    waivers = ctx.valid_waivers()
    findings = []
    claims: dict[tuple, list[str]] = {}  # see claim_or_unknown: the gaps per subject and evidence
    node_locations: dict[str, Location | None] = {}  # a node's many findings point at one plan entry
    for rule in rules if rules is not None else catalogue():
        for result in rule.check(ctx):
            result = claim_or_unknown(ctx, rule, result, claims)
            status, applied = result.status, None
            if status is Status.FAIL:
                waiver = _covering(waivers, rule.id, result.node)
                if waiver is not None:
                    status = Status.WAIVED
                    applied = AppliedWaiver(reason=waiver.reason, expires=waiver.expires,
                                            approved_by=waiver.approved_by)
            location = result.location
            if location is None and result.node is not None:
                if result.node not in node_locations:
                    node_locations[result.node] = ctx.locate("nodes", result.node)
                location = node_locations[result.node]
            findings.append(make_finding(rule, result, status, location, applied))
    findings.sort(key=sort_key)
    return findings


_PLAIN_VALUES = frozenset({str, int, float, bool, type(None)})  # evidence values validation keeps as they are
_OPTIONAL_TEXT = frozenset({str, type(None)})
_new_object = object.__new__
_set = object.__setattr__


def make_finding(rule: Rule, result: Result, status: Status, location: Location | None,
                 waiver: AppliedWaiver | None) -> Finding:
    """The Finding validation would build from these, without validating again what is already
    checked: the rule's fields and ``status`` are the models' own types, the location and waiver
    validated models, and the evidence plain values (rules.base.evidence). A value of any other
    type goes through validation, so the result is always what ``Finding(...)`` gives
    (tests/evaluate/test_finding_fast_path.py compares the two on whole estates).
    A large estate has hundreds of thousands of findings (evaluating 1,000 bench nodes took
    1.6–1.7 s CPU this way, 1.8 s validating each)."""
    evidence = dict(result.evidence)  # the finding's own dict, as validation copies it
    if (type(rule.severity) is not Severity or type(rule.id) is not str or type(rule.title) is not str
            or type(rule.remediation) is not str
            or type(result.message) is not str or type(result.node) not in _OPTIONAL_TEXT
            or type(result.subject) not in _OPTIONAL_TEXT or type(status) is not Status
            or type(location) not in (Location, type(None)) or type(waiver) not in (AppliedWaiver, type(None))
            or not all(type(v) in _PLAIN_VALUES for v in evidence.values())
            or not all(type(k) is str for k in evidence)):
        return validated_finding(rule, result, status, location, waiver)
    finding = _new_object(Finding)
    _set(finding, "__dict__", {
        "rule": rule.id, "title": rule.title, "severity": rule.severity, "status": status,
        "node": result.node, "subject": result.subject, "message": result.message, "evidence": evidence,
        "remediation": rule.remediation, "plan_location": location, "waiver": waiver, "change": None,
    })
    _set(finding, "__pydantic_fields_set__", _given_fields())
    _set(finding, "__pydantic_extra__", None)
    _set(finding, "__pydantic_private__", None)
    return finding


def validated_finding(rule: Rule, result: Result, status: Status, location: Location | None,
                      waiver: AppliedWaiver | None) -> Finding:
    """The same Finding through pydantic's validation: what make_finding must equal."""
    # No copy of the evidence here: validating a dict field makes the finding its own dict.
    return Finding(rule=rule.id, title=rule.title, severity=rule.severity, status=status, node=result.node,
                   subject=result.subject, message=result.message, evidence=result.evidence,
                   remediation=rule.remediation, plan_location=location, waiver=waiver)


_SHARED_GIVEN: list[set[str]] = []


def _given_fields() -> set[str]:
    """The one set of given field names (every field but ``change``) that findings share
    (trondocs.sharing), as Finding's validator gives it: taken from a validated finding once."""
    if not _SHARED_GIVEN:
        probe = Finding(rule="", title="", severity=Severity.LOW, status=Status.PASS, node=None, subject=None,
                        message="", evidence={}, remediation="", plan_location=None, waiver=None)
        _SHARED_GIVEN.append(probe.__pydantic_fields_set__)
    return _SHARED_GIVEN[0]


def claim_or_unknown(ctx: EvaluationContext, rule: Rule, result: Result,
                     claims: dict[tuple, list[str]] | None = None) -> Result:
    """A PASS is a claim: it stands only when no missing evidence could turn it into a FAIL.

    Evidence the rule is not monotone in, from a source that failed (for this subject) or is
    not configured, makes the PASS UNKNOWN, naming what is missing. ``claims`` keeps the gaps
    found per subject and evidence for the next result about the same (a node has dozens).
    """
    if result.status is not Status.PASS:
        return result
    doubtful = rule.needs - rule.monotone_in
    if not doubtful:
        return result
    # What _sources_of reads: a known node alone, else the subject.
    key = (result.node, None, doubtful) if result.node in ctx.by_name else (None, result.subject, doubtful)
    gaps = claims.get(key) if claims is not None else None
    if gaps is None:
        types, idents = _sources_of(ctx, result, doubtful)
        gaps = ctx.coverage.gaps(types, idents)
        if claims is not None:
            claims[key] = gaps
    if not gaps:
        return result
    return replace(result, status=Status.UNKNOWN,
                   message=missing(gaps) + f" (in what was collected: {result.message})")


def _sources_of(ctx: EvaluationContext, result: Result, needs: frozenset[Needs]
                ) -> tuple[set[str], frozenset[str]]:
    """The source types playing these roles for the result's subject, and the subject's names.

    A node's own sources; for a protection or failover plan, its system and its nodes'; for
    anything else (a site, the SR), every node's.
    """
    plan = ctx.plan
    systems: set[str] = set()
    if result.node is not None and result.node in ctx.by_name:
        nodes = [ctx.by_name[result.node]]
        systems = set(nodes[0].point_sources) | {job_source(p.system.value) for p in nodes[0].protections}
    elif (prot := next((p for p in plan.protection if p.name == result.subject), None)) is not None:
        nodes = [ctx.by_name[n] for n in prot.covers if n in ctx.by_name]
        systems = {SYSTEM_SOURCE[prot.system.value], job_source(prot.system.value)}
    elif (fplan := next((f for f in plan.failover_plans if f.name == result.subject), None)) is not None:
        nodes = [ctx.by_name[s.node] for s in fplan.boot if s.node in ctx.by_name]
        systems = {SYSTEM_SOURCE[fplan.system.value]}
    else:
        nodes = ctx.nodes
        systems = {t for n in nodes for t in n.point_sources} | {
            job_source(p.system.value) for n in nodes for p in n.protections}
    types: set[str] = set()
    if Needs.JAVA_TRON in needs:
        types.add(JAVA_TRON)
    if Needs.PLATFORM in needs:
        types.update(platform_evidence(n.platform_source) for n in nodes)
    if Needs.PROTECTION in needs:
        types.update(systems)
    return types, frozenset(i for n in nodes for i in n.idents)


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
    """Every count the outputs show, once: a finding is new when it fails now and did not before."""
    # One pass over the findings (a large estate has hundreds of thousands): the other counts
    # follow from the (severity, status) cells.
    cells: Counter = Counter()
    by_rule: dict[str, Counter] = {}
    by_node: dict[str, Counter] = {}
    nodes_of: dict[str, set[str]] = {}
    new = 0
    for f in findings:
        status = f.status
        cells[f.severity, status] += 1
        counts = by_rule.get(f.rule)
        if counts is None:
            counts = by_rule[f.rule] = Counter()
        counts[status] += 1
        if f.node is not None:
            counts = by_node.get(f.node)
            if counts is None:
                counts = by_node[f.node] = Counter()
            counts[status] += 1
            nodes_of.setdefault(f.rule, set()).add(f.node)
        if status is Status.FAIL and f.change is Change.NEW:  # Finding.is_new
            new += 1
    statuses = Counter({st: sum(cells[sev, st] for sev in Severity) for st in Status})
    failing = Counter({sev: cells[sev, Status.FAIL] for sev in Severity})

    def table(counters: dict[str, Counter]) -> dict[str, dict[Status, int]]:
        return {key: {s: found[s] for s in Status} for key, found in sorted(counters.items())}

    return Summary(total=len(findings), by_status={s: statuses[s] for s in Status},
                   failing_by_severity={s: failing[s] for s in reversed(Severity)},
                   by_severity={sev: {st: cells[(sev, st)] for st in Status} for sev in reversed(Severity)},
                   by_rule=table(by_rule), by_node=table(by_node),
                   nodes_by_rule={rule: len(nodes) for rule, nodes in sorted(nodes_of.items())},
                   new=new, resolved=resolved)


def node_evidence(facts: NodeFacts, findings: list[Finding]) -> NodeEvidence:
    return NodeEvidence(node=facts.name, role=facts.node.role.value, rpo=facts.rpo, rto=facts.rto,
                        copies=facts.copies, attribution=facts.attribution, impact=facts.impact,
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
        unattributed=ctx.attribution.unattributed if ctx.attribution else [],
        unattributed_total=ctx.attribution.unattributed_total if ctx.attribution else 0,
        witness=ctx.witness,
    )

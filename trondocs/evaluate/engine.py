"""Run the catalogue over a context and assemble the Assessment (findings worst first)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from itertools import product
from operator import attrgetter, itemgetter

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
    return _order(STATUS_ORDER[finding.status], SEVERITY_ORDER[finding.severity], finding.rule,
                  finding.node, finding.subject, finding.message)


def _order(status: int, severity: int, rule: str, node: str | None, subject: str | None,
           message: str) -> tuple:
    """The findings' order (worst first), from a finding's parts: run_rules has them before the finding."""
    return status, severity, rule, node or "", subject or "", message


def run_rules(ctx: EvaluationContext, rules: list[Rule] | None = None) -> list[Finding]:
    waivers = ctx.valid_waivers()
    # Each finding with its sort_key, made from what is at hand here: read back from the
    # finding (a pydantic model's attributes), the key cost more than the sort.
    keyed: list[tuple[tuple, Finding]] = []
    claims = Claims()
    for rule in rules if rules is not None else catalogue():
        covering = [w for w in waivers if w.rule == rule.id]
        severity = SEVERITY_ORDER[rule.severity]
        for result in rule.check(ctx):
            if rule.doubtful and result.status is Status.PASS:
                result = claim_or_unknown(ctx, rule, result, claims)
            status, applied = result.status, None
            if status is Status.FAIL and covering:
                waiver = _covering(covering, rule.id, result.node)
                if waiver is not None:
                    status = Status.WAIVED
                    applied = AppliedWaiver(reason=waiver.reason, expires=waiver.expires,
                                            approved_by=waiver.approved_by)
            location = result.location
            if location is None and result.node is not None:
                location = ctx.locate("nodes", result.node)
            key = _order(STATUS_ORDER[status], severity, rule.id, result.node, result.subject, result.message)
            keyed.append((key, make_finding(rule, result, status, location, applied)))
    keyed.sort(key=itemgetter(0))  # stable, as sorting the findings by sort_key is
    return [finding for _, finding in keyed]


_PLAIN_VALUES = frozenset({str, int, float, bool, type(None)})  # evidence values validation keeps as they are
_TEXT = frozenset({str})
# The types of (message, node, subject, status, location, waiver) validation keeps as they are.
_PLAIN_PARTS = frozenset(product([str], [str, type(None)], [str, type(None)], [Status],
                                 [Location, type(None)], [AppliedWaiver, type(None)]))
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
    _, message, node, subject, evidence, _ = result
    evidence = dict(evidence)  # the finding's own dict, as validation copies it
    # A few set lookups, made in C (map(type, ...)): checked one by one, the types cost more
    # than building the finding.
    if (not rule.plain_metadata
            or (type(message), type(node), type(subject), type(status), type(location), type(waiver))
            not in _PLAIN_PARTS
            or not _PLAIN_VALUES.issuperset(map(type, evidence.values()))
            or not _TEXT.issuperset(map(type, evidence))):
        return validated_finding(rule, result, status, location, waiver)
    finding = _new_object(Finding)
    _set(finding, "__dict__", {
        "rule": rule.id, "title": rule.title, "severity": rule.severity, "status": status,
        "node": node, "subject": subject, "message": message, "evidence": evidence,
        "remediation": rule.remediation, "plan_location": location, "waiver": waiver, "change": None,
    })
    _set(finding, "__pydantic_fields_set__", _GIVEN_FIELDS)
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


def _given_fields() -> set[str]:
    """The one set of given field names (every field but ``change``) that findings share
    (trondocs.sharing), as Finding's validator gives it: taken from a validated finding."""
    probe = Finding(rule="", title="", severity=Severity.LOW, status=Status.PASS, node=None, subject=None,
                    message="", evidence={}, remediation="", plan_location=None, waiver=None)
    return probe.__pydantic_fields_set__


_GIVEN_FIELDS = _given_fields()


@dataclass
class Claims:
    """What claim_or_unknown worked out per subject, for the next result about the same (a node
    has dozens): the source types playing each role for it, and the gaps per doubtful evidence."""

    sources: dict[tuple, tuple[dict[Needs, set[str]], frozenset[str]]] = field(default_factory=dict)
    gaps: dict[tuple, list[str]] = field(default_factory=dict)


def claim_or_unknown(ctx: EvaluationContext, rule: Rule, result: Result,
                     claims: Claims | None = None) -> Result:
    """A PASS is a claim: it stands only when no missing evidence could turn it into a FAIL.

    Evidence the rule is not monotone in, from a source that failed (for this subject) or is
    not configured, makes the PASS UNKNOWN, naming what is missing.
    """
    if result.status is not Status.PASS or not rule.doubtful:
        return result
    claims = claims if claims is not None else Claims()
    # What _sources_of reads: a known node alone, else the subject.
    subject = (result.node, None) if result.node in ctx.by_name else (None, result.subject)
    gaps = claims.gaps.get((subject, rule.doubtful))
    if gaps is None:
        found = claims.sources.get(subject)
        if found is None:
            found = claims.sources[subject] = _sources_of(ctx, result)
        roles, idents = found
        types = set().union(*(roles[need] for need in rule.doubtful))
        gaps = claims.gaps[subject, rule.doubtful] = ctx.coverage.gaps(types, idents)
    if not gaps:
        return result
    return result._replace(status=Status.UNKNOWN,
                           message=missing(gaps) + f" (in what was collected: {result.message})")


def _sources_of(ctx: EvaluationContext, result: Result) -> tuple[dict[Needs, set[str]], frozenset[str]]:
    """The source types playing each role for the result's subject, and the subject's names.

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
    roles = {Needs.JAVA_TRON: {JAVA_TRON}, Needs.PROTECTION: systems,
             Needs.PLATFORM: {platform_evidence(n.platform_source) for n in nodes}}
    return roles, frozenset(i for n in nodes for i in n.idents)


def _covering(waivers: list[Waiver], rule_id: str, node: str | None) -> Waiver | None:
    """A valid waiver of this rule for this node, or for every node (node omitted)."""
    return next((w for w in waivers if w.rule == rule_id and (w.node is None or w.node == node)), None)


def worst(statuses: list[Status]) -> Status:
    return min(statuses, key=STATUS_ORDER.__getitem__, default=Status.PASS)


def verdict(findings: list[Finding]) -> Verdict:
    return judged(summary(findings))


def judged(counts: Summary) -> Verdict:
    """The verdict on the findings these are the counts of."""
    if any(counts.failing(s) for s in Severity if s.rank >= Severity.HIGH.rank):
        return Verdict.NOT_READY
    if counts.count(Status.FAIL) or counts.count(Status.UNKNOWN):
        return Verdict.AT_RISK
    return Verdict.READY


# What summary counts findings by: read once per finding, then counted by C loops (map,
# itemgetter, Counter), as a Python loop over hundreds of thousands of findings cost more than
# the rest of assembling them. The tables come from the few distinct keys.
_COUNTED = attrgetter("rule", "node", "severity", "status", "change")
_RULE_CELL = itemgetter(0, 2, 3, 4)  # rule, severity, status, change
_NODE_STATUS = itemgetter(1, 3)
_RULE_NODE = itemgetter(0, 1)


def summary(findings: list[Finding], resolved: int = 0) -> Summary:
    """Every count the outputs show, once: a finding is new when it fails now and did not before."""
    rows = list(map(_COUNTED, findings))
    cells: Counter = Counter()  # (severity, status)
    by_rule: dict[str, Counter] = {}
    new = 0
    for (rule, severity, status, change), found in Counter(map(_RULE_CELL, rows)).items():
        cells[severity, status] += found
        by_rule.setdefault(rule, Counter())[status] += found
        if status is Status.FAIL and change is Change.NEW:  # Finding.is_new
            new += found
    by_node: dict[str, Counter] = {}
    for (node, status), found in Counter(map(_NODE_STATUS, rows)).items():
        if node is not None:
            by_node.setdefault(node, Counter())[status] += found
    nodes_of = Counter(map(itemgetter(0), set(map(_RULE_NODE, rows)) - {(rule, None) for rule in by_rule}))

    def table(counters: dict[str, Counter]) -> dict[str, dict[Status, int]]:
        return {key: {s: found[s] for s in Status} for key, found in sorted(counters.items())}

    return Summary(total=len(findings),
                   by_status={st: sum(cells[sev, st] for sev in Severity) for st in Status},
                   failing_by_severity={sev: cells[sev, Status.FAIL] for sev in reversed(Severity)},
                   by_severity={sev: {st: cells[sev, st] for st in Status} for sev in reversed(Severity)},
                   by_rule=table(by_rule), by_node=table(by_node),
                   nodes_by_rule={rule: nodes_of[rule] for rule in sorted(nodes_of)},
                   new=new, resolved=resolved)


def node_evidence(facts: NodeFacts, counts: Summary) -> NodeEvidence:
    """The node's evidence, its status the worst of its findings' (from their counts)."""
    found = counts.by_node.get(facts.name, {})
    status = worst([s for s, n in found.items() if n])
    return NodeEvidence(node=facts.name, role=facts.node.role.value, rpo=facts.rpo, rto=facts.rto,
                        copies=facts.copies, attribution=facts.attribution, impact=facts.impact,
                        status=status)


def assemble(ctx: EvaluationContext, findings: list[Finding]) -> Assessment:
    counts = summary(findings)
    state = ctx.state
    return assessment_of(dict(
        as_of=ctx.as_of.astimezone(dt.UTC), organization=ctx.plan.organization.name,
        sr_address=ctx.plan.organization.sr_address, verdict=judged(counts), summary=counts,
        nodes=[node_evidence(f, counts) for f in ctx.nodes],
        rules=[r.info for r in catalogue()],
        sources=[SourceSummary(name=s.name, type=s.type, ok=s.ok, error=s.error, finished=s.finished)
                 for s in state.collection.sources],
        collected_at=state.collection.finished,
        failover_plans=[ctx.failover_evidence[f.name] for f in ctx.plan.failover_plans
                        if f.name in ctx.failover_evidence],
        unattributed=ctx.attribution.unattributed if ctx.attribution else [],
        unattributed_total=ctx.attribution.unattributed_total if ctx.attribution else 0,
        witness=ctx.witness,
    ), findings)


def assessment_of(fields: dict, findings: list[Finding]) -> Assessment:
    """``Assessment(**fields, findings=findings)``, without checking each finding again.

    Validation keeps a Finding as it is (a model instance is not validated again) and gives it
    the shared set of given field names (trondocs.sharing): findings made by make_finding, or
    validated, have that set already, so they go in as they are. Checking them one by one took
    a fifth of assembling 1,000 nodes (tests/evaluate/test_finding_fast_path.py compares).
    """
    if not all(type(f) is Finding and f.__pydantic_fields_set__ is _GIVEN_FIELDS for f in findings):
        return Assessment(**fields, findings=findings)
    assessment = Assessment(**fields, findings=[])
    assessment.__dict__["findings"] = list(findings)  # its own list, as validation makes one
    return assessment

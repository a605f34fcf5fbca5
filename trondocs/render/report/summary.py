"""Page one and the executive summary: plain conclusions for delegators, decided here."""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.models import Assessment, Finding, NodeEvidence, Severity, Status, Verdict
from trondocs.plan.models import Plan
from trondocs.render.report.formatting import count_noun, day, plain_duration
from trondocs.render.report.model import Answer, ExecutiveSummary, Problem
from trondocs.tron import BACKUP_TAKEOVER_SECONDS, SLOT_CYCLE_SECONDS

VERDICT_WORDS = {
    Verdict.READY: (
        "Ready",
        "good",
        "The evidence shows this SR can recover from a disaster within its own targets.",
    ),
    Verdict.AT_RISK: (
        "At risk",
        "warn",
        "This SR can probably recover, but some evidence is missing or some targets are "
        "missed by a small margin.",
    ),
    Verdict.NOT_READY: (
        "Not ready",
        "bad",
        "Serious problems were found: a disaster today could stop this SR producing "
        "blocks for longer than it promises, or lose more data than it allows.",
    ),
}


def failing(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.status is Status.FAIL]


def serious(findings: list[Finding]) -> list[Finding]:
    return [f for f in failing(findings) if f.severity.rank >= Severity.HIGH.rank]


def producing_witness(plan: Plan, assessment: Assessment) -> tuple[NodeEvidence | None, list[str]]:
    """The witness that produces (priority 1) and the names of its standbys."""
    witnesses = plan.witnesses()
    if not witnesses:
        return None, []
    return assessment.node(witnesses[0].name), [w.name for w in witnesses[1:]]


def standby_problems(assessment: Assessment, standbys: list[str]) -> list[Finding]:
    """Failover checks on the standby witnesses that did not pass: the standby may not take over."""
    failover = {r.id for r in assessment.rules if r.family == "failover" or "standby" in r.title.lower()}
    return [
        f
        for f in assessment.findings
        if f.node in standbys and f.rule in failover and f.status in (Status.FAIL, Status.UNKNOWN)
    ]


def answer_production(plan: Plan, assessment: Assessment) -> Answer:
    question = "Can this SR keep producing blocks through a disaster?"
    producer, standbys = producing_witness(plan, assessment)
    if producer is None:
        return Answer(
            question=question,
            headline="Unknown",
            tone="unknown",
            detail="The plan declares no witness node, so there is nothing to judge.",
        )
    if not standbys:
        standby = f"There is no standby witness: block production stops until {producer.node} is restored."
    elif problems := standby_problems(assessment, standbys):
        standby = (
            f"The standby witness ({problems[0].node}) should take over within about "
            f"{BACKUP_TAKEOVER_SECONDS} seconds if {producer.node} fails, but it is not ready: "
            f"{problems[0].message}."
        )
    else:
        standby = (
            f"A standby witness ({', '.join(standbys)}) is ready to take over within about "
            f"{BACKUP_TAKEOVER_SECONDS} seconds if {producer.node} fails."
        )
    witness_names = {producer.node, *standbys}
    unknown = [f for f in assessment.findings if f.node in witness_names and f.status is Status.UNKNOWN]
    grave = serious(assessment.findings)
    if grave:
        worst = grave[0]
        if standbys and worst in standby_problems(assessment, standbys):
            more = f"This is one of {count_noun(len(grave), 'serious problem')} listed in the summary."
        else:
            more = (
                f"{count_noun(len(grave), 'serious problem')} must be fixed first; the most serious, "
                f"on {worst.node or worst.subject or 'the whole plan'}: {worst.title} ({worst.message})."
            )
        return Answer(question=question, headline="Not reliably", tone="bad", detail=f"{standby} {more}")
    if assessment.verdict is Verdict.AT_RISK or unknown:
        why = (
            f"evidence is missing for {count_noun(len(unknown), 'witness check')}"
            if unknown
            else "smaller problems remain"
        )
        return Answer(
            question=question, headline="Probably", tone="warn", detail=f"{standby} However, {why}."
        )
    return Answer(
        question=question,
        headline="Yes",
        tone="good",
        detail=f"{standby} Every check on the witnesses passed.",
    )


def blocks_headline(n: int) -> str:
    return "Less than one block" if n == 0 else f"About {count_noun(n, 'block')}"


def answer_blocks(plan: Plan, assessment: Assessment) -> Answer:
    question = "How many blocks would a failure cost?"
    producer, standbys = producing_witness(plan, assessment)
    if producer is None or producer.impact is None:
        if not plan.organization.elected:
            return Answer(
                question=question,
                headline="None",
                tone="good",
                detail="This SR is not among the 27 elected SRs, so it produces no blocks yet.",
            )
        return Answer(
            question=question,
            headline="Unknown",
            tone="unknown",
            detail="The producing witness has no recovery evidence to estimate from.",
        )
    impact = producer.impact
    without = (
        f"recovering {producer.node} would take {plain_duration(impact.outage)}"
        f"{'' if producer.rto.latest is not None else ' (its target: it was never measured)'} and cost about "
        f"{count_noun(impact.blocks_at_risk, 'block')}"
    )
    cadence = f"This SR produces one block about every {SLOT_CYCLE_SECONDS} seconds."
    n = impact.blocks_at_risk_with_standby
    if n is not None and not standby_problems(assessment, standbys):
        return Answer(
            question=question,
            headline=blocks_headline(n),
            tone="good" if n <= 1 else "warn",
            detail=f"If the producing witness failed now, the standby would take over and "
            f"{blocks_headline(n).lower()} would be missed; without the standby, {without}. " + cadence,
        )
    reason = "The standby witness is not ready, so" if n is not None else "With no standby witness,"
    return Answer(
        question=question,
        headline=blocks_headline(impact.blocks_at_risk),
        tone="bad" if impact.blocks_at_risk > 10 else "warn",
        detail=f"{reason} {without}. " + cadence,
    )


def _last_test(assessment: Assessment) -> NodeEvidence | None:
    tested = [n for n in assessment.nodes if n.rto.last_test is not None]
    return max(tested, key=lambda n: n.rto.last_test) if tested else None


def answer_test(assessment: Assessment) -> Answer:
    question = "When was recovery last tested, and how long did it take?"
    node = _last_test(assessment)
    if node is None:
        return Answer(
            question=question,
            headline="Never tested",
            tone="bad",
            detail="No DR test or recovery run is on record, so the recovery time is only a promise.",
        )
    rto = node.rto
    run = next((r for r in rto.runs if r.started == rto.last_test), None)
    name = (run.name or run.plan or run.kind) if run else "DR test"
    measured = rto.latest
    within = measured is not None and measured <= rto.target
    took = (
        f"took {plain_duration(measured)} against a target of {plain_duration(rto.target)}"
        if measured is not None
        else "has no measured duration"
    )
    detail = f"The last test ({name}, {day(rto.last_test)}) {took}."
    overdue = rto.next_test_due is not None and rto.next_test_due < assessment.as_of
    if overdue:
        late = assessment.as_of - rto.next_test_due
        detail += (
            f" The next test was due {day(rto.next_test_due)}: overdue by {plain_duration(late, parts=1)}."
        )
    elif rto.next_test_due is not None:
        detail += f" The next test is due by {day(rto.next_test_due)}."
    never = [n.node for n in assessment.nodes if n.rto.last_test is None]
    if never:
        detail += f" Never tested: {', '.join(never)}."
    tone = "good" if within and not overdue and not never else ("bad" if not within else "warn")
    headline = f"{day(rto.last_test)} · {plain_duration(measured)}" if measured else day(rto.last_test)
    return Answer(question=question, headline=headline, tone=tone, detail=detail)


def _rpo_ratio(node: NodeEvidence) -> float:
    age = node.rpo.newest_age
    return age / node.rpo.target if age is not None and node.rpo.target else float("inf")


def answer_rpo(assessment: Assessment) -> Answer:
    question = "How much recent data could be lost?"
    known = [n for n in assessment.nodes if n.rpo.known and n.rpo.newest_age is not None]
    missing = [n.node for n in assessment.nodes if n not in known]
    if not known:
        return Answer(
            question=question,
            headline="Unknown",
            tone="unknown",
            detail="No restore points could be read, so the data loss cannot be estimated.",
        )
    within = [n for n in known if n.rpo.newest_age <= n.rpo.target]
    worst = max(known, key=_rpo_ratio)
    headline = f"{len(within)} of {count_noun(len(assessment.nodes), 'node')} within target"
    worst_text = (
        f"The newest restore point of {worst.node} is {plain_duration(worst.rpo.newest_age)} old "
        f"against a target of {plain_duration(worst.rpo.target)}."
    )
    if len(within) == len(known):
        detail = (
            "Every node's newest restore point is younger than its target. Closest to its limit: "
            + worst_text[0].lower() + worst_text[1:]
        )
    else:
        detail = (
            f"{count_noun(len(known) - len(within), 'node')} would lose more than allowed. Worst: "
            + worst_text[0].lower() + worst_text[1:]
        )
    if missing:
        detail += f" No evidence for: {', '.join(missing)}."
    tone = (
        "good" if len(within) == len(assessment.nodes) else ("warn" if len(within) == len(known) else "bad")
    )
    return Answer(question=question, headline=headline, tone=tone, detail=detail)


def answers(plan: Plan, assessment: Assessment) -> list[Answer]:
    return [
        answer_production(plan, assessment),
        answer_blocks(plan, assessment),
        answer_test(assessment),
        answer_rpo(assessment),
    ]


def period(assessment: Assessment) -> str:
    window = max((n.rpo.window for n in assessment.nodes), default=dt.timedelta(days=7))
    return f"{day(assessment.as_of - window)} – {day(assessment.as_of)}"


def executive_summary(plan: Plan, assessment: Assessment) -> ExecutiveSummary:
    label, _, sentence = VERDICT_WORDS[assessment.verdict]
    fails = failing(assessment.findings)
    waived = [f for f in assessment.findings if f.status is Status.WAIVED]
    unknown = [f for f in assessment.findings if f.status is Status.UNKNOWN]
    paragraphs = [
        f"Overall verdict: {label}. {sentence}",
        f"{plan.organization.name} runs {count_noun(len(assessment.nodes), 'node')} "
        f"({', '.join(sorted({n.role for n in assessment.nodes}))}). trondocs read "
        f"{count_noun(len(assessment.sources), 'source')} and checked "
        f"{count_noun(len(assessment.findings), 'rule result')} against the declared plan.",
    ]
    if fails:
        paragraphs.append(
            f"{count_noun(len(fails), 'check')} failed, "
            f"{len(serious(assessment.findings))} of them serious (high or critical)."
        )
    if unknown:
        paragraphs.append(
            f"{count_noun(len(unknown), 'check')} could not be decided because evidence "
            "was missing; they are counted as not passed."
        )
    if waived:
        paragraphs.append(
            f"{count_noun(len(waived), 'failing check')} {'is' if len(waived) == 1 else 'are'} "
            "accepted for now by a waiver with a reason and an end date (listed under Findings)."
        )
    counts = [
        (status.value.capitalize(), assessment.summary.by_status.get(status.value, 0))
        for status in (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)
    ]
    top = [
        Problem(title=f.title, where=f.node or "whole plan", message=f.message, severity=f.severity.value)
        for f in (fails + unknown)[:5]
    ]
    changes = None
    if assessment.baseline_at is not None:
        changes = (
            f"Since the previous assessment ({day(assessment.baseline_at)}): "
            f"{count_noun(assessment.summary.new, 'new finding')}, "
            f"{count_noun(assessment.summary.resolved, 'resolved finding')}."
        )
    return ExecutiveSummary(paragraphs=paragraphs, counts=counts, top_problems=top, changes=changes)

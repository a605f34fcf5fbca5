"""Page one and the executive summary: plain conclusions for delegators, decided here."""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.models import (
    Assessment,
    ElectedBasis,
    Finding,
    NodeEvidence,
    Severity,
    Status,
    Verdict,
)
from trondocs.plan.models import Plan
from trondocs.render.report.formatting import day, plain_duration
from trondocs.render.report.model import Answer, AnswerTone, ExecutiveSummary, Problem
from trondocs.render.witness import seconds, standby_sentence
from trondocs.tron import SLOT_CYCLE_SECONDS
from trondocs.wording import count_noun

VERDICT_WORDS = {
    Verdict.READY: (
        "Ready",
        AnswerTone.GOOD,
        "The evidence shows this SR can recover from a disaster within its own targets.",
    ),
    Verdict.AT_RISK: (
        "At risk",
        AnswerTone.WARN,
        "No serious problem was found, but at least one check of medium or low severity "
        "fails, or some evidence is missing so a check could not be decided.",
    ),
    Verdict.NOT_READY: (
        "Not ready",
        AnswerTone.BAD,
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


def standby_ready(assessment: Assessment) -> bool:
    """The evaluation's standby verdict (backup mode, sync, replica): ready only on a PASS."""
    standby = assessment.witness.standby if assessment.witness else None
    return standby is not None and standby.status is Status.PASS


def answer_production(plan: Plan, assessment: Assessment) -> Answer:
    question = "Can this SR keep producing blocks through a disaster?"
    producer, standbys = producing_witness(plan, assessment)
    if producer is None:
        return Answer(
            question=question,
            headline="Unknown",
            tone=AnswerTone.UNKNOWN,
            detail="The plan declares no witness node, so there is nothing to judge.",
        )
    standby = standby_sentence(assessment, producer.node)
    witness_names = {producer.node, *standbys}
    unknown = [f for f in assessment.findings if f.node in witness_names and f.status is Status.UNKNOWN]
    grave = serious(assessment.findings)
    verdict = assessment.witness.standby if assessment.witness else None
    if verdict is not None and verdict.status is Status.FAIL:
        more = (f"This is one of {count_noun(len(grave), 'serious problem')} listed in the summary."
                if grave else "")
        return Answer(question=question, headline="No", tone=AnswerTone.BAD,
                      detail=f"{standby} {more}".strip())
    if grave:
        worst = grave[0]
        more = (
            f"{count_noun(len(grave), 'serious problem')} must be fixed first; the most serious, "
            f"on {worst.node or worst.subject or 'the whole plan'}: {worst.title} ({worst.message})."
        )
        return Answer(question=question, headline="Not reliably", tone=AnswerTone.BAD,
                      detail=f"{standby} {more}")
    undecided = verdict is not None and verdict.status is Status.UNKNOWN
    if assessment.verdict is Verdict.AT_RISK or unknown or undecided:
        why = (
            f"evidence is missing for {count_noun(len(unknown), 'witness check')}"
            if unknown
            else "smaller problems remain"
        )
        return Answer(
            question=question, headline="Probably", tone=AnswerTone.WARN, detail=f"{standby} However, {why}."
        )
    return Answer(
        question=question,
        headline="Yes",
        tone=AnswerTone.GOOD,
        detail=f"{standby} Every check on the witnesses passed.",
    )


def blocks_headline(n: int) -> str:
    """Worst-case blocks: an outage that can span the SR's slot is a block at risk (never "less than one")."""
    return "No block" if n == 0 else f"Up to {count_noun(n, 'block')}"


def _chance(value: float | None) -> str:
    return "" if value is None or value >= 1 else f" (a {value:.0%} chance of missing even one)"


def answer_blocks(plan: Plan, assessment: Assessment) -> Answer:
    question = "How many blocks would a failure cost?"
    producer, _ = producing_witness(plan, assessment)
    record = assessment.witness.record if assessment.witness else None
    elected = record.elected if record is not None else plan.organization.elected
    if producer is None or producer.impact is None or not elected:
        if not elected:
            chain = record is not None and record.elected_basis is ElectedBasis.CHAIN
            said = "the chain lists it" if chain else "the plan says"
            return Answer(
                question=question,
                headline="None",
                tone=AnswerTone.GOOD,
                detail=f"This SR is not among the 27 elected SRs ({said}), so it produces no blocks yet.",
            )
        return Answer(
            question=question,
            headline="Unknown",
            tone=AnswerTone.UNKNOWN,
            detail="The producing witness has no recovery evidence to estimate from.",
        )
    impact = producer.impact
    without = (
        f"recovering {producer.node} would keep it off the network for {plain_duration(impact.outage)}"
        f"{'' if producer.rto.latest is not None else ' (its RTO target: never measured)'}, catch-up "
        f"included, and cost up to {count_noun(impact.blocks_at_risk, 'block')}"
    )
    cadence = (f"This SR has one slot every {SLOT_CYCLE_SECONDS} seconds (27 SRs × 3 s); an outage that "
               "can span a slot counts it.")
    n = impact.blocks_at_risk_with_standby
    if n is not None and standby_ready(assessment):
        return Answer(
            question=question,
            headline=blocks_headline(n),
            tone=AnswerTone.GOOD if n <= 1 else AnswerTone.WARN,
            detail=f"If the producing witness failed now, the standby would take over within "
            f"{seconds(impact.takeover)} and {blocks_headline(n).lower()} would be missed"
            f"{_chance(impact.miss_chance_with_standby)}; without the standby, {without}. " + cadence,
        )
    reason = "The standby witness is not ready, so" if n is not None else "With no standby witness,"
    return Answer(
        question=question,
        headline=blocks_headline(impact.blocks_at_risk),
        tone=AnswerTone.BAD if impact.blocks_at_risk > 10 else AnswerTone.WARN,
        detail=f"{reason} {without}. " + cadence,
    )


def answer_record(assessment: Assessment) -> Answer:
    question = "Is the SR producing its blocks now?"
    record = assessment.witness.record if assessment.witness else None
    if record is None or record.elected_basis is not ElectedBasis.CHAIN:
        return Answer(question=question, headline="Unknown", tone=AnswerTone.UNKNOWN,
                      detail="No node listed the witnesses, so the SR's record on the chain was not read.")
    missed = (f"{count_noun(record.missed_in_period or 0, 'block')} missed, {record.missed_basis}"
              if record.missed_in_period is not None else "missed blocks unknown")
    produced = f"{record.produced:,} blocks produced in its lifetime" if record.produced is not None else ""
    rank = f" (rank {record.rank} by votes)" if record.rank else ""
    if not record.elected:
        return Answer(question=question, headline="Not elected", tone=AnswerTone.WARN,
                      detail=f"The chain does not list this SR among the 27 producing SRs{rank}. "
                             f"{produced}.")
    if record.producing is False:
        return Answer(question=question, headline="No: production stopped", tone=AnswerTone.BAD,
                      detail=f"Its last block (#{record.latest_block:,}) is {record.slots_behind} slots "
                             "behind the head, more than a round of 27: its witness is not producing. "
                             f"{produced}; {missed}.")
    if record.producing is None:
        return Answer(question=question, headline="Elected; production unknown", tone=AnswerTone.UNKNOWN,
                      detail=f"Elected{rank}; the witness list gave no slot to compare. "
                             f"{produced}; {missed}.")
    missing_blocks = any(f.rule == "TRD703" and f.status is Status.FAIL for f in assessment.findings)
    tone = AnswerTone.WARN if missing_blocks else AnswerTone.GOOD
    return Answer(question=question, headline=f"Yes{rank}", tone=tone,
                  detail=f"Elected and producing: its last block is {record.slots_behind} slots before the "
                         f"head. {produced}; {missed}.")


def _last_test(assessment: Assessment):
    """The headline test: the last test of a whole failover plan, else of any node."""
    plans = [p for p in assessment.failover_plans if p.last_test is not None]
    if plans:
        return max(plans, key=lambda p: p.last_test)
    tested = [n for n in assessment.nodes if n.rto.last_test is not None]
    return max(tested, key=lambda n: n.rto.last_test).rto if tested else None


def _takeover_test(assessment: Assessment) -> str:
    """The standby's own takeover test, shown beside the plan's test (never instead of it)."""
    standby = assessment.witness.standby if assessment.witness else None
    node = assessment.node(standby.node) if standby else None
    if node is None:
        return ""
    if node.rto.last_test is None:
        return f" The standby witness takeover ({node.node}) was never tested."
    run = next((r for r in node.rto.runs if r.started == node.rto.last_test), None)
    took = f", {plain_duration(run.outage or run.duration)}" if run and (run.outage or run.duration) else ""
    return (f" Beside it, the standby witness takeover ({node.node}) was last tested "
            f"{day(node.rto.last_test)}{took}.")


def answer_test(assessment: Assessment) -> Answer:
    question = "When was recovery last tested, and how long did it take?"
    rto = _last_test(assessment)
    if rto is None:
        return Answer(
            question=question,
            headline="Never tested",
            tone=AnswerTone.BAD,
            detail="No DR test or recovery run is on record, so the recovery time is only a promise.",
        )
    run = next((r for r in rto.runs if r.started == rto.last_test), None)
    name = (run.name or run.plan or run.kind) if run else "DR test"
    if getattr(rto, "name", None):
        name = f"failover plan '{rto.name}': {name}"
    measured = rto.latest
    within = measured is not None and measured <= rto.target
    took = (
        f"kept the nodes off the network for {plain_duration(measured)} (catch-up included) against a "
        f"target of {plain_duration(rto.target)}"
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
    detail += _takeover_test(assessment)
    never = [n.node for n in assessment.nodes if n.rto.last_test is None]
    if never:
        detail += f" Never tested: {', '.join(never)}."
    if within and not overdue and not never:
        tone = AnswerTone.GOOD
    else:
        tone = AnswerTone.BAD if not within else AnswerTone.WARN
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
            tone=AnswerTone.UNKNOWN,
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
    if len(within) == len(assessment.nodes):
        tone = AnswerTone.GOOD
    else:
        tone = AnswerTone.WARN if len(within) == len(known) else AnswerTone.BAD
    return Answer(question=question, headline=headline, tone=tone, detail=detail)


def answers(plan: Plan, assessment: Assessment) -> list[Answer]:
    return [
        answer_production(plan, assessment),
        answer_record(assessment),
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
        (status.value.capitalize(), assessment.summary.count(status))
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

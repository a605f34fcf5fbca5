"""The report's context as data: page one's answers, the scorecard and the tables, without Jinja or PDF."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from tests.report.builders import default_findings, example_assessment, finding, witness_evidence
from trondocs.evaluate.models import Status, Verdict
from trondocs.render.report import report_html
from trondocs.render.report.attestation import make_manifest
from trondocs.render.report.context import build_context
from trondocs.render.report.formatting import grouped_hex, plain_duration, short_duration
from trondocs.render.report.html import css_string
from trondocs.render.report.model import AnswerTone


def context(loaded, state, assessment, **kw):
    manifest = make_manifest({"state.json": b"s", "assessment.json": b"a"})
    return build_context(loaded.plan, state, assessment, manifest, chart=lambda n, t: "<svg/>", **kw)


def test_page_one_answers_the_delegators_questions_from_the_figures(loaded, state, assessment):
    cover = context(loaded, state, assessment).cover
    assert cover.organization == "Carpathian Nodes"
    assert cover.sr_address == "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
    assert cover.verdict == "Not ready" and cover.verdict_tone is AnswerTone.BAD
    assert cover.period == "13 Nov 2026 – 20 Nov 2026"
    production, record, blocks, test, rpo = cover.answers
    assert production.headline == "Not reliably"
    assert "witness-b" in production.detail and "2 serious problems" in production.detail
    assert "2d 3h old" in production.detail  # the worst finding's own message, not the rule title
    assert "33 seconds to 42 seconds" in production.detail  # java-tron's takeover, not a constant
    # The SR's own record, from the chain: produced, missed (saying from what), producing now.
    assert record.headline == "Yes (rank 14 by votes)"
    assert "412,332 blocks produced" in record.detail and "17 blocks missed, lifetime total" in record.detail
    assert "8 slots before the head" in record.detail
    # witness-a: measured 24m10s → ceil(1450 s / 81 s) = 18 blocks without the standby; with it the
    # 42 s takeover can span one slot: up to one block, never "less than one".
    assert blocks.headline == "Up to 1 block"
    assert "cost up to 18 blocks" in blocks.detail and "81 seconds" in blocks.detail
    assert "52% chance" in blocks.detail
    assert test.headline == "14 Jul 2026 · 24 minutes 10 seconds"
    assert "against a target of 30 minutes" in test.detail
    assert "standby witness takeover (witness-b) was last tested 14 Jul 2026, 21 seconds" in test.detail
    assert "overdue by 68 days" in test.detail  # due 12 Sep 07:00, report 20 Nov 06:00: 68 d 23 h
    assert test.tone is AnswerTone.WARN
    assert rpo.headline == "3 of 5 nodes within target"
    assert "witness-b is 2 days 3 hours old against a target of 15 minutes" in rpo.detail
    assert rpo.tone is AnswerTone.BAD


def test_answers_turn_to_yes_when_everything_passes(loaded, state):
    passing = [f.model_copy(update={"status": Status.PASS, "waiver": None}) for f in default_findings()]
    cover = context(loaded, state, example_assessment(findings=passing, verdict=Verdict.READY)).cover
    assert cover.verdict == "Ready"
    assert cover.answers[0].headline == "Yes"
    assert "Every check on the witnesses passed" in cover.answers[0].detail


def test_at_risk_is_explained_as_the_verdict_decides_it(loaded, state):
    """Any failing check below high makes the SR at risk, however far it misses: the cover says so,
    not that targets are missed by a small margin."""
    from trondocs.evaluate.engine import verdict

    far_off = finding("TRD302", "witness-a", Status.FAIL, "last DR test 3 years ago; due every 60 days")
    undecided = finding("TRD201", "witness-a", Status.UNKNOWN, "veeam failed")
    cases = (([far_off], "medium or low severity fails"), ([undecided], "evidence is missing"))
    for findings, words in cases:
        assert verdict(findings) is Verdict.AT_RISK
        cover = context(loaded, state, example_assessment(findings=findings, verdict=verdict(findings))).cover
        assert words in cover.verdict_sentence and "margin" not in cover.verdict_sentence


def test_missing_evidence_is_unknown_never_a_pass(loaded, state):
    findings = [*default_findings()[2:], finding("TRD201", "witness-a", Status.UNKNOWN, "veeam failed")]
    assessment = example_assessment(findings=findings, verdict=Verdict.AT_RISK, unknown_nodes=("witness-a",))
    ctx = context(loaded, state, assessment)
    production, _, _, _, rpo = ctx.cover.answers
    assert production.headline == "Probably" and "evidence is missing" in production.detail
    assert "No evidence for: witness-a" in rpo.detail
    assert rpo.headline == "3 of 5 nodes within target"
    row = next(r for r in ctx.scorecard.rows if r.node == "witness-a")
    assert row.cells[ctx.scorecard.areas.index("RPO")].label == "Unknown"
    assert [r.cells for r in ctx.methodology.unknown.rows] == [["TRD201", "witness-a", "veeam failed"]]


def test_scorecard_has_one_row_per_node_with_the_worst_status_per_area(loaded, state, assessment):
    card = context(loaded, state, assessment).scorecard
    assert card.areas == ["RPO", "RTO", "3-2-1", "Failover", "DR tests", "Node health"]
    assert [r.node for r in card.rows] == ["witness-a", "witness-b", "full-01", "solidity-01", "full-aws-01"]
    cells = {r.node: {a: c.label for a, c in zip(card.areas, r.cells, strict=True)} for r in card.rows}
    assert cells["witness-a"] == {
        "RPO": "Fail",
        "RTO": "Pass",
        "3-2-1": "Pass",
        "Failover": "Pass",
        "DR tests": "Fail",
        "Node health": "Pass",
    }
    assert cells["full-aws-01"]["3-2-1"] == "Waived"  # waived (fail + waiver) outranks pass
    assert cells["full-01"]["Failover"] == "—"  # no check applies
    assert {r.node: r.overall.label for r in card.rows}["witness-b"] == "Fail"


def test_the_scorecard_holds_every_finding_page_one_counts(loaded, state, assessment):
    """A failing check about no one node (a failover plan, a site's claim) shows on the scorecard
    as it does on page one: a row of its own, never silently dropped."""
    from trondocs.evaluate.engine import summary
    from trondocs.evaluate.models import Finding, Severity, Status

    plan_wide = Finding(rule="TRD501", title="Failover plan missing or different from the plan",
                        severity=Severity.HIGH, status=Status.FAIL, subject="TRON site failover",
                        message="failover plan 'TRON site failover' differs: missing solidity-01")
    findings = [*assessment.findings, plan_wide]
    with_plan = assessment.model_copy(update={"findings": findings, "summary": summary(findings)})
    card = context(loaded, state, with_plan).scorecard
    whole = next(r for r in card.rows if r.node == "whole plan")
    assert whole.overall.label == "Fail" and whole.cells[card.areas.index("Failover")].label == "Fail"
    shown = sum(1 for r in card.rows for c in r.cells if c.label == "Fail")
    assert shown >= 1 and with_plan.summary.count(Status.FAIL) >= shown


def test_findings_waivers_and_tests_tables(loaded, state, assessment):
    ctx = context(loaded, state, assessment)
    assert [r.cells[:4] for r in ctx.findings.rows] == [
        ["TRD201", "high", "fail", "witness-b"],
        ["TRD201", "high", "fail", "witness-a"],
        ["TRD302", "medium", "fail", "witness-a"],
        ["TRD403", "medium", "waived", "full-aws-01"],
    ]
    assert "until 31 Mar 2027" in ctx.findings.rows[3].cells[6]
    (waiver,) = ctx.waivers.rows
    assert waiver.cells == [
        "TRD403",
        "full-aws-01",
        "chain data is public; re-syncing from peers is the recovery path for this node",
        "31 Mar 2027",
        "Ioana Marin (CTO)",
        "covers a failing check",
    ]
    tests = ctx.tests.rows
    assert [r.cells[1] for r in tests] == ["standby witness takeover", "failover to replica"]  # newest first
    assert tests[0].cells[4] == "21 seconds" and "by Andrei Popescu" in tests[0].cells[6]
    assert ctx.resolved.rows == [] and ctx.resolved.empty == "No baseline to compare with."


def test_node_sections_carry_rpo_copies_and_rto_evidence(loaded, state, assessment):
    sections = {n.name: n for n in context(loaded, state, assessment).nodes}
    b = sections["witness-b"]
    assert b.runs_on == "vSphere VM tron-witness-02 at buc-dc1 (Bucharest, Romania (colocation, rack B14))"
    facts = {f.label: (f.value, f.status) for f in b.rpo_facts}
    # The fact carries TRD301's verdict for the node, never one the report works out itself.
    verdict = next((f.status.value for f in assessment.findings_for("witness-b") if f.rule == "TRD301"), None)
    assert facts["Newest restore point"] == ("18 Nov 2026 03:00 UTC (2 days 3 hours old)", verdict)
    assert b.rpo_table.rows[0].cells[:4] == ["TRON replication", "replica", "cluj-dr", "7"]
    assert {f.label: f.value for f in b.copies_facts}[
        "Chance of losing every copy"
    ] == "less than 1 in a million a year, assuming the copies fail independently"
    assert [f.rule for f in b.findings] == ["TRD201"] and b.passed == 3
    assert b.rpo_chart.startswith("data:image/svg+xml;base64,")
    a = sections["witness-a"]
    assert a.impact == (
        "An outage of 24 minutes 10 seconds (catch-up with the network included) would cost up to 18 blocks "
        "without a standby (one slot per 81 s round it can span), up to 1 block with the standby taking over "
        "within 42 s."
    )


def test_document_metadata_and_digests_in_the_context(loaded, state, assessment):
    ctx = context(loaded, state, assessment, paper="letter")
    assert ctx.meta.paper == "letter" and ctx.meta.created == "2026-11-20T06:00:00Z"
    assert ctx.meta.header == "Carpathian Nodes · DR audit report · 20 Nov 2026"
    digests = {d.name: d for d in ctx.appendix.evidence.digests}
    assert digests["state.json"].sha256 == hashlib.sha256(b"s").hexdigest()
    assert digests["state.json"].sha256_grouped.split() == [
        digests["state.json"].sha256[i : i + 8] for i in range(0, 64, 8)
    ]
    assert digests["state.json"].size == "1 byte"
    assert not ctx.appendix.evidence.signed


def test_html_escapes_what_sources_say(loaded, state):
    evil = finding("TRD201", "witness-a", Status.FAIL, "<script>alert(1)</script> & more")
    html, _, _ = report_html(loaded.plan, state, example_assessment(findings=[evil]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_formatting_reads_like_words():
    assert plain_duration(dt.timedelta(days=2, hours=3, minutes=5)) == "2 days 3 hours"
    assert plain_duration(dt.timedelta(seconds=21)) == "21 seconds"
    assert plain_duration(None) == "—"
    assert short_duration(dt.timedelta(minutes=61)) == "1h 1m"
    assert grouped_hex("a" * 16) == "aaaaaaaa aaaaaaaa"
    assert str(css_string('Nodes "A" </style>')) == "Nodes \\22 A\\22  \\3c /style\\3e "


def test_the_html_fetches_nothing(loaded, state, assessment):
    html, _, _ = report_html(loaded.plan, state, assessment)
    sources = re.findall(r'\b(?:src|href)="([^"]*)"', html)
    assert sources and all(s.startswith(("data:image/svg+xml;base64,", "#")) for s in sources)
    assert "@import" not in html and "url(" not in html


@pytest.mark.parametrize("standby, headline, words", [
    (Status.PASS, "Yes", "A standby witness (witness-b) is ready: java-tron's backup mode hands production"),
    (Status.FAIL, "No", "The standby witness (witness-b) would not take over as planned: backup mode is off"),
    (Status.UNKNOWN, "Probably", "Whether the standby witness (witness-b) would take over is not known"),
])
def test_page_one_answers_from_the_standby_verdict(loaded, state, standby, headline, words):
    passing = [f.model_copy(update={"status": Status.PASS, "waiver": None}) for f in default_findings()]
    assessment = example_assessment(findings=passing, verdict=Verdict.READY).model_copy(
        update={"witness": witness_evidence(standby=standby)})
    production, _, blocks, _, _ = context(loaded, state, assessment).cover.answers
    assert production.headline == headline and words in production.detail
    # Blocks at risk: the takeover only when the standby is ready; the whole recovery otherwise.
    assert blocks.headline == ("Up to 1 block" if standby is Status.PASS else "Up to 18 blocks")


def test_page_one_says_when_the_sr_stopped_producing(loaded, state, assessment):
    stopped = assessment.model_copy(update={"witness": witness_evidence(producing=False)})
    record = context(loaded, state, stopped).cover.answers[1]
    assert record.headline == "No: production stopped" and record.tone is AnswerTone.BAD
    assert "400 slots behind the head" in record.detail

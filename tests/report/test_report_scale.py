"""A report a delegator can finish: beyond an SR-sized estate the PDF gives each node in trouble a
compact section and lists the others by name, so its length follows the failing nodes, not the estate."""

from __future__ import annotations

import functools
import json

import pytest
from pypdf import PdfReader

from bench.estate import AS_OF, synthetic_estate
from tests.report.pdftools import outline, page_texts
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.render.report import detail as detail_module
from trondocs.render.report import evidence_files
from trondocs.render.report.attestation import ASSESSMENT_NAME, make_manifest
from trondocs.render.report.context import build_context
from trondocs.render.report.detail import AUTO_ALL, DetailLevel, select
from trondocs.render.report.readback import attachments
from trondocs.workflow.report import verify_report, write_report

POINTS = 8  # enough for every chain; the page count does not depend on it
GROUP = 16  # nodes per job: the DR test history has a row per job's test, whatever the estate


@functools.cache
def estate(nodes: int, troubled: int):
    loaded, state = synthetic_estate(nodes, points_per_node=POINTS, group=GROUP, aws_share=0.2,
                                     troubled=troubled)
    return loaded, state, evaluate(loaded, state, as_of=AS_OF)


def in_trouble(assessment) -> set[str]:
    return {n.node for n in assessment.nodes if n.status in (Status.FAIL, Status.UNKNOWN)}


def context(nodes: int, troubled: int, detail: str):
    loaded, state, assessment = estate(nodes, troubled)
    manifest = make_manifest(evidence_files(state, assessment), None)
    return build_context(loaded.plan, state, assessment, manifest, detail=detail, chart=lambda *_: "<svg/>")


def test_a_large_estate_gives_every_node_in_trouble_a_compact_section_and_lists_the_rest():
    _, _, assessment = estate(60, 10)
    trouble = in_trouble(assessment)
    assert 0 < len(trouble) < len(assessment.nodes)
    ctx = context(60, 10, "auto")
    assert not ctx.nodes  # no full section (chart and tables) beyond an SR-sized estate
    assert {n.name for n in ctx.compact_nodes} == trouble
    assert ctx.node_detail.compact and ctx.node_detail.in_trouble == len(trouble)
    assert ctx.node_detail.left_out == 0
    assert {r.node for r in ctx.scorecard.rows} - {"whole plan"} == trouble
    assert set(ctx.scorecard.others) == {n.node for n in assessment.nodes} - trouble
    assert ctx.scorecard.total == 60 and not ctx.everything
    assert ctx.appendix.evidence_tables is None
    # the targets: one row per role and set of objectives, counting every node
    rows = ctx.methodology.objectives.rows
    assert not {r.cells[0] for r in rows} & {n.node for n in assessment.nodes}
    assert sum(int(r.cells[0].split()[0]) for r in rows) == 60
    # the findings are whole: every result that did not pass, of every node
    assert len(ctx.findings.rows) == sum(1 for f in assessment.findings if f.status is not Status.PASS)


def test_a_large_estates_findings_are_grouped_by_rule_and_every_one_stays():
    _, _, assessment = estate(60, 10)
    ctx = context(60, 10, "auto")
    printed = [(g.rule, g.status, row.cells[0], row.cells[1])
               for g in ctx.finding_groups for row in g.table.rows]
    expected = [(f.rule, f.status, f.node or "whole plan", f.message)
                for f in assessment.findings if f.status is not Status.PASS]
    assert sorted(printed) == sorted(expected) and len(printed) == len(expected)
    # one group per rule and status, worst first as the assessment orders them
    keys = [(g.rule, g.status) for g in ctx.finding_groups]
    assert len(keys) == len(set(keys))
    firsts = list(dict.fromkeys((f.rule, f.status) for f in assessment.findings
                                if f.status is not Status.PASS))
    assert keys == firsts
    first = {}
    for f in assessment.findings:
        first.setdefault((f.rule, f.status), f)
    for g in ctx.finding_groups:
        found = first[(g.rule, g.status)]
        assert (g.title, g.severity) == (found.title, found.severity.value)
        assert g.remediation == ("" if g.status is Status.WAIVED else found.remediation)
    assert not context(AUTO_ALL, 10, "auto").finding_groups  # an SR-sized report keeps the full table


def test_a_compact_section_keeps_the_findings_and_the_facts_that_decided_them():
    _, _, assessment = estate(60, 10)
    ctx = context(60, 10, "problems")
    for section in ctx.compact_nodes:
        findings = assessment.findings_for(section.name)
        expected = [(f.rule, f.status) for f in findings if f.status is not Status.PASS]
        assert [(f.rule, f.status) for f in section.findings] == expected
        assert any(f.status in (Status.FAIL, Status.UNKNOWN) for f in section.findings)
        decided = [f for f in section.decisive_facts if f.status is not None]
        assert all(f.status in (Status.FAIL, Status.UNKNOWN) for f in decided)
    # a node whose replicas run late shows its largest gap, failing, beside the RPO target, and
    # none of the facts that passed
    late = next(s for s in ctx.compact_nodes if s.name == "node-00000")
    assert [(f.label, f.value, f.status) for f in late.decisive_facts] == [
        ("Target (most data that may be lost)", "12 hours", None),
        ("Largest gap over the last 7 days", "18 hours", Status.FAIL),
    ]


def test_compact_sections_are_printed_worst_first_and_fail_before_unknown():
    _, _, assessment = estate(60, 10)
    chosen = select(assessment, DetailLevel.PROBLEMS)
    statuses = [next(n.status for n in assessment.nodes if n.node == name) for name in chosen.detailed]
    assert statuses == sorted(statuses, key=[Status.FAIL, Status.UNKNOWN].index)
    assert chosen.detailed == select(assessment, "problems").detailed  # deterministic


def test_detail_all_keeps_every_node_and_small_estates_keep_them_by_default():
    ctx = context(60, 10, "all")
    assert len(ctx.nodes) == 60 and ctx.everything and not ctx.scorecard.others and not ctx.compact_nodes
    assert ctx.appendix.evidence_tables is not None  # the full per-node appendix
    assert {r.cells[0] for r in ctx.appendix.evidence_tables.rpo.rows} == {n.name for n in ctx.nodes}
    small = context(AUTO_ALL, 10, "auto")
    assert len(small.nodes) == AUTO_ALL and small.everything and not small.node_detail.compact
    problems = context(AUTO_ALL, 10, "problems")  # SR-sized: the nodes in trouble keep the full section
    assert {n.name for n in problems.nodes} == in_trouble(estate(AUTO_ALL, 10)[2])
    assert not problems.compact_nodes


def test_unknown_detail_is_refused():
    with pytest.raises(ValueError):
        select(estate(AUTO_ALL, 10)[2], "some")


def _pdf(tmp_path, nodes: int, troubled: int, detail: str = "auto"):
    loaded, state, assessment = estate(nodes, troubled)
    path = tmp_path / f"report-{nodes}-{troubled}-{detail}.pdf"
    write_report(loaded, state, assessment, path, detail=detail)
    return path


def test_the_page_count_grows_with_the_failing_nodes_not_with_all_nodes(tmp_path):
    few_of_some = _pdf(tmp_path, 40, 20)  # 40 nodes, 4 in trouble (and the witnesses)
    few_of_many = _pdf(tmp_path, 200, 100)  # 5× the nodes, the same nodes in trouble
    many_of_many = _pdf(tmp_path, 200, 20)  # 200 nodes, 20 in trouble
    assert len(in_trouble(estate(40, 20)[2])) == len(in_trouble(estate(200, 100)[2]))
    assert len(in_trouble(estate(200, 20)[2])) >= len(in_trouble(estate(200, 100)[2])) + 16
    pages = {p: len(PdfReader(p).pages) for p in (few_of_some, few_of_many, many_of_many)}
    # five times the nodes, the same trouble: at most the scorecard's names and the tests' rows
    assert pages[few_of_many] <= pages[few_of_some] + 2
    # more trouble: more pages (a compact section and the findings of each node in trouble)
    assert pages[many_of_many] >= pages[few_of_many] + 3
    # page one and the summary stay, every node in trouble has its bookmark (its section), the
    # evidence still verifies and the embedded assessment is whole: every node, not the detailed
    first = " ".join(page_texts(many_of_many)[0].split())
    assert "Bench SR" in first and "Overall verdict" in first
    marks = {title for _, title, _ in outline(many_of_many)}
    assert {"Executive summary", "Scorecard", "Evidence per node", "Findings and waivers"} <= marks
    trouble = in_trouble(estate(200, 20)[2])
    assert trouble <= marks
    assert not marks & ({n.node for n in estate(200, 20)[2].nodes} - trouble)
    assert verify_report(many_of_many).ok
    embedded = json.loads(attachments(many_of_many)[ASSESSMENT_NAME][-1])
    assert len(embedded["nodes"]) == 200


def test_the_full_sections_cost_pages_the_compact_ones_do_not(tmp_path):
    compact = len(PdfReader(_pdf(tmp_path, 60, 10, "problems")).pages)
    full = len(PdfReader(_pdf(tmp_path, 60, 10, "all")).pages)
    assert full > 2 * compact


def test_beyond_the_cap_the_worst_are_printed_and_the_report_says_how_many_more(tmp_path, monkeypatch):
    monkeypatch.setattr(detail_module, "COMPACT_CAP", 3)
    _, _, assessment = estate(60, 10)
    trouble = in_trouble(assessment)
    chosen = select(assessment, "auto")
    assert len(chosen.detailed) == 3 and chosen.left_out == len(trouble) - 3
    failing = [n.node for n in assessment.nodes if n.status is Status.FAIL]
    assert set(chosen.detailed) <= set(failing)  # worst first: failing nodes before unknown ones
    ctx = context(60, 10, "auto")
    assert [n.name for n in ctx.compact_nodes] == list(chosen.detailed)
    # the scorecard still lists every node in trouble: the reader sees the whole list there
    assert {r.node for r in ctx.scorecard.rows} - {"whole plan"} == trouble
    path = _pdf(tmp_path, 60, 10)
    text = " ".join(" ".join(page_texts(path)).split())
    more = len(trouble) - 3
    assert f"Only the 3 worst of the {len(trouble)} nodes in trouble are printed here" in text
    assert f"{more} more nodes fail or are unknown" in text
    assert "trondocs report --detail all" in text
    marks = {title for _, title, _ in outline(path)}
    assert set(chosen.detailed) <= marks and not (trouble - set(chosen.detailed)) & marks

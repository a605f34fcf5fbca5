"""A report a delegator can finish: at hosting-provider scale the PDF details the nodes in
trouble and lists the others by name, so its length follows the failing nodes, not the estate."""

from __future__ import annotations

import functools
import json

import pytest
from pypdf import PdfReader

from bench.estate import AS_OF, synthetic_estate
from tests.report.pdftools import outline, page_texts
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.render.report import evidence_files
from trondocs.render.report.attestation import ASSESSMENT_NAME, make_manifest
from trondocs.render.report.context import build_context
from trondocs.render.report.detail import AUTO_ALL, select
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


def test_a_large_estate_details_every_node_in_trouble_and_lists_the_rest():
    _, _, assessment = estate(60, 10)
    trouble = in_trouble(assessment)
    assert 0 < len(trouble) < len(assessment.nodes)
    ctx = context(60, 10, "auto")
    assert {n.name for n in ctx.nodes} == trouble
    assert {r.node for r in ctx.scorecard.rows} - {"whole plan"} == trouble
    assert set(ctx.scorecard.others) == {n.node for n in assessment.nodes} - trouble
    assert ctx.scorecard.total == 60 and not ctx.everything
    # the appendix's full evidence tables would repeat the detailed nodes' sections: left out
    assert ctx.appendix.evidence_tables is None
    # the findings are whole: every result that did not pass, of every node
    assert len(ctx.findings.rows) == sum(1 for f in assessment.findings if f.status is not Status.PASS)


def test_detail_all_keeps_every_node_and_small_estates_keep_them_by_default():
    ctx = context(60, 10, "all")
    assert len(ctx.nodes) == 60 and ctx.everything and not ctx.scorecard.others
    assert ctx.appendix.evidence_tables is not None  # the full per-node appendix
    assert {r.cells[0] for r in ctx.appendix.evidence_tables.rpo.rows} == {n.name for n in ctx.nodes}
    small = context(AUTO_ALL, 10, "auto")
    assert len(small.nodes) == AUTO_ALL and small.everything
    problems = context(AUTO_ALL, 10, "problems")
    assert {n.name for n in problems.nodes} == in_trouble(estate(AUTO_ALL, 10)[2])


def test_unknown_detail_is_refused():
    with pytest.raises(ValueError):
        select(estate(AUTO_ALL, 10)[2], "some")


def _pdf(tmp_path, nodes: int, troubled: int):
    loaded, state, assessment = estate(nodes, troubled)
    path = tmp_path / f"report-{nodes}-{troubled}.pdf"
    write_report(loaded, state, assessment, path, detail="problems")  # what auto does beyond 25 nodes
    return path


def test_the_page_count_grows_with_the_failing_nodes_not_with_all_nodes(tmp_path):
    few_of_few = _pdf(tmp_path, 16, 8)  # 16 nodes, 4 in trouble
    few_of_many = _pdf(tmp_path, 64, 32)  # 64 nodes, 4 in trouble
    many_of_many = _pdf(tmp_path, 64, 8)  # 64 nodes, 16 in trouble
    # the same nodes in trouble (the spaced troubled nodes, and the witnesses' backup-mode checks)
    assert len(in_trouble(estate(16, 8)[2])) == len(in_trouble(estate(64, 32)[2])) <= 6
    pages = {p: len(PdfReader(p).pages) for p in (few_of_few, few_of_many, many_of_many)}
    # four times the nodes, the same trouble: at most the scorecard's names and 3 more tests' rows
    assert pages[few_of_many] <= pages[few_of_few] + 1
    # four times the trouble: a section per node in trouble
    assert pages[many_of_many] >= pages[few_of_many] + 12 // 2
    # page one and the summary stay, every node in trouble has its bookmark (its section), the
    # evidence still verifies and the embedded assessment is whole: every node, not the detailed
    first = " ".join(page_texts(many_of_many)[0].split())
    assert "Bench SR" in first and "Overall verdict" in first
    marks = {title for _, title, _ in outline(many_of_many)}
    assert {"Executive summary", "Scorecard", "Evidence per node", "Findings and waivers"} <= marks
    assert in_trouble(estate(64, 8)[2]) <= marks
    assert not marks & ({n.node for n in estate(64, 8)[2].nodes} - in_trouble(estate(64, 8)[2]))
    assert verify_report(many_of_many).ok
    embedded = json.loads(attachments(many_of_many)[ASSESSMENT_NAME][-1])
    assert len(embedded["nodes"]) == 64

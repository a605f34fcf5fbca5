"""One assessment, one summary: every output reports the counts evaluation made, and the node
pages show the matches the rules judged — no renderer counts or matches on its own."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.evaluate.cases import example_loaded, patch_plan, state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, Status
from trondocs.render.drift import json as drift_json
from trondocs.render.drift import junit, markdown, prometheus, sarif, text
from trondocs.render.report.summary import executive_summary
from trondocs.render.website import context as site_context
from trondocs.render.website import node_context
from trondocs.render.website.data import SiteData


@pytest.fixture(scope="module")
def loaded():
    # A plan job spelled in another case than in Veeam: evaluation matches it (case-insensitive,
    # within the system); the node page must show what evaluation matched.
    base = example_loaded()
    return patch_plan(base, {"protection": {"TRON nightly backup": {"job": "backup tron NODES"}}})


@pytest.fixture(scope="module")
def assessment(loaded) -> Assessment:
    # The baseline a day earlier: the standby's replica was fresh, the DLM policy was failing.
    baseline = state_for(
        [
            {
                "retime_points": {
                    "asset": "tron-witness-02",
                    "kind": "replica",
                    "newest": "10m",
                    "every": "60m",
                }
            },
            {"drop_points": {"asset": "i-0a1b2c3d4e5f60718", "kind": "copy"}},
        ],
        as_of=AS_OF - dt.timedelta(days=1),
    )
    now = state_for([{"set_job": {"name": "Backup TRON nodes", "last_result": "failed"}}])
    a = evaluate(loaded, now, as_of=AS_OF, baseline=baseline)
    assert a.summary.new > 0 and a.summary.resolved > 0  # the test means something
    return a


def statuses(a: Assessment) -> dict[str, int]:
    return {s.value: a.summary.count(s) for s in Status}


def test_every_drift_format_reports_the_summary(assessment):
    s = assessment.summary
    want = statuses(assessment)
    assert sum(want.values()) == s.total == len(assessment.findings)

    line = text.render(assessment).rstrip().splitlines()[-1]
    numbers = dict(
        (k, int(v)) for v, k in re.findall(r"(\d+) (failing|unknown|waived|passing|new|resolved)", line)
    )
    assert numbers == {
        "failing": want["fail"],
        "unknown": want["unknown"],
        "waived": want["waived"],
        "passing": want["pass"],
        "new": s.new,
        "resolved": s.resolved,
    }

    doc = json.loads(drift_json.render(assessment))["summary"]
    assert {k: doc[k] for k in want} == want and (doc["new"], doc["resolved"], doc["total"]) == (
        s.new,
        s.resolved,
        s.total,
    )
    assert doc["failing_by_severity"] == s.failing_by_severity

    md = markdown.render(assessment)
    row = next(r for r in md.splitlines() if r.startswith("| **"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[0].split("**")[1]) == want["fail"]
    assert [int(c) for c in cells[1:]] == [want["unknown"], want["waived"], want["pass"], s.new, s.resolved]
    assert f"Since the baseline: {s.new} new, {s.resolved} resolved" in md

    results = json.loads(sarif.render(assessment))["runs"][0]["results"]
    by = {"fail": 0, "unknown": 0, "waived": 0}
    for r in results:
        by[r["properties"]["status"]] += 1
    assert by == {k: want[k] for k in by}
    assert (
        sum(
            1
            for r in results
            if r["properties"].get("change") == "new" and r["properties"]["status"] == "fail"
        )
        == s.new
    )

    suites = ET.fromstring(junit.render(assessment).split("\n", 1)[1])
    assert (int(suites.get("tests")), int(suites.get("failures")), int(suites.get("skipped"))) == (
        s.total,
        want["fail"],
        want["unknown"] + want["waived"],
    )

    metrics = prometheus.render(assessment)
    for status, number in want.items():
        assert f'trondocs_findings{{status="{status}"}} {number}' in metrics


def test_the_dashboard_and_pdf_page_one_report_the_summary(loaded, assessment):
    data = SiteData(
        plan=loaded.plan,
        state=state_for([{"set_job": {"name": "Backup TRON nodes", "last_result": "failed"}}]),
        assessment=assessment,
    )
    page = site_context.dashboard_page(data)
    assert {b.text.lower(): n for b, n in page.status_counts} == statuses(assessment)
    assert len(page.new_findings) == assessment.summary.new
    assert sum(r.failing for r in page.severities) == assessment.summary.count(Status.FAIL)

    summary = executive_summary(loaded.plan, assessment)
    assert dict(summary.counts) == {
        s.value.capitalize(): assessment.summary.count(s)
        for s in (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)
    }
    assert f"{assessment.summary.new} new finding" in summary.changes
    assert f"{assessment.summary.resolved} resolved finding" in summary.changes


def test_node_pages_show_the_matches_the_rules_judged(loaded, assessment):
    data = SiteData(plan=loaded.plan, state=state_for(), assessment=assessment)
    for node in loaded.plan.nodes:
        evidence = assessment.node(node.name)
        page = node_context.node_page(data, node.name)
        found = {
            j.protection: j.found.text != "not found" for j in page.jobs if j.protection != "not in the plan"
        }
        for f in assessment.findings_for(node.name):
            if f.rule == "TRD201":
                assert found[f.subject] is (f.status is Status.PASS), (node.name, f.subject, f.message)
        assert page.points_total == evidence.attribution.points_total
        assert [p.created for p in page.points] == [
            node_context.when(p.created) for p in evidence.attribution.recent_points
        ]
        verdicts = {f.rule: f.status.value for f in assessment.findings_for(node.name)}
        shown = {what: badge.tone for what, _need, _have, badge in page.copies_check}
        for what, rule in (("Independent copies", "TRD401"), ("Media", "TRD402"), ("Immutable", "TRD404")):
            assert shown[what] == verdicts.get(rule, "neutral"), (node.name, what)
    # The case-different job name: found by the rule, and found on the page.
    witness = node_context.node_page(data, "witness-a")
    assert next(j for j in witness.jobs if j.protection == "TRON nightly backup").found.text == "enabled"

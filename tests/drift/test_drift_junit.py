"""junit: parses as JUnit XML — a suite per rule, a case per (rule, node), failures and skips with reasons."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import junitparser

from tests.drift.builders import finding, make_assessment
from trondocs.evaluate.models import Status
from trondocs.render.drift import junit


def test_structure(mixed):
    root = ET.fromstring(junit.render(mixed))
    assert root.tag == "testsuites"
    totals = (root.get("tests"), root.get("failures"), root.get("skipped"), root.get("errors"))
    assert totals == ("8", "4", "2", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [
        "TRD101 Declared node not found in any source", "TRD205 Last run failed or warned",
        "TRD301 Newest restore point older than the RPO", "TRD403 No offsite copy",
        "TRD503 Standby witness not ready", "TRD601 DR test overdue", "TRD701 Node unreachable"]
    cases = root.findall("testsuite/testcase")
    assert len(cases) == len(mixed.findings)
    names = {(c.get("classname"), c.get("name")) for c in cases}
    assert ("trondocs.TRD301", "witness-b") in names and ("trondocs.TRD301", "full-01") in names
    assert ("trondocs.TRD205", "(plan) [Replicate TRON nodes]") in names
    for suite in suites:
        assert int(suite.get("tests")) == len(suite.findall("testcase"))
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(suite.findall("testcase/skipped"))


def test_failure_skips_and_passes(mixed):
    root = ET.fromstring(junit.render(mixed))
    case = root.find("testsuite/testcase[@classname='trondocs.TRD301'][@name='witness-b']")
    failure = case.find("failure")
    assert failure.get("type") == "high"
    assert failure.get("message") == ("newest restore point is 2d 3h old, RPO 15m: 100% over, "
                                      "a,b:c\nsecond line")
    assert "rpo_seconds: 900" in failure.text and "fix: How to fix TRD301." in failure.text
    assert "plan: inventory/nodes.yaml:12:5" in failure.text
    assert (case.get("file"), case.get("line")) == ("inventory/nodes.yaml", "12")
    unknown = root.find("testsuite/testcase[@classname='trondocs.TRD701']/skipped")
    assert unknown.get("message") == "evidence missing: source aws failed: connection refused"
    waived = root.find("testsuite/testcase[@classname='trondocs.TRD403']/skipped")
    assert waived.get("message").startswith("waived until 2027-03-31: chain data is public")
    passing = root.find("testsuite/testcase[@classname='trondocs.TRD101']")
    assert list(passing) == []


def test_markup_in_messages_is_escaped(mixed):
    text = junit.render(mixed)
    assert "<b>" not in text
    case = ET.fromstring(text).find("testsuite/testcase[@classname='trondocs.TRD503']/failure")
    assert case.get("message") == "standby replica is stale | <b>not</b> ready"


def test_junitparser_reads_it(mixed):
    xml = junitparser.JUnitXml.fromstring(junit.render(mixed))
    results = {}
    for suite in xml:
        for case in suite:
            kinds = [type(r).__name__ for r in case.result]
            results[(case.classname, case.name)] = kinds
    assert results[("trondocs.TRD301", "witness-b")] == ["Failure"]
    assert results[("trondocs.TRD301", "full-01")] == []
    assert results[("trondocs.TRD701", "full-aws-01")] == ["Skipped"]
    assert results[("trondocs.TRD403", "full-aws-01")] == ["Skipped"]
    assert xml.tests == 8 and xml.failures == 4 and xml.skipped == 2


def test_no_findings_is_an_empty_but_valid_report():
    root = ET.fromstring(junit.render(make_assessment([], baseline=False)))
    assert root.get("tests") == "0" and root.findall("testsuite") == []


def test_same_rule_and_node_with_different_subjects_are_separate_cases():
    findings = [finding("TRD205", Status.FAIL, None, subject="Backup TRON nodes"),
                finding("TRD205", Status.PASS, None, subject="Replicate TRON nodes")]
    root = ET.fromstring(junit.render(make_assessment(findings)))
    assert [c.get("name") for c in root.iter("testcase")] == ["(plan) [Backup TRON nodes]",
                                                               "(plan) [Replicate TRON nodes]"]

"""junit: JUnit XML for CI test reports — a test suite per rule, a test case per (rule, node).

FAIL is a <failure>; UNKNOWN and WAIVED are <skipped> with the reason (never a pass).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import partial
from itertools import groupby

from trondocs.evaluate.models import Assessment, Finding, Status
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    place,
    plan_uri,
    prose,
    rule_table,
    timestamp,
    waiver_text,
)
from trondocs.render.escape import one_line, text_lines

MEDIA_TYPE = "application/xml"
SUFFIX = ".xml"


def case_name(finding: Finding) -> str:
    name = one_line(finding.node or "(plan)")
    return f"{name} [{one_line(finding.subject)}]" if finding.subject else name


def _details(finding: Finding, options: RenderOptions) -> str:
    """The failure text: its lines flattened (no control characters, which XML 1.0 cannot even
    hold, and no line that starts a workflow command when a CI reporter prints it)."""
    lines = [finding.message, f"rule: {finding.rule} {finding.title} (severity {finding.severity.value})"]
    location = place(finding, options)
    if location is not None:
        lines.append(f"plan: {plan_uri(location, options.root)}:{location.line}:{location.column}")
    lines += [f"{key}: {value}" for key, value in sorted(finding.evidence.items())]
    if finding.remediation:
        lines.append(f"fix: {prose(finding.remediation)}")
    return "\n".join(text_lines(line) for line in lines)


def _case(suite: ET.Element, finding: Finding, options: RenderOptions) -> None:
    case = ET.SubElement(suite, "testcase", name=case_name(finding), classname=f"trondocs.{finding.rule}",
                         time="0")
    location = place(finding, options)
    if location is not None:
        case.set("file", one_line(plan_uri(location, options.root)))
        case.set("line", str(location.line))
    if finding.status is Status.FAIL:
        failure = ET.SubElement(case, "failure", message=text_lines(finding.message),
                                type=finding.severity.value)
        failure.text = _details(finding, options)
    elif finding.status is Status.UNKNOWN:
        ET.SubElement(case, "skipped", message=text_lines(f"evidence missing: {finding.message}"))
    elif finding.status is Status.WAIVED:
        ET.SubElement(case, "skipped", message=text_lines(f"{waiver_text(finding)} — {finding.message}"))


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    titles = {rule.id: rule.title for rule in rule_table(assessment)}
    stamp = (timestamp(assessment.as_of) or "").removesuffix("Z")
    root = ET.Element("testsuites", name="trondocs drift")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    findings = sorted(assessment.findings, key=lambda f: (f.rule, f.node or "", f.subject or ""))
    for rule, group in groupby(findings, key=lambda f: f.rule):
        cases = list(group)
        of = partial(assessment.summary.of_rule, rule)
        counts = {"tests": of(), "failures": of(Status.FAIL),
                  "skipped": of(Status.UNKNOWN) + of(Status.WAIVED)}
        suite = ET.SubElement(root, "testsuite", name=f"{rule} {titles.get(rule, '')}".strip(),
                              tests=str(counts["tests"]), failures=str(counts["failures"]), errors="0",
                              skipped=str(counts["skipped"]), time="0", timestamp=stamp)
        for finding in cases:
            _case(suite, finding, options)
        for key in totals:
            totals[key] += counts[key]
    root.set("tests", str(totals["tests"]))
    root.set("failures", str(totals["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(totals["skipped"]))
    root.set("time", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""sarif: SARIF 2.1.0 for code scanning, each result located at the plan YAML line it is about.

Mapping (documented in docs/drift-json.md, "SARIF"):
- FAIL → a result of kind "fail", level from the severity (critical/high error, medium warning, low note).
- WAIVED → the same result with an accepted external suppression whose justification is the waiver.
- UNKNOWN → a result of kind "review" (level "none", as SARIF requires for that kind): the check could not
  be made, a person should look; never reported as passing.
- PASS → not reported.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from trondocs.evaluate.models import Assessment, Finding, RuleInfo, Severity, Status
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    place,
    plan_uri,
    prose,
    rule_table,
    shown,
    timestamp,
    waiver_text,
)
from trondocs.render.escape import one_line

MEDIA_TYPE = "application/sarif+json"
SUFFIX = ".sarif"
SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning", Severity.LOW: "note"}
# GitHub code scanning ranks results by this CVSS-like score (critical > 9, high 7–8.9, …).
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "2.0"}


def _rule(rule: RuleInfo) -> dict[str, Any]:
    rationale, remediation = prose(rule.rationale), prose(rule.remediation)
    return {
        "id": rule.id,
        "name": "".join(re.sub(r"[^0-9A-Za-z]", "", word).capitalize() for word in rule.title.split()),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rationale or rule.title},
        "help": {"text": remediation or rule.title,
                 "markdown": f"**{rule.title}**\n\n{rationale}\n\n**Fix:** {remediation}"},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {"tags": ["disaster-recovery", f"trondocs/{rule.family}"],
                       "security-severity": SECURITY_SEVERITY[rule.severity]},
    }


def message_text(value: object) -> str:
    """A SARIF plain-text message: one line, brackets escaped so no name becomes an embedded link
    (SARIF 2.1.0 §3.11.6: ``[text](target)`` is a link, a literal bracket is written ``\\[``)."""
    return re.sub(r"(\\*)([\[\]])", lambda m: m[1] * 2 + "\\" + m[2], one_line(value))


def _fingerprint(finding: Finding) -> str:
    return hashlib.sha256("\x1f".join(finding.key).encode()).hexdigest()


def _result(finding: Finding, rule_index: int, options: RenderOptions) -> dict[str, Any]:
    text = finding.message
    if finding.remediation:
        text += f" Fix: {prose(finding.remediation)}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "kind": "review" if finding.status is Status.UNKNOWN else "fail",
        "level": "none" if finding.status is Status.UNKNOWN else LEVEL[finding.severity],
        "message": {"text": message_text(("Evidence missing: " if finding.status is Status.UNKNOWN else "")
                                         + text)},
    }
    location = place(finding, options)
    if location is not None:
        result["locations"] = [{
            "physicalLocation": {
                "artifactLocation": {"uri": plan_uri(location, options.root)},
                "region": {"startLine": location.line, "startColumn": location.column},
            },
            **({"logicalLocations": [{"name": finding.node, "kind": "object",
                                      "fullyQualifiedName": f"nodes/{finding.node}"}]}
               if finding.node else {}),
        }]
    result["partialFingerprints"] = {"trondocsFinding/v1": _fingerprint(finding)}
    if finding.status is Status.WAIVED:
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": one_line(waiver_text(finding)) or "waived in the plan"}]
    properties: dict[str, Any] = {"status": finding.status.value, "severity": finding.severity.value}
    for name in ("node", "subject"):
        if getattr(finding, name):
            properties[name] = getattr(finding, name)
    if finding.change is not None:
        properties["change"] = finding.change.value
    if finding.evidence:
        properties["evidence"] = dict(sorted(finding.evidence.items()))
    result["properties"] = properties
    return result


def document(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    rules = rule_table(assessment)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [_result(f, index[f.rule], options) for f in shown(assessment.findings)]
    driver: dict[str, Any] = {"name": "trondocs", "rules": [_rule(rule) for rule in rules]}
    if options.tool_version:
        driver["semanticVersion"] = driver["version"] = options.tool_version
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "automationDetails": {"id": "trondocs/drift/"},
        "invocations": [{"executionSuccessful": all(s.ok for s in assessment.sources),
                         "toolExecutionNotifications": [
                             {"level": "warning", "message": {"text": message_text(
                                 f"source {s.name} ({s.type}) not read: {s.error or 'failed'}")}}
                             for s in assessment.sources if not s.ok]}],
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {"verdict": assessment.verdict.value, "asOf": timestamp(assessment.as_of)},
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return json.dumps(document(assessment, options), indent=2, ensure_ascii=False) + "\n"

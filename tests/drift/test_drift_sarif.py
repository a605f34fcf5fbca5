"""sarif: valid SARIF 2.1.0 (vendored schema), rules from the catalogue, results on the plan's lines."""

from __future__ import annotations

import json

import jsonschema
import pytest

from tests.drift.builders import ROOT, finding, make_assessment
from trondocs.diagnostics import Location
from trondocs.evaluate.models import Status
from trondocs.render.drift import RenderOptions, sarif


def _validate(document: dict, schema: dict) -> None:
    validator = jsonschema.Draft4Validator(schema)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


def test_validates_against_the_sarif_2_1_0_schema(mixed, clean, sarif_schema):
    for assessment in (mixed, clean):
        _validate(json.loads(sarif.render(assessment)), sarif_schema)


def test_the_schema_check_catches_a_broken_log(mixed, sarif_schema):
    document = json.loads(sarif.render(mixed))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(AssertionError):
        _validate(document, sarif_schema)


def test_rules_come_from_the_catalogue(mixed):
    document = json.loads(sarif.render(mixed))
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in sorted(mixed.rules, key=lambda r: r.id)]
    rpo = next(r for r in rules if r["id"] == "TRD301")
    assert rpo["name"] == "NewestRestorePointOlderThanTheRpo"
    assert rpo["shortDescription"] == {"text": "Newest restore point older than the RPO"}
    assert rpo["fullDescription"] == {"text": "Why TRD301 matters: newest restore point older than the rpo."}
    assert rpo["help"]["text"] == "How to fix TRD301."
    assert rpo["defaultConfiguration"] == {"level": "error"}
    assert rpo["properties"]["security-severity"] == "8.0"
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in rules}
    assert levels["TRD503"] == "error" and levels["TRD205"] == "warning" and levels["TRD601"] == "note"


def test_results_fail_waived_unknown_but_never_pass(mixed):
    results = json.loads(sarif.render(mixed))["runs"][0]["results"]
    by_status = {}
    for result in results:
        by_status.setdefault(result["properties"]["status"], []).append(result)
    assert sorted(by_status) == ["fail", "unknown", "waived"]
    assert len(by_status["fail"]) == 4
    assert [(r["ruleId"], r["kind"], r["level"]) for r in by_status["fail"]] == [
        ("TRD503", "fail", "error"), ("TRD301", "fail", "error"), ("TRD205", "fail", "warning"),
        ("TRD601", "fail", "note")]
    (unknown,) = by_status["unknown"]
    assert (unknown["kind"], unknown["level"]) == ("review", "none")
    assert unknown["message"]["text"].startswith("Evidence missing: source aws failed")
    (waived,) = by_status["waived"]
    assert waived["suppressions"] == [{
        "kind": "external", "status": "accepted",
        "justification": "waived until 2027-03-31: chain data is public, re-sync: from peers "
                         "(approved by Ioana Marin (CTO))"}]
    assert all("suppressions" not in r for r in by_status["fail"])


def test_rule_index_points_at_the_rule(mixed):
    run = json.loads(sarif.render(mixed))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_results_sit_on_the_plan_line(mixed):
    results = json.loads(sarif.render(mixed))["runs"][0]["results"]
    rpo = next(r for r in results if r["ruleId"] == "TRD301")
    (location,) = rpo["locations"]
    assert location["physicalLocation"] == {"artifactLocation": {"uri": "inventory/nodes.yaml"},
                                            "region": {"startLine": 12, "startColumn": 5}}
    assert location["logicalLocations"][0]["name"] == "witness-b"


def test_uris_are_relative_to_the_repository_root(sarif_schema):
    absolute = finding("TRD301", Status.FAIL).model_copy(update={
        "plan_location": Location(file=str(ROOT / "inventory" / "nodes.yaml"), line=9, column=3)})
    document = json.loads(sarif.render(make_assessment([absolute]), RenderOptions(root=ROOT)))
    _validate(document, sarif_schema)
    uri = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "inventory/nodes.yaml"


def test_plan_wide_findings_fall_back_to_a_plan_location(mixed):
    plain = json.loads(sarif.render(mixed))["runs"][0]["results"]
    assert "locations" not in next(r for r in plain if r["ruleId"] == "TRD205")
    fallback = Location(file="inventory/organization.yaml", line=2, column=1)
    located = json.loads(sarif.render(mixed, RenderOptions(fallback_location=fallback)))["runs"][0]["results"]
    job = next(r for r in located if r["ruleId"] == "TRD205")
    assert job["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "inventory/organization.yaml"
    # A finding with its own place keeps it.
    assert next(r for r in located if r["ruleId"] == "TRD301")["locations"][0]["physicalLocation"][
        "region"]["startLine"] == 12


def test_fingerprints_are_stable_and_distinct(mixed):
    first = json.loads(sarif.render(mixed))["runs"][0]["results"]
    second = json.loads(sarif.render(mixed))["runs"][0]["results"]
    prints = [r["partialFingerprints"]["trondocsFinding/v1"] for r in first]
    assert prints == [r["partialFingerprints"]["trondocsFinding/v1"] for r in second]
    assert len(set(prints)) == len(prints)


def test_a_failed_source_is_a_tool_notification(mixed):
    invocation = json.loads(sarif.render(mixed))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == \
        "source aws (aws) not read: connection refused"


def test_version_and_schema(clean):
    document = json.loads(sarif.render(clean, RenderOptions(tool_version="0.1.0")))
    assert document["version"] == "2.1.0"
    assert document["$schema"].endswith("sarif-2.1.0.json")
    assert document["runs"][0]["tool"]["driver"]["version"] == "0.1.0"
    assert document["runs"][0]["results"] == []

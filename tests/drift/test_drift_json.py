"""json: validates against its shipped JSON Schema, is byte-stable, and says what the docs say."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import jsonschema
import pytest

from tests.drift.builders import ROOT, make_assessment, mixed_assessment
from trondocs.diagnostics import Location
from trondocs.evaluate.models import Finding
from trondocs.render.drift import RenderOptions
from trondocs.render.drift import json as drift_json
from trondocs.render.drift.common import iso_duration, plan_uri

SCHEMA = drift_json.schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_shipped_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["properties"]["schema_version"] == {"const": drift_json.SCHEMA_VERSION}


def test_output_validates_against_the_schema(mixed, clean):
    for assessment in (mixed, clean):
        document = json.loads(drift_json.render(assessment))
        errors = sorted(VALIDATOR.iter_errors(document), key=str)
        assert errors == []


def test_the_schema_rejects_what_it_should(mixed):
    document = json.loads(drift_json.render(mixed))
    document["findings"][0]["status"] = "ok"
    assert not VALIDATOR.is_valid(document)
    document = json.loads(drift_json.render(mixed))
    document["findings"][0]["surprise"] = 1
    assert not VALIDATOR.is_valid(document)
    document = json.loads(drift_json.render(mixed))
    document["nodes"][0]["rpo"]["target"] = {"seconds": 900, "iso": "15 minutes"}
    assert not VALIDATOR.is_valid(document)


def test_byte_stable_whatever_the_input_order(mixed):
    first = drift_json.render(mixed)
    assert drift_json.render(mixed_assessment()) == first
    shuffled = list(mixed.findings)
    random.Random(7).shuffle(shuffled)
    reordered = mixed.model_copy(update={"findings": shuffled, "nodes": list(reversed(mixed.nodes))})
    assert drift_json.render(reordered) == first


def test_summary_counts_and_verdict(mixed):
    document = json.loads(drift_json.render(mixed))
    assert document["verdict"] == "not-ready"
    assert document["summary"] == {"total": 8, "pass": 2, "fail": 4, "unknown": 1, "waived": 1,
                                   "failing_by_severity": {"critical": 1, "high": 1, "medium": 1, "low": 1},
                                   "new": 1, "resolved": 1}
    assert document["as_of"] == "2026-11-20T06:00:00Z"
    assert document["baseline_at"] == "2026-11-19T06:00:00Z"


def test_one_object_per_finding_with_every_field(mixed):
    document = json.loads(drift_json.render(mixed))
    assert len(document["findings"]) == len(mixed.findings)
    rpo = next(f for f in document["findings"] if f["rule"] == "TRD301" and f["status"] == "fail")
    assert rpo == {
        "rule": "TRD301", "title": "Newest restore point older than the RPO", "severity": "high",
        "status": "fail", "node": "witness-b", "subject": None,
        "message": "newest restore point is 2d 3h old, RPO 15m: 100% over, a,b:c\nsecond line",
        "evidence": {"newest_age_seconds": 183600, "point": "rp-1", "rpo_seconds": 900},
        "remediation": "How to fix TRD301.",
        "plan_location": {"file": "inventory/nodes.yaml", "line": 12, "column": 5},
        "change": "new", "waiver": None,
    }
    waived = next(f for f in document["findings"] if f["status"] == "waived")
    assert waived["waiver"] == {"reason": "chain data is public, re-sync: from peers",
                                "expires": "2027-03-31",
                                "approved_by": "Ioana Marin (CTO)"}
    assert [f["change"] for f in document["resolved"]] == ["resolved"]


def test_node_evidence_durations_in_seconds_and_iso(mixed):
    document = json.loads(drift_json.render(mixed))
    nodes = {n["node"]: n for n in document["nodes"]}
    assert list(nodes) == ["full-aws-01", "witness-a", "witness-b"]
    witness = nodes["witness-a"]
    assert witness["rpo"]["target"] == {"seconds": 900, "iso": "PT15M"}
    assert witness["rpo"]["newest_age"] == {"seconds": 2280, "iso": "PT38M"}
    assert witness["rpo"]["newest"] == "2026-11-20T05:22:00Z"
    assert witness["rpo"]["window"] == {"seconds": 604800, "iso": "P7D"}
    assert witness["rto"]["worst"] == {"seconds": 1450, "iso": "PT24M10S"}
    assert witness["rto"]["runs"][0]["duration"] == {"seconds": 1450, "iso": "PT24M10S"}
    assert witness["copies"]["independent_copies"] == 3
    assert witness["copies"]["loss_probability"] == 1e-6
    assert witness["impact"] == {"elected": True, "outage": {"seconds": 900, "iso": "PT15M"},
                                 "blocks_at_risk": 11, "blocks_at_risk_with_standby": 1}
    assert nodes["witness-b"]["rpo"]["newest_age"] == {"seconds": 183600, "iso": "P2DT3H"}
    unknown = nodes["full-aws-01"]
    assert unknown["rpo"]["known"] is False and unknown["rpo"]["newest_age"] is None
    assert unknown["impact"] is None


@pytest.mark.parametrize(("value", "expected"), [
    (dt.timedelta(0), "PT0S"),
    (dt.timedelta(seconds=21), "PT21S"),
    (dt.timedelta(minutes=15), "PT15M"),
    (dt.timedelta(hours=2), "PT2H"),
    (dt.timedelta(days=7), "P7D"),
    (dt.timedelta(days=1, hours=6, minutes=1, seconds=2), "P1DT6H1M2S"),
    (dt.timedelta(seconds=1.5), "PT1.5S"),
    (dt.timedelta(minutes=-5), "-PT5M"),
])
def test_iso_durations(value, expected):
    assert iso_duration(value) == expected


def test_plan_paths_are_relative_to_the_root(tmp_path):
    absolute = Location(file=str(ROOT / "inventory" / "nodes.yaml"), line=3, column=1)
    assert plan_uri(absolute, ROOT) == "inventory/nodes.yaml"
    outside = Location(file=str(tmp_path / "x.yaml"), line=1, column=1)
    assert plan_uri(outside, ROOT) == str(tmp_path / "x.yaml")
    relative = Location(file="inventory/nodes.yaml", line=1, column=1)
    assert plan_uri(relative, None) == "inventory/nodes.yaml"


def test_plan_location_follows_the_root_option(mixed):
    moved = [f.model_copy(update={"plan_location": Location(file=str(ROOT / "inventory" / "nodes.yaml"),
                                                            line=f.plan_location.line, column=5)})
             if f.plan_location else f for f in mixed.findings]
    document = json.loads(drift_json.render(mixed.model_copy(update={"findings": moved}),
                                            RenderOptions(root=ROOT)))
    files = {f["plan_location"]["file"] for f in document["findings"] if f["plan_location"]}
    assert files == {"inventory/nodes.yaml"}


def test_empty_assessment_is_still_a_valid_document():
    document = json.loads(drift_json.render(make_assessment([], baseline=False)))
    assert VALIDATOR.is_valid(document)
    assert document["findings"] == [] and document["resolved"] == []
    assert document["summary"]["total"] == 0 and document["baseline_at"] is None


def test_the_docs_describe_every_field():
    doc = (ROOT / "docs" / "drift-json.md").read_text()
    names: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                names.add(key)
                walk(value)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(SCHEMA)
    missing = sorted(name for name in names if not re.search(rf"`{re.escape(name)}`", doc))
    assert missing == []
    assert f"schema_version` is {drift_json.SCHEMA_VERSION}" in doc


def test_finding_model_fields_all_reach_the_output():
    """A field added to Finding must be added here (and to the schema and docs) on purpose."""
    shown = {"rule", "title", "severity", "status", "node", "subject", "message", "evidence", "remediation",
             "plan_location", "waiver", "change"}
    assert set(Finding.model_fields) == shown
    assert set(SCHEMA["$defs"]["finding"]["required"]) == shown


def test_schema_file_is_packaged_beside_the_renderer():
    assert (Path(drift_json.__file__).parent / "drift.schema.json").is_file()

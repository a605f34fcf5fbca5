"""prometheus: a node_exporter textfile that prometheus_client's parser reads back exactly."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.drift.builders import finding, make_assessment
from trondocs.evaluate.models import Status
from trondocs.render.drift import prometheus


def _samples(text: str) -> dict[str, list]:
    return {family.name: family.samples for family in text_string_to_metric_families(text)}


def _value(samples: list, **labels: str) -> float:
    (match,) = [s for s in samples if all(s.labels.get(k) == v for k, v in labels.items())]
    return match.value


def test_every_metric_has_help_and_type(mixed):
    text = prometheus.render(mixed)
    families = list(text_string_to_metric_families(text))
    assert families and all(f.type == "gauge" and f.documentation for f in families)
    for family in families:
        assert f"# HELP {family.name} " in text and f"# TYPE {family.name} gauge" in text


def test_restore_point_age_and_rpo_target_per_node(mixed):
    samples = _samples(prometheus.render(mixed))
    assert _value(samples["trondocs_restore_point_age_seconds"], node="witness-a") == 38 * 60
    assert _value(samples["trondocs_restore_point_age_seconds"], node="witness-b") == (3 + 48) * 3600
    # Unknown evidence is absent, never a zero age.
    assert not [s for s in samples["trondocs_restore_point_age_seconds"] if s.labels["node"] == "full-aws-01"]
    assert _value(samples["trondocs_rpo_target_seconds"], node="full-aws-01") == 900
    assert _value(samples["trondocs_blocks_at_risk"], node="witness-a") == 11


def test_finding_status_per_rule_and_node(mixed):
    samples = _samples(prometheus.render(mixed))
    failing = samples["trondocs_finding_failing"]
    assert _value(failing, rule="TRD301", node="witness-b") == 1
    assert _value(failing, rule="TRD301", node="full-01") == 0
    assert _value(failing, rule="TRD403", node="full-aws-01") == 0  # waived
    assert _value(failing, rule="TRD205", node="", subject="Replicate TRON nodes") == 1
    status = samples["trondocs_finding_status"]
    assert _value(status, rule="TRD701", node="full-aws-01", status="unknown") == 1
    assert _value(status, rule="TRD701", node="full-aws-01", status="pass") == 0
    assert len(status) == 4 * len(mixed.findings)
    assert _value(samples["trondocs_findings"], status="fail") == 4


def test_collection_success_per_source_and_verdict(mixed):
    samples = _samples(prometheus.render(mixed))
    success = samples["trondocs_source_collection_success"]
    assert _value(success, source="vcenter", type="vsphere") == 1
    assert _value(success, source="aws", type="aws") == 0
    assert _value(samples["trondocs_drift_verdict"], verdict="not-ready") == 1
    assert _value(samples["trondocs_drift_verdict"], verdict="ready") == 0
    assert _value(samples["trondocs_drift_timestamp_seconds"]) == mixed.as_of.timestamp()


def test_label_values_are_escaped():
    odd = finding("TRD205", Status.FAIL, None, subject='Job "nightly" \\ copy\nsecond')
    samples = _samples(prometheus.render(make_assessment([odd])))
    assert _value(samples["trondocs_finding_failing"], rule="TRD205") == 1
    assert samples["trondocs_finding_failing"][0].labels["subject"] == 'Job "nightly" \\ copy\nsecond'


def test_no_sample_timestamps(mixed):
    """node_exporter's textfile collector refuses samples with timestamps."""
    for family in text_string_to_metric_families(prometheus.render(mixed)):
        assert all(s.timestamp is None for s in family.samples)


def test_duplicate_identities_give_one_series():
    twice = [finding("TRD301", Status.FAIL), finding("TRD301", Status.FAIL, message="again")]
    samples = _samples(prometheus.render(make_assessment(twice)))
    assert len(samples["trondocs_finding_failing"]) == 1

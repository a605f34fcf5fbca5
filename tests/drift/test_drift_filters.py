"""drift --rule/--skip-rule/--severity/--node, --compliance, and -q on the demo inventory and state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trondocs.compliance import CONTROLS, FRAMEWORKS, ControlStatus, controls_evidenced

ROOT = Path(__file__).resolve().parents[2]
DEMO = ("drift", "-i", ROOT / "inventory", "--state", ROOT / "examples" / "capture.state.json",
        "--no-baseline")


def _json(run_cli, tmp_path, *args):
    out = tmp_path / "drift.json"
    result = run_cli(*DEMO, "--format", f"json={out}", *args)
    return result, json.loads(out.read_text())


def test_rule_and_node_select_findings_and_the_exit_code_follows(run_cli, tmp_path):
    result, doc = _json(run_cli, tmp_path, "--rule", "TRD503", "--node", "witness-b")
    assert {(f["rule"], f["node"]) for f in doc["findings"]} == {("TRD503", "witness-b")}
    assert doc["summary"]["total"] == len(doc["findings"]) == 1
    assert result.exit_code == 1  # it fails, critical


def test_a_selection_without_failures_exits_0(run_cli, tmp_path):
    result, doc = _json(run_cli, tmp_path, "--rule", "TRD101")
    assert doc["findings"] and {f["rule"] for f in doc["findings"]} == {"TRD101"}
    assert {f["status"] for f in doc["findings"]} == {"pass"}
    assert result.exit_code == 0
    assert doc["verdict"] == "ready"


def test_severity_keeps_findings_at_or_above(run_cli, tmp_path):
    _, everything = _json(run_cli, tmp_path)
    _, doc = _json(run_cli, tmp_path, "--severity", "high")
    assert doc["findings"] and {f["severity"] for f in doc["findings"]} <= {"high", "critical"}
    assert len(doc["findings"]) == sum(f["severity"] in ("high", "critical") for f in everything["findings"])


def test_skip_rule_leaves_it_out(run_cli, tmp_path):
    _, doc = _json(run_cli, tmp_path, "--skip-rule", "TRD401", "--skip-rule", "trd203")
    rules = {f["rule"] for f in doc["findings"]}
    assert "TRD401" not in rules and "TRD203" not in rules and "TRD503" in rules


@pytest.mark.parametrize(("args", "fragment"), [
    (("--rule", "TRD5O3"), "unknown rule 'TRD5O3'; did you mean 'TRD503'?"),
    (("--node", "witness-z"), "--node 'witness-z': no such node in the plan; did you mean 'witness-b'?"),
])
def test_unknown_rule_or_node_is_a_usage_error(run_cli, args, fragment):
    result = run_cli(*DEMO, *args)
    assert result.exit_code == 2
    assert fragment in result.stderr and "Traceback" not in result.stderr


def test_compliance_iso27001_on_the_demo_lists_controls_with_status(run_cli):
    result = run_cli(*DEMO, "--compliance", "iso27001", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "controls evidenced — ISO/IEC 27001:2022 Annex A" in out
    table = out[out.index("controls evidenced"):]
    expected = [("5.29", "EVIDENCED"), ("5.30", "FAILING"), ("8.13", "FAILING"), ("8.14", "FAILING")]
    for control, status in expected:
        line = next(line for line in table.splitlines() if line.startswith(control + " "))
        assert status in line, line
    assert "failing: " in table and "TRD503" in table


@pytest.mark.parametrize("framework", sorted(FRAMEWORKS))
def test_every_framework_is_listed(run_cli, framework):
    result = run_cli(*DEMO, "--compliance", framework, "--fail-on", "never", "-q")
    assert f"controls evidenced — {FRAMEWORKS[framework].name}" in result.stdout


def test_every_control_is_evidenced_by_some_rule_and_every_key_is_known():
    from trondocs.evaluate.rules import catalogue

    used = {key for rule in catalogue() for key in rule.controls}
    assert used == set(CONTROLS), set(CONTROLS) ^ used
    with pytest.raises(ValueError, match="unknown controls"):
        from trondocs.evaluate.rules.base import rule

        rule("TRD999", "x", None, rationale="", remediation="", controls=["iso27001:9.99"])


def test_control_status_is_the_worst_of_its_rules():
    mapping = {"TRD1": ["soc2:A1.2"], "TRD2": ["soc2:A1.2", "soc2:A1.3"]}
    by_control = lambda findings: {r.control: r.status for r in controls_evidenced("soc2", mapping, findings)}  # noqa: E731
    assert by_control([]) == {"A1.2": ControlStatus.NOT_ASSESSED, "A1.3": ControlStatus.NOT_ASSESSED}
    assert by_control([("TRD1", "pass"), ("TRD2", "waived")]) == {
        "A1.2": ControlStatus.EVIDENCED, "A1.3": ControlStatus.EVIDENCED}
    assert by_control([("TRD1", "pass"), ("TRD2", "unknown")])["A1.2"] is ControlStatus.UNKNOWN
    assert by_control([("TRD1", "fail"), ("TRD2", "unknown")]) == {
        "A1.2": ControlStatus.FAILING, "A1.3": ControlStatus.UNKNOWN}


def test_quiet_drift_prints_no_warnings_and_no_wrote_lines(run_cli, tmp_path):
    loud = run_cli(*DEMO, "--format", f"json={tmp_path / 'a.json'}")
    assert "wrote " in loud.stderr
    quiet = run_cli(*DEMO, "--format", f"json={tmp_path / 'b.json'}", "-q")
    assert quiet.stderr == "" and quiet.exit_code == loud.exit_code


def test_compliance_follows_markdown_on_stdout_and_refuses_json_there(run_cli):
    md = run_cli(*DEMO, "--compliance", "soc2", "--format", "markdown", "--fail-on", "never")
    assert "### Controls evidenced — SOC 2" in md.stdout and "| A1.3 |" in md.stdout
    refused = run_cli(*DEMO, "--compliance", "soc2", "--format", "json")
    assert refused.exit_code == 2
    assert "give it a file: --format json=FILE" in refused.stderr

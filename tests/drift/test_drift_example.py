"""End to end over the example SR: inventory/ + tests/factories.example_state() → evaluate → every format."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import EXAMPLE_INVENTORY, ROOT
from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.plan.loader import load_plan
from trondocs.render.drift import FORMATS, RenderOptions
from trondocs.render.drift import json as drift_json
from trondocs.state.history import append_snapshot
from trondocs.state.io import save_state
from trondocs.state.models import DiscoveredFailoverPlan, FailoverStep
from trondocs.workflow.drift import repository_root


@pytest.fixture(scope="module")
def loaded():
    return load_plan(EXAMPLE_INVENTORY, today=AS_OF.date())


@pytest.fixture(scope="module")
def assessment(loaded):
    return evaluate(loaded, example_state(), as_of=AS_OF)


@pytest.fixture(scope="module")
def options(loaded):
    return RenderOptions(root=ROOT, fallback_location=loaded.locate("organization"), tool_version="test")


def test_every_format_renders_the_example(assessment, options):
    for name, module in FORMATS.items():
        assert module.render(assessment, options).endswith("\n"), name


def test_json_validates_and_is_byte_stable(loaded, assessment, options):
    first = drift_json.render(assessment, options)
    jsonschema.validate(json.loads(first), drift_json.schema(), cls=jsonschema.Draft202012Validator)
    again = drift_json.render(evaluate(loaded, example_state(), as_of=AS_OF), options)
    assert again == first


def test_sarif_validates_and_points_at_real_plan_lines(assessment, options, sarif_schema):
    document = json.loads(FORMATS["sarif"].render(assessment, options))
    jsonschema.Draft4Validator(sarif_schema).validate(document)
    results = document["runs"][0]["results"]
    failing = [f for f in assessment.findings if f.status is not Status.PASS]
    assert len(results) == len(failing) > 0
    for result in results:
        physical = result["locations"][0]["physicalLocation"]
        path = ROOT / physical["artifactLocation"]["uri"]
        assert path.is_file() and path.parent == EXAMPLE_INVENTORY, physical
        lines = path.read_text().splitlines()
        assert 1 <= physical["region"]["startLine"] <= len(lines)
    # The stale standby witness is annotated on witness-b's entry in nodes.yaml.
    standby = next(r for r in results if r["ruleId"] == "TRD503")
    physical = standby["locations"][0]["physicalLocation"]
    text = (ROOT / physical["artifactLocation"]["uri"]).read_text()
    line = text.splitlines()[physical["region"]["startLine"] - 1]
    assert physical["artifactLocation"]["uri"] == "inventory/nodes.yaml" and "witness-b" in line
    rule_ids = [r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]]
    assert {"TRD101", "TRD301", "TRD503", "TRD801"} <= set(rule_ids)


def test_junit_has_a_case_per_finding(assessment, options):
    root = ET.fromstring(FORMATS["junit"].render(assessment, options))
    assert len(list(root.iter("testcase"))) == len(assessment.findings)
    failing = sum(f.status is Status.FAIL for f in assessment.findings)
    assert int(root.get("failures")) == len(list(root.iter("failure"))) == failing


def test_prometheus_parses_and_shows_the_stale_standby(assessment):
    families = {f.name: f for f in text_string_to_metric_families(FORMATS["prometheus"].render(assessment))}
    ages = {s.labels["node"]: s.value for s in families["trondocs_restore_point_age_seconds"].samples}
    targets = {s.labels["node"]: s.value for s in families["trondocs_rpo_target_seconds"].samples}
    assert ages["witness-b"] > targets["witness-b"] == 900
    failing = {(s.labels["rule"], s.labels["node"]) for s in families["trondocs_finding_failing"].samples
               if s.value == 1}
    assert ("TRD503", "witness-b") in failing


def test_text_shows_the_waiver_of_the_example(assessment):
    output = FORMATS["text"].render(assessment)
    waived = [line for line in output.splitlines() if line.startswith("WAIVED")]
    assert any("TRD403" in line and "full-aws-01" in line and "waived until 2027-03-31" in line
               for line in waived)


def test_repository_root_of_the_example_is_this_repository():
    assert repository_root(EXAMPLE_INVENTORY) == ROOT


# --- the command, end to end -------------------------------------------------------------------

@pytest.fixture
def state_file(tmp_path):
    path = tmp_path / "state.json"
    save_state(example_state(), path)
    return path


def _failing_severities(assessment) -> set[str]:
    return {f.severity.value for f in assessment.findings if f.status is Status.FAIL}


def test_exit_1_on_findings_at_the_threshold_and_0_with_never(run_cli, state_file, assessment):
    assert "critical" in _failing_severities(assessment)
    for threshold in ("low", "medium", "high", "critical"):
        result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--no-baseline",
                         "--fail-on", threshold)
        assert result.exit_code == 1, (threshold, result.stderr)
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--fail-on", "never")
    assert result.exit_code == 0
    assert result.stdout.rstrip().splitlines()[-1].startswith("not-ready: ")


def _waive_everything(tmp_path, assessment):
    """The example inventory plus a file with a fresh drill of every node (recovery measured, nothing
    overdue) and waivers of every rule that failed: nothing fails, evidence complete (exit codes 0 and 3)."""
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    lines = ["drills:\n"]
    for node in sorted(n.node for n in assessment.nodes):
        lines.append(f"  - node: {node}\n    scenario: restore test\n    started: 2026-11-19T10:00:00Z\n"
                     f"    finished: 2026-11-19T10:05:00Z\n    result: success\n")
    lines.append("waivers:\n")
    for rule in sorted({f.rule for f in assessment.findings if f.status is Status.FAIL}):
        lines.append(f"  - rule: {rule}\n    reason: accepted for the exit code test\n"
                     "    expires: 2027-06-30\n")
    (inventory / "zz-exit-codes.yaml").write_text("".join(lines))
    return inventory


def test_exit_0_when_everything_failing_is_waived(run_cli, tmp_path, assessment):
    # A source that reports failover plans (Veeam's REST API does not): otherwise TRD501 is UNKNOWN.
    state = example_state()
    steps = [FailoverStep(asset_name="tron-full-01_replica", delay=dt.timedelta(seconds=120)),
             FailoverStep(asset_name="tron-solidity-01_replica")]
    state = state.model_copy(update={"failover_plans": [
        DiscoveredFailoverPlan(source="veeam", name="TRON site failover", steps=steps)]})
    state_file = tmp_path / "state.json"
    save_state(state, state_file)
    inventory = _waive_everything(tmp_path, assessment)
    result = run_cli("drift", "-i", inventory, "--state", state_file, "--no-baseline", "--fail-on", "low")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "WAIVED" in result.stdout and "\nFAIL " not in result.stdout


def test_exit_3_when_nothing_fails_but_a_source_failed(run_cli, tmp_path, assessment):
    inventory = _waive_everything(tmp_path, assessment)
    state = tmp_path / "partial.json"
    save_state(example_state(failed_sources=("aws",)), state)
    result = run_cli("drift", "-i", inventory, "--state", state, "--no-baseline", "--fail-on", "low",
                     "--format", "json")
    assert result.exit_code == 3, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["unknown"] > 0 and document["summary"]["fail"] == 0
    aws = next(s for s in document["sources"] if s["name"] == "aws")
    assert aws["ok"] is False and aws["error"] == "connection refused"


def test_formats_go_to_their_files_atomically(run_cli, tmp_path, state_file):
    out = tmp_path / "out"
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--no-baseline",
                     "--format", f"markdown={out / 'drift.md'}", "--format", f"sarif={out / 'drift.sarif'}",
                     "--format", f"junit={out / 'junit.xml'}",
                     "--format", f"prometheus={out / 'trondocs.prom'}",
                     "--format", "github", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["drift.md", "drift.sarif", "junit.xml", "trondocs.prom"]
    assert result.stdout.startswith("::error file=inventory/")
    assert f"wrote {out / 'drift.sarif'} (sarif)" in result.stderr
    assert (out / "drift.md").read_text().startswith("## trondocs drift: ❌ Not ready")


def test_output_option_and_as_of(run_cli, tmp_path, state_file):
    target = tmp_path / "drift.json"
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--no-baseline",
                     "--format", "json", "--output", target, "--as-of", "2026-11-20T07:00:00+01:00",
                     "--fail-on", "never")
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(target.read_text())["as_of"] == "2026-11-20T06:00:00Z"
    # Nothing went to standard output, so the summary line goes to standard error.
    assert result.stderr.rstrip().splitlines()[-1].startswith("not-ready: ")


def test_default_baseline_is_the_previous_snapshot_in_the_history(run_cli, tmp_path, state_file):
    history = tmp_path / "evidence"
    earlier = example_state(AS_OF - dt.timedelta(days=1))
    append_snapshot(earlier, history)
    append_snapshot(example_state(), history)  # the current one itself is not its own baseline
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--history", history,
                     "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    assert "baseline: " in result.stderr and "2026-11-19 06:00Z" in result.stderr
    document = json.loads(result.stdout)
    assert document["baseline_at"] == "2026-11-19T06:00:00Z"
    assert all(f["change"] in ("new", "unchanged", "resolved") for f in document["findings"])
    none = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--history", history,
                   "--no-baseline", "--format", "json", "--fail-on", "never")
    assert json.loads(none.stdout)["baseline_at"] is None


def test_explicit_baseline_file(run_cli, tmp_path, state_file):
    baseline = tmp_path / "before.json.gz"
    save_state(example_state(AS_OF - dt.timedelta(hours=6)), baseline)
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--baseline", baseline,
                     "--format", "json", "--fail-on", "never")
    assert json.loads(result.stdout)["baseline_at"] == "2026-11-20T00:00:00Z"


def test_live_collection_when_no_state_is_given(run_cli, tmp_path, state_file):
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    (inventory / "sources.yaml").write_text(
        f"sources:\n  - name: capture\n    type: snapshot\n    path: {state_file}\n")
    result = run_cli("drift", "-i", inventory, "--no-baseline", "--history", tmp_path / "none",
                     "--format", "json", "--fail-on", "high")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout)
    assert document["summary"]["fail"] > 0
    assert not (tmp_path / "none").exists()  # drift reads the history, it never writes it


def test_rules_command_lists_the_catalogue(run_cli):
    from trondocs.evaluate.rules import catalogue

    rules = catalogue()
    text = run_cli("rules")
    assert text.exit_code == 0
    for rule in rules:
        assert f"{rule.id} " in text.stdout
    assert text.stdout.rstrip().endswith("Details: trondocs rules --format markdown")
    as_json = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r["id"] for r in as_json] == sorted(r.id for r in rules)
    assert all(r["rationale"] and r["remediation"] for r in as_json)
    markdown = run_cli("rules", "--format", "markdown").stdout
    assert markdown.startswith("| Rule | Severity | Family | Title |")
    assert "### TRD301" in markdown


def test_colour_only_when_asked(run_cli, state_file):
    args = ("drift", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--no-baseline", "--fail-on", "never")
    assert "\033[1;31mFAIL" in run_cli(*args, "--color", "always").stdout
    assert "\033[" not in run_cli(*args, "--color", "never").stdout
    assert "\033[" not in run_cli(*args).stdout  # auto: the runner's output is not a terminal


def test_the_bundled_capture_gives_valid_outputs(run_cli, tmp_path, sarif_schema):
    """What `make demo` runs, with every file format: the captured state of the example estate."""
    capture = ROOT / "examples" / "capture.state.json"
    out = tmp_path / "out"
    names = ("json", "sarif", "junit", "markdown", "prometheus")
    formats = [arg for name in names for arg in ("--format", f"{name}={out / name}")]
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", capture, "--no-baseline",
                     "--fail-on", "never", *formats)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.rstrip().splitlines()[-1].split(":")[0] in ("ready", "at-risk", "not-ready")
    document = json.loads((out / "json").read_text())
    jsonschema.validate(document, drift_json.schema(), cls=jsonschema.Draft202012Validator)
    jsonschema.Draft4Validator(sarif_schema).validate(json.loads((out / "sarif").read_text()))
    assert len(list(ET.parse(out / "junit").getroot().iter("testcase"))) == document["summary"]["total"]
    assert list(text_string_to_metric_families((out / "prometheus").read_text()))

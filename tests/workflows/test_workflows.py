"""`trondocs init --ci github`: a valid inventory and workflows GitHub accepts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from trondocs.starter.github import render_workflows

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCHEMA = json.loads((HERE.parent / "vendor" / "github" / "github-workflows.json").read_text())
# How this repository's own workflows are generated (its demo publishes the example SR).
OWN_OPTIONS = {"action": "./", "collect_runner": "ubuntu-latest",
               "fallback_state": "examples/capture.state.json"}


def _check(text: str) -> dict:
    document = YAML(typ="safe").load(text)
    errors = sorted(jsonschema.Draft7Validator(SCHEMA).iter_errors(document), key=str)
    assert not errors, [e.message for e in errors[:5]]
    return document


def test_init_with_ci_in_an_empty_folder(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("init", "inventory", "--ci", "github")
    assert result.exit_code == 0, result.output
    assert run_cli("validate", "-i", "inventory").exit_code == 0
    # the starter's CHANGE ME values are warnings: a strict CI check refuses them until replaced
    assert run_cli("validate", "-i", "inventory", "--strict").exit_code == 2
    workflows = sorted((tmp_path / ".github" / "workflows").glob("*.yml"))
    assert [p.name for p in workflows] == ["trondocs-nightly.yml", "trondocs-pr.yml"]
    nightly = _check(workflows[0].read_text())
    pr = _check(workflows[1].read_text())
    assert pr["on"]["pull_request"]["paths"] == ["inventory/**"]
    assert pr["permissions"] == {"contents": "read"}
    assert "secrets." not in workflows[1].read_text(), "the PR check must need no secrets"
    assert nightly["jobs"]["collect"]["runs-on"] == ["self-hosted", "trondocs"]
    assert nightly["jobs"]["collect"]["permissions"]["id-token"] == "write"
    steps = [s.get("uses", "") for s in nightly["jobs"]["publish"]["steps"]]
    assert "actions/deploy-pages@v4" in steps


def test_inventory_in_a_subfolder_is_reflected_in_paths(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("init", "ops/dr", "--ci", "github").exit_code == 0
    pr = _check((tmp_path / ".github/workflows/trondocs-pr.yml").read_text())
    assert pr["on"]["pull_request"]["paths"] == ["ops/dr/**"]
    assert "trondocs validate -i ops/dr" in json.dumps(pr)


def test_init_outside_the_repo_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("init", tmp_path / "a", "--ci", "github", "--repo", tmp_path / "b")
    assert result.exit_code == 2
    assert "not inside the repository" in result.output + result.stderr


@pytest.mark.parametrize("name", ["trondocs-nightly.yml", "trondocs-pr.yml"])
def test_this_repository_uses_the_same_workflows(name):
    expected = render_workflows(**OWN_OPTIONS)[name]
    actual = (ROOT / ".github" / "workflows" / name).read_text()
    assert actual == expected, "regenerate with: python -m trondocs.starter.github"
    _check(actual)


def test_workflow_scripts_are_valid_bash(tmp_path):
    import subprocess

    for name, text in render_workflows(**OWN_OPTIONS).items():
        for job in YAML(typ="safe").load(text)["jobs"].values():
            for step in job["steps"]:
                if "run" in step:
                    script = tmp_path / "step.sh"
                    script.write_text(step["run"])
                    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True,
                                          env={**os.environ})
                    assert done.returncode == 0, f"{name}: {step.get('name')}: {done.stderr}"


def _steps(workflow: str, job: str) -> dict[str, str]:
    document = YAML(typ="safe").load(render_workflows(**OWN_OPTIONS)[workflow])
    return {step["name"]: step["run"] for step in document["jobs"][job]["steps"] if "run" in step}


def test_pr_check_steps_run_locally_against_the_demo_state(tmp_path):
    """The PR workflow's own scripts, run as GitHub would run them, on the demo's state."""
    import shutil
    import subprocess
    import sys

    work = tmp_path / "checkout"
    shutil.copytree(ROOT / "inventory", work / "inventory")
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    steps = _steps("trondocs-pr.yml", "drift")

    def run(name: str) -> subprocess.CompletedProcess:
        # GitHub runs `run:` blocks with `bash -e {0}`.
        return subprocess.run(["bash", "-e", "-c", steps[name]], cwd=work, env=env,
                              capture_output=True, text=True, timeout=300)

    validated = run("Validate the plan")
    assert validated.returncode == 0, validated.stderr
    drift = run("Drift against the latest published state")
    # The demo state has high and critical findings: the check fails the pull request.
    assert drift.returncode == 1, drift.stdout + drift.stderr
    markdown = summary.read_text()
    assert markdown.startswith("## ") and "not-ready" in markdown.lower().replace(" ", "-")
    assert "TRD503" in markdown and "witness-b" in markdown
    assert (work / "drift.sarif").exists()
    annotations = [line for line in drift.stdout.splitlines() if line.startswith("::error ")]
    assert any("file=inventory/nodes.yaml" in line and "TRD503" in line for line in annotations)


def test_pr_check_passes_when_the_findings_are_waived(tmp_path):
    """Same steps; every failing rule waived in the proposed plan → the check passes (exit 0)."""
    import shutil
    import subprocess
    import sys

    from tests.factories import AS_OF
    from trondocs.evaluate import evaluate
    from trondocs.evaluate.models import Status
    from trondocs.plan import load_plan
    from trondocs.state.io import load_state

    work = tmp_path / "checkout"
    shutil.copytree(ROOT / "inventory", work / "inventory")
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("__pycache__"))
    state = load_state(work / "examples" / "capture.state.json")
    assessment = evaluate(load_plan(work / "inventory", today=AS_OF.date()), state,
                          as_of=state.collection.finished)
    rules = sorted({f.rule for f in assessment.findings if f.status is Status.FAIL})
    waivers = "".join(f"  - rule: {rule}\n    reason: accepted while the DR site is rebuilt\n"
                      "    expires: 2027-06-30\n" for rule in rules)
    (work / "inventory" / "waivers-pr.yaml").write_text("waivers:\n" + waivers)
    summary = tmp_path / "step-summary.md"
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    script = _steps("trondocs-pr.yml", "drift")["Drift against the latest published state"]
    done = subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    # Only UNKNOWN evidence is left (exit 3), which the workflow does not count against the PR.
    assert done.returncode == 0, done.stdout + done.stderr
    assert "waived" in summary.read_text().lower()

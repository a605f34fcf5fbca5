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
OWN_OPTIONS = {"install": ".", "collect_runner": "ubuntu-latest",
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
    assert run_cli("validate", "-i", "inventory", "--strict").exit_code == 0
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

"""The trondocs GitHub Action: valid action.yml, used by the generated workflows, never an index."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from trondocs import __version__
from trondocs.starter.github import ACTION_REPOSITORY, release_tag, render_workflows

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
VENDOR = HERE.parent / "vendor" / "github"
WORKFLOW_SCHEMA = json.loads((VENDOR / "github-workflows.json").read_text())
ACTION_SCHEMA = json.loads((VENDOR / "github-action.json").read_text())
ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text())


def _valid(document: dict, schema: dict) -> None:
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(document), key=str)
    assert not errors, [e.message for e in errors[:5]]


def test_action_yml_is_valid_against_its_schema():
    _valid(ACTION, ACTION_SCHEMA)
    assert ACTION["runs"]["using"] == "composite"
    assert {"inventory", "state", "formats", "fail-on", "install-from"} <= set(ACTION["inputs"])
    assert "verdict" in ACTION["outputs"]


def test_action_installs_from_its_own_checkout_or_a_given_requirement():
    install = next(s for s in ACTION["runs"]["steps"] if s.get("name") == "Install trondocs")
    assert "github.action_path" in install["env"]["TRONDOCS_ACTION_PATH"]
    assert 'pip install -q "${TRONDOCS_INSTALL_FROM:-$TRONDOCS_ACTION_PATH}"' in install["run"]
    assert "trondocs==" not in json.dumps(ACTION)


def _install_steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]
            if "install" in step.get("name", "").lower() or "pip" in step.get("run", "")]


def _assert_never_from_an_index(text: str) -> None:
    assert not re.search(r"pip install[^\n]*trondocs", text), "trondocs must not come from a package index"
    assert "trondocs==" not in text


def test_init_ci_github_workflows_use_the_action_pinned_to_the_release_tag(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("init", "inventory", "--ci", "github").exit_code == 0
    for path in sorted((tmp_path / ".github" / "workflows").glob("*.yml")):
        text = path.read_text()
        workflow = YAML(typ="safe").load(text)
        _valid(workflow, WORKFLOW_SCHEMA)
        _assert_never_from_an_index(text)
        installs = _install_steps(workflow)
        assert installs, path.name
        for step in installs:
            assert step["uses"] == f"{ACTION_REPOSITORY}@v{__version__}", step
            assert step["with"]["command"] == "install"
        # every job that runs trondocs installs it first
        for job in workflow["jobs"].values():
            names = [s.get("name", "") for s in job["steps"]]
            uses_cli = [i for i, s in enumerate(job["steps"]) if "trondocs " in s.get("run", "")]
            if uses_cli:
                assert names.index("Install trondocs") < uses_cli[0]


def test_init_ci_github_can_install_from_a_git_url(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = "git+https://git.example.org/ops/trondocs@v0.1.0"
    result = run_cli("init", "inventory", "--ci", "github", "--action", "ops/trondocs@v0.1.0",
                     "--install-from", url)
    assert result.exit_code == 0, result.output
    for path in sorted((tmp_path / ".github" / "workflows").glob("*.yml")):
        workflow = YAML(typ="safe").load(path.read_text())
        _valid(workflow, WORKFLOW_SCHEMA)
        for step in _install_steps(workflow):
            assert step["uses"] == "ops/trondocs@v0.1.0"
            assert step["with"]["install-from"] == url


def test_the_tag_comes_from_the_one_version():
    assert release_tag() == f"v{__version__}"
    assert f"@{release_tag()}" in render_workflows()["trondocs-pr.yml"]


def _run_step_script() -> str:
    return next(s for s in ACTION["runs"]["steps"] if s.get("id") == "run")["run"]


@pytest.mark.parametrize(("command", "expected_code", "verdict"),
                         [("drift", 1, "not-ready"), ("validate", 0, None)])
def test_action_run_step_on_the_demo(tmp_path, command, expected_code, verdict):
    """The action's own run script, as GitHub runs it, on the demo inventory and state."""
    work = tmp_path / "checkout"
    shutil.copytree(ROOT / "inventory", work / "inventory")
    shutil.copy(ROOT / "examples" / "capture.state.json", work / "state.json")
    output = tmp_path / "github-output"
    output.write_text("")
    env = {**os.environ, "GITHUB_OUTPUT": str(output), "RUNNER_TEMP": str(tmp_path),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "TRONDOCS_COMMAND": command, "TRONDOCS_INVENTORY": "inventory", "TRONDOCS_STATE": "state.json",
           "TRONDOCS_FORMATS": "markdown=drift.md github", "TRONDOCS_FAIL_ON": "high"}
    done = subprocess.run(["bash", "-e", "-c", _run_step_script()], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == expected_code, done.stdout + done.stderr
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
    assert outputs["exit-code"] == str(expected_code)
    assert outputs.get("verdict") == verdict
    if command == "drift":
        assert (work / "drift.md").exists()


def test_readme_says_how_to_point_the_workflows_at_a_fork_or_a_git_url():
    readme = (ROOT / "README.md").read_text()
    assert f"`{ACTION_REPOSITORY}@{release_tag()}`" in readme, "the default action, as init writes it"
    assert "--action my-org/trondocs@" in readme
    assert '--install-from "git+https://' in readme
    assert "never `pip install trondocs` from a" in " ".join(readme.split())

"""What every command shares: -q/-v, and Ctrl-C exiting 130 (not 1, the code for findings)."""

from __future__ import annotations

import click

from trondocs.cli import cli


def _leaves(command: click.Command, path: str = "trondocs"):
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _leaves(sub, f"{path} {name}")
    else:
        yield path, command


def test_every_command_takes_the_same_quiet_and_verbose():
    for path, command in _leaves(cli):
        options = {opt for p in command.params for opt in getattr(p, "opts", [])}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, path


def test_quiet_validate_hides_warnings(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "inv").exit_code == 0
    loud = run_cli("validate", "-i", tmp_path / "inv")
    quiet = run_cli("validate", "-i", tmp_path / "inv", "-q")
    assert loud.exit_code == quiet.exit_code == 0
    assert "warning" in loud.stderr
    assert "warning:" not in quiet.stderr


def test_shell_completion_works_through_main(tmp_path):
    """README documents click's completion: `_TRONDOCS_COMPLETE=bash_source trondocs`."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "_TRONDOCS_COMPLETE": "bash_complete",
           "COMP_WORDS": "trondocs dri", "COMP_CWORD": "1"}
    done = subprocess.run([sys.executable, "-m", "trondocs"], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "plain,drift" in done.stdout.splitlines()


def test_rules_json_lists_each_rules_controls(run_cli):
    import json

    rules = {r["id"]: r for r in json.loads(run_cli("rules", "-f", "json").stdout)}
    assert "iso27001:8.13" in rules["TRD301"]["controls"]


def test_usage_errors_of_every_command_look_alike(run_cli, tmp_path):
    """One error printer: a bad --as-of in site, a bad --format in drift and a missing
    inventory all print 'error: …' the same way and exit 2 (ExitCode.USAGE)."""
    from tests.factories import example_state
    from trondocs.state.io import save_state
    from trondocs.workflow.outcome import ExitCode

    state_file = tmp_path / "state.json"
    save_state(example_state(), state_file)
    inventory = tmp_path / "nowhere"
    results = [
        run_cli("site", "-i", tmp_path, "--state", state_file, "--as-of", "soon", "-o", tmp_path / "s"),
        run_cli("drift", "--state", state_file, "--format", "sarif2"),
        run_cli("drift", "-i", inventory, "--state", state_file),
    ]
    for result in results:
        assert result.exit_code == ExitCode.USAGE, result.stderr
        assert result.stderr.startswith("error: "), result.stderr
        assert "Traceback" not in result.stderr


def test_the_help_lists_the_one_exit_code_table():
    from click.testing import CliRunner

    from trondocs.workflow.outcome import MEANINGS, ExitCode

    text = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    for code in ExitCode:
        assert f"{code.value} {MEANINGS[code]}" in text

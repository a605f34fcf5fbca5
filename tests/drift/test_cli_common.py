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

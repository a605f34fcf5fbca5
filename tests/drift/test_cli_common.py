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

"""Every command has one contract: its options become one request, one workflow ``run`` carries
it out, and the command ends with the outcome's exit code; a request the workflow refuses
exits 2 with the reason (and the place in the plan) on stderr, never a traceback.

The commands come from the CLI group and the workflow runs from the workflow package — a
public ``run``/``run_*`` function whose one parameter is ``request`` — so a new command or
workflow is checked without being listed here. Each run is replaced by a spy, so nothing is
read, collected or written: the test sees only what the command does around its one call.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import click
import pytest
from click.testing import CliRunner

import trondocs.workflow
from trondocs.cli import cli
from trondocs.diagnostics import Diagnostic, Level, Location, PlanError
from trondocs.workflow.outcome import ExitCode, UsageError


def commands(command: click.Command = cli, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every command the CLI can run (``("drill", "record")``), groups walked through."""
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from commands(sub, (*path, name))
    else:
        yield path


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def workflow_runs() -> dict[str, Callable]:
    """``module:function`` → every workflow entry point: ``run``/``run_*`` taking only ``request``."""
    found = {}
    for info in pkgutil.iter_modules(trondocs.workflow.__path__):
        module = importlib.import_module(f"trondocs.workflow.{info.name}")
        for name, function in vars(module).items():
            if (inspect.isfunction(function) and function.__module__ == module.__name__
                    and (name == "run" or name.startswith("run_"))
                    and list(inspect.signature(function).parameters) == ["request"]):
                found[f"{module.__name__}:{name}"] = function
    return found


def request_type(run: Callable) -> type:
    return typing.get_type_hints(run)["request"]


def required_arguments(command: click.Command, tmp_path: Path) -> list[str]:
    """The least a command line needs to reach the command's body: a value for each required
    argument and option (an existing file for a path, the first choice of a choice)."""
    existing = tmp_path / "given"
    existing.write_text("x")
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        if isinstance(param.type, click.Choice):
            value = str(param.type.choices[0])
        elif isinstance(param.type, click.Path):
            value = str(existing)
        elif isinstance(param.type, click.types._NumberParamTypeBase):
            value = "1"
        else:
            value = "x"
        args += [value] if isinstance(param, click.Argument) else [param.opts[0], value]
    return args


class Spies:
    """Every workflow run replaced by one that records its request and does ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: Callable[[object], object]):
        self.calls: list[tuple[str, object]] = []
        for key in RUNS:
            module, name = key.split(":")

            def spy(request, key=key):
                self.calls.append((key, request))
                return answer(request)

            monkeypatch.setattr(importlib.import_module(module), name, spy)


def invoke(path: tuple[str, ...], tmp_path: Path):
    args = [*path, *required_arguments(command_at(path), tmp_path)]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


ALL_COMMANDS = list(commands())
RUNS = workflow_runs()  # before any test replaces them


def test_the_commands_and_runs_are_found():
    assert {("validate",), ("drift",), ("build",), ("drill", "record")} <= set(ALL_COMMANDS)
    assert "trondocs.workflow.drift:run" in RUNS and "trondocs.workflow.drill:run_watch" in RUNS
    for key, run in RUNS.items():
        request = request_type(run)
        assert dataclasses.is_dataclass(request) and request.__dataclass_params__.frozen, key


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_a_command_makes_one_request_and_ends_with_its_outcomes_exit_code(path, monkeypatch, tmp_path):
    # INCOMPLETE: a code no command reaches by default, so a command that ignored the outcome
    # and exited 0 (or 1) on its own would be caught.
    spies = Spies(monkeypatch, lambda request: mock.MagicMock(exit_code=ExitCode.INCOMPLETE))
    result = invoke(path, tmp_path)
    assert [key for key, _ in spies.calls] and len(spies.calls) == 1, (path, spies.calls, result.stderr)
    key, request = spies.calls[0]
    assert isinstance(request, request_type(RUNS[key])), (path, key)
    assert result.exit_code == ExitCode.INCOMPLETE, (path, result.output, result.stderr)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_a_plan_error_exits_2_naming_the_place_without_a_traceback(path, monkeypatch, tmp_path):
    place = Location(file=str(tmp_path / "inventory" / "nodes.yaml"), line=3, column=5)

    def refuse(request):
        raise PlanError([Diagnostic(level=Level.ERROR, code="spy", message="the spy refused it",
                                    hint="nothing to fix", location=place)])

    spies = Spies(monkeypatch, refuse)
    result = invoke(path, tmp_path)
    assert len(spies.calls) == 1, path
    assert result.exit_code == ExitCode.USAGE, (path, result.stderr)
    assert f"{place}: error: the spy refused it" in result.stderr, (path, result.stderr)
    assert "1 error; nothing was written." in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == "", (path, result.stdout)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_a_refused_request_exits_2_with_one_error_line(path, monkeypatch, tmp_path):
    def refuse(request):
        raise UsageError("the spy refused it", hint="ask differently")

    spies = Spies(monkeypatch, refuse)
    result = invoke(path, tmp_path)
    assert len(spies.calls) == 1, path
    assert result.exit_code == ExitCode.USAGE, (path, result.stderr)
    assert result.stderr == "error: the spy refused it\n    hint: ask differently\n", (path, result.stderr)
    assert result.stdout == ""


def test_every_workflow_run_serves_a_command(monkeypatch, tmp_path):
    """No run is left that no command calls, and no two commands share one."""
    spies = Spies(monkeypatch, lambda request: mock.MagicMock(exit_code=ExitCode.OK))
    served = []
    for path in ALL_COMMANDS:
        before = len(spies.calls)
        invoke(path, tmp_path)
        served += [key for key, _ in spies.calls[before:]]
    assert sorted(served) == sorted(RUNS)

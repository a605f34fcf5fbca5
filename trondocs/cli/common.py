"""What every command shares: the inventory option, printing diagnostics, exit codes."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from trondocs.diagnostics import Diagnostic, Level, PlanError
from trondocs.wording import count_noun
from trondocs.workflow.outcome import ExitCode, UsageError

inventory_option = click.option(
    "-i", "--inventory", type=click.Path(path_type=Path), default=Path("inventory"),
    show_default=True, help="Folder holding the plan's YAML files (and sources.yaml).",
)


# -q/-v, which every command takes (added by add_verbosity_options): -1 quiet, 0 normal, 1+ verbose.
VERBOSITY = {"level": 0}


def quiet() -> bool:
    return VERBOSITY["level"] < 0


def _configure_logging() -> None:
    level = VERBOSITY["level"]
    named = logging.ERROR if level < 0 else logging.DEBUG if level > 1 else logging.INFO
    logging.getLogger("trondocs").setLevel(named if level else logging.WARNING)


def _on_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    if value:
        VERBOSITY["level"] = -1
        _configure_logging()
    return value


def _on_verbose(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value and VERBOSITY["level"] >= 0:
        VERBOSITY["level"] = value
        _configure_logging()
    return value


def add_verbosity_options(command: click.Command) -> None:
    """Give COMMAND (and a group's subcommands) the same -q/--quiet and -v/--verbose.

    A command that already declares them keeps its parameter (its function still receives
    it); the shared callback records the level either way, so diagnostics follow it too.
    """
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_verbosity_options(sub)
        return
    params = {p.name: p for p in command.params}
    if "quiet" in params:
        params["quiet"].callback = _on_quiet
    else:
        command.params.append(click.Option(["-q", "--quiet"], is_flag=True, expose_value=False,
                                           callback=_on_quiet, help="Only errors: no warnings, no progress."))
    if "verbose" in params:
        params["verbose"].callback = _on_verbose
    else:
        command.params.append(click.Option(["-v", "--verbose"], count=True, expose_value=False,
                                           callback=_on_verbose, help="More detail (-vv for debug)."))


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Each diagnostic on its lines, whatever the plan's keys, values or file names hold (a YAML
    key with a line break must not write a GitHub workflow command in a pull-request check)."""
    from trondocs.render.escape import one_line

    for diagnostic in diagnostics:
        if quiet() and diagnostic.level is not Level.ERROR:
            continue
        color = "red" if diagnostic.level is Level.ERROR else "yellow"
        where = f"{one_line(diagnostic.location)}: " if diagnostic.location else ""
        click.echo(where + click.style(diagnostic.level.value, fg=color, bold=True)
                   + f": {one_line(diagnostic.message)}", err=True)
        if diagnostic.hint:
            click.echo(f"    hint: {one_line(diagnostic.hint)}", err=True)


def print_error(message: str, hint: str = "") -> None:
    """One error, printed as every diagnostic is."""
    print_diagnostics([Diagnostic(level=Level.ERROR, code="usage", message=message, hint=hint)])


def usage_error(message: str, hint: str = "") -> NoReturn:
    """A mistake in the command line or an unusable input: one error, exit 2."""
    print_error(message, hint)
    raise SystemExit(ExitCode.USAGE)


def parse_as_of(text: str | None) -> dt.datetime | None:
    """--as-of for every command that judges a state; a time it cannot read is a usage error."""
    from trondocs import times

    try:
        return times.parse_as_of(text)
    except ValueError as exc:
        usage_error(str(exc))  # one line: what was wrong; how to write it


def describe_os_error(exc: OSError) -> str:
    """``cannot write site/x: Permission denied`` rather than ``[Errno 13] …`` with temp names."""
    if exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def handles_user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """The one way a command fails on its input: a plan error's diagnostics, or a refused
    request's one line, on stderr and exit code 2 — never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlanError as exc:
            print_diagnostics(exc.diagnostics)
            click.echo(f"{count_noun(len(exc.errors), 'error')}; nothing was written.", err=True)
            raise SystemExit(ExitCode.USAGE) from None
        except UsageError as exc:
            usage_error(str(exc), exc.hint)
        except OSError as exc:
            usage_error(describe_os_error(exc))

    return wrapper

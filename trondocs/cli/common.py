"""What every command shares: the inventory option, printing diagnostics, exit codes."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from trondocs.diagnostics import Diagnostic, Level, PlanError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INCOMPLETE = 0, 1, 2, 3

inventory_option = click.option(
    "-i", "--inventory", type=click.Path(path_type=Path), default=Path("inventory"),
    show_default=True, help="Folder holding the plan's YAML files (and sources.yaml).",
)


def print_diagnostics(diagnostics: list[Diagnostic]) -> None:
    """Each diagnostic on its lines, whatever the plan's keys, values or file names hold (a YAML
    key with a line break must not write a GitHub workflow command in a pull-request check)."""
    from trondocs.render.escape import one_line

    for diagnostic in diagnostics:
        color = "red" if diagnostic.level is Level.ERROR else "yellow"
        where = f"{one_line(diagnostic.location)}: " if diagnostic.location else ""
        click.echo(where + click.style(diagnostic.level.value, fg=color, bold=True)
                   + f": {one_line(diagnostic.message)}", err=True)
        if diagnostic.hint:
            click.echo(f"    hint: {one_line(diagnostic.hint)}", err=True)


def known_rule_ids() -> set[str]:
    """Rule IDs of the catalogue, so waivers of unknown rules are caught."""
    from trondocs.evaluate.rules import rule_ids

    return rule_ids()


def load(inventory: Path, today: dt.date | None = None):
    from trondocs.plan import load_plan

    return load_plan(inventory, today=today, known_rules=known_rule_ids())


def describe_os_error(exc: OSError) -> str:
    """``cannot write site/x: Permission denied`` rather than ``[Errno 13] …`` with temp names."""
    if exc.strerror and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def handles_user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn plan errors into diagnostics on stderr and exit code 2, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlanError as exc:
            print_diagnostics(exc.diagnostics)
            errors = len(exc.errors)
            click.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
            raise SystemExit(EXIT_USAGE) from None
        except OSError as exc:
            click.echo(click.style("error", fg="red", bold=True) + f": {describe_os_error(exc)}", err=True)
            raise SystemExit(EXIT_USAGE) from None

    return wrapper

"""The ``trondocs`` command. Thin: options in, one call, exit code out."""

from __future__ import annotations

import sys

import click

from trondocs import __version__
from trondocs.cli import (
    collect_commands,
    drift_commands,
    drill_commands,
    plan_commands,
    report_commands,
    site_commands,
)

EPILOG = """\b
Typical use:
  trondocs validate -i inventory        check the declared plan
  trondocs collect -i inventory         read the sources into state.json
  trondocs drift -i inventory           compare plan and state; exit 1 on findings
  trondocs build -i inventory           collect, check, and publish site/ and site/report.pdf

Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage or plan error,
3 evidence incomplete (a source failed).
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             epilog=EPILOG)
@click.version_option(__version__, "-V", "--version", prog_name="trondocs")
def cli() -> None:
    """Keep a TRON SR's disaster-recovery plan true.

    trondocs reads what really exists (vSphere, Veeam, AWS, N2WS, java-tron nodes),
    compares it with the plan you declared in YAML, and publishes a DR plan site, a PDF
    audit report for delegators, and drift checks for pull requests and nightly jobs.
    """


# Each command module registers its commands here: one line per module.
COMMAND_MODULES = [plan_commands, collect_commands, drill_commands, report_commands, drift_commands,
                   site_commands]
for module in COMMAND_MODULES:
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    try:
        cli.main(prog_name="trondocs", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        click.echo("interrupted", err=True)
        sys.exit(130)

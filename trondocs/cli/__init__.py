"""The ``trondocs`` command. Thin: options in, one call, exit code out."""

from __future__ import annotations

import os
import signal
import sys
import threading

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
from trondocs.cli.common import add_verbosity_options
from trondocs.systems import SOURCE_TYPES
from trondocs.workflow.outcome import ExitCode, exit_codes_text

EPILOG = f"""\b
Typical use:
  trondocs validate -i inventory        check the declared plan
  trondocs collect -i inventory         read the sources into state.json
  trondocs drift -i inventory           compare plan and state; exit 1 on findings
  trondocs build -i inventory           collect, check, and publish site/ and site/report.pdf

Exit codes: {exit_codes_text()}.
"""


# The systems it reads, from the one table: a new source type is named here with no edit.
SOURCES_READ = ", ".join(row.title for row in SOURCE_TYPES if row.access is not None)
HELP = f"""Keep a TRON SR's disaster-recovery plan true.

trondocs reads what really exists ({SOURCES_READ}), compares it with the plan you
declared in YAML, and publishes a DR plan site, a PDF audit report for delegators, and
drift checks for pull requests and nightly jobs.
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
             help=HELP, epilog=EPILOG)
@click.version_option(__version__, "-V", "--version", prog_name="trondocs")
@click.pass_context
def cli(ctx: click.Context) -> None:
    from trondocs.cli.common import VERBOSITY

    VERBOSITY["level"] = 0  # each run starts normal; -q/-v of the command set it


# Each command module registers its commands here: one line per module.
COMMAND_MODULES = [plan_commands, collect_commands, drill_commands, report_commands, drift_commands,
                   site_commands]
for module in COMMAND_MODULES:
    for command in module.COMMANDS:
        add_verbosity_options(command)
        cli.add_command(command)

GRACE_SECONDS = 2.0  # after Ctrl-C, how long cleanup (atomic writes, open sockets) may take


def _interrupt(signum: int, frame: object) -> None:
    """First Ctrl-C: unwind (KeyboardInterrupt) and exit 130 within the grace period, even if a
    worker thread is still blocked on a slow source. A second Ctrl-C exits at once."""
    if getattr(_interrupt, "seen", False):
        os._exit(ExitCode.INTERRUPTED)
    _interrupt.seen = True  # type: ignore[attr-defined]
    sys.stderr.write("interrupted\n")  # now: the grace timer may end the process before main() can
    sys.stderr.flush()
    timer = threading.Timer(GRACE_SECONDS, os._exit, args=(ExitCode.INTERRUPTED,))
    timer.daemon = True
    timer.start()
    raise KeyboardInterrupt


def main() -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, _interrupt)
    try:
        result = cli.main(prog_name="trondocs", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort) as exc:
        if isinstance(exc, click.exceptions.Abort) and not isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("Aborted!", err=True)
            sys.exit(1)
        if not getattr(_interrupt, "seen", False):  # not through the handler (embedded use)
            click.echo("interrupted", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    sys.exit(result if isinstance(result, int) else 0)

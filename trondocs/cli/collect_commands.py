"""collect: read the configured sources into a state file."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from trondocs.cli.common import handles_user_errors, inventory_option
from trondocs.cli.progress import Progress


def configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else
                                         logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def parse_deadline(_ctx, _param, value: str | None):
    """``--deadline 10m``: a duration as the plan writes them."""
    if value is None:
        return None
    from trondocs.durations import parse_duration

    try:
        deadline = parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if deadline.total_seconds() <= 0:
        raise click.BadParameter("the deadline must be longer than 0s")
    return deadline


deadline_option = click.option(
    "--deadline", callback=parse_deadline, metavar="DURATION",
    help="The most the whole collection may take (e.g. 10m); a source still running then is "
         "recorded as failed. Each source also has its own 'deadline:' (default 5m).")


@click.command()
@inventory_option
@click.option("-s", "--source", "selected", multiple=True, metavar="NAME",
              help="Read only this source (repeatable). Default: every enabled source.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("state.json"),
              show_default=True, help="Where to write the state (written atomically).")
@click.option("--history", type=click.Path(path_type=Path), default=Path("evidence"),
              show_default=True, help="Evidence history folder the snapshot is appended to.")
@click.option("--no-history", is_flag=True, help="Do not append to the evidence history.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.option("-v", "--verbose", count=True, help="More detail (-vv for debug).")
@deadline_option
@handles_user_errors
def collect(inventory: Path, selected: tuple[str, ...], output: Path, history: Path,
            no_history: bool, quiet: bool, verbose: int, deadline) -> None:
    """Read what really exists from the sources in INVENTORY/sources.yaml.

    Credentials come from environment variables (see sources.yaml), never from YAML.
    Exit 0 when every source was read, 3 when some failed: the state is still
    written, with each failure recorded, and checks that need it become UNKNOWN.

    \b
    Examples:
      trondocs collect                       every enabled source → state.json
      trondocs collect -s vcenter -s veeam   only these two sources
      trondocs collect -o /tmp/s.json --no-history -v
      trondocs collect --deadline 10m         give up on what is not read in 10 minutes
    """
    from trondocs.render.escape import one_line
    from trondocs.workflow.collect import CollectRequest, run

    configure_logging(verbose, quiet)
    progress = Progress(enabled=not quiet)
    outcome = run(CollectRequest(inventory=inventory, selected=selected, output=output,
                                history=None if no_history else history, deadline=deadline,
                                progress=progress))
    progress.done()
    for source in outcome.state.collection.sources:
        status = click.style("ok", fg="green") if source.ok else click.style("FAILED", fg="red")
        name = one_line(source.name)  # one line each, whatever a source or its server says
        if not quiet or not source.ok:
            click.echo(f"{name} ({source.type}): {status} — {source.objects} objects, "
                       f"{source.api_calls} API calls"
                       + (f" — {one_line(source.error)}" if source.error else ""), err=True)
        for warning in source.warnings:
            click.echo(click.style("warning", fg="yellow") + f": {name}: {one_line(warning)}", err=True)
    if not outcome.state.collection.sources:
        click.echo(click.style("warning", fg="yellow") + f": no source is configured in "
                   f"{inventory}/sources.yaml (or all are disabled): nothing was read, so every check "
                   "will be UNKNOWN", err=True)
    if not quiet:
        click.echo(f"wrote {output}" + (f"; appended {outcome.snapshot}" if outcome.snapshot else ""))
    raise SystemExit(outcome.exit_code)


COMMANDS = [collect]

"""site, build: publish the DR plan site from a saved state, or run the whole pipeline."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli import choices
from trondocs.cli.common import handles_user_errors, inventory_option, parse_as_of
from trondocs.cli.progress import Progress
from trondocs.wording import count_noun

as_of_option = click.option(
    "--as-of", "as_of", metavar="TIME",
    help="Judge the state at this time (ISO 8601, a date, or 'now'). Default: when it was collected.")
output_option = click.option(
    "-o", "--output", type=click.Path(path_type=Path, file_okay=False), default=Path("site"),
    show_default=True, help="Site folder; replaced whole, only once the new site is complete.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")


def history_options(command):
    """--history and --no-history, the same for site and build."""
    command = click.option(
        "--no-history", is_flag=True,
        help="Neither read nor append to the history: no chart, no default baseline.")(command)
    return click.option(
        "--history", type=click.Path(path_type=Path), default=Path("evidence"), show_default=True,
        help="Evidence history: the dashboard's readiness-over-time chart and the default baseline "
             "(the snapshot before the state) come from it; build appends a live collection to it.",
    )(command)


def _summary(outcome, output: Path) -> None:
    from trondocs.evaluate.models import Status

    a = outcome.assessment
    failing, unknown = a.summary.count(Status.FAIL), a.summary.count(Status.UNKNOWN)
    click.echo(f"verdict: {a.verdict.value} — {failing} failing, {unknown} unknown, "
               + count_noun(len(a.findings), "check"), err=True)
    if outcome.baseline_from:
        click.echo(f"baseline: {outcome.baseline_from}", err=True)
    for step in outcome.steps:
        click.echo(step, err=True)
    click.echo(f"site: {output}/index.html ({count_noun(outcome.site.pages, 'page')})")
    click.echo(f"state: {output}/state.json  findings: {output}/findings.json")
    if outcome.report is not None:
        click.echo(f"report: {outcome.report}")


@click.command()
@inventory_option
@click.option("--state", "state_file", type=click.Path(path_type=Path), metavar="FILE", required=True,
              help="Saved state (state.json[.gz]) written by 'trondocs collect'.")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="An earlier state: the dashboard shows what changed since. "
                   "Default: the previous snapshot in --history.")
@history_options
@as_of_option
@output_option
@quiet_option
@handles_user_errors
def site(inventory: Path, state_file: Path, baseline: Path | None, history: Path, no_history: bool,
         as_of: str | None, output: Path, quiet: bool) -> None:
    """Publish the DR plan site (mkdocs-material) from a saved state.

    Pages: dashboard, plan, a page and runbooks per node, findings, DR tests, rules and
    downloads. The build runs mkdocs in strict mode (a broken link fails it) and replaces
    OUTPUT only when complete. A templates/ folder beside the inventory overrides any
    built-in template by name, e.g. templates/site/index.md.j2.

    \b
    Examples:
      trondocs site --state state.json                   → site/
      trondocs site --state evidence/…state.json.gz -o public --as-of 2026-11-20
      trondocs site --state state.json --history ops/evidence   chart and baseline from there
    """
    from trondocs.workflow.website import SiteRequest, run

    progress = Progress(enabled=not quiet)
    outcome = run(SiteRequest(inventory=inventory, state_file=state_file, output=output, baseline=baseline,
                              history=None if no_history else history, as_of=parse_as_of(as_of),
                              progress=progress.step))
    _summary(outcome, output)
    raise SystemExit(outcome.exit_code)


@click.command()
@inventory_option
@click.option("--state", "state_file", type=click.Path(path_type=Path), metavar="FILE",
              help="Use this saved state instead of collecting live from INVENTORY/sources.yaml.")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="An earlier state to compare with. Default: the previous snapshot in --history.")
@history_options
@as_of_option
@output_option
@quiet_option
@click.option("--detail", type=choices.DETAIL, default="auto", show_default=True,
              help=choices.DETAIL_HELP)
@click.option("--fail-on", type=choices.FAIL_ON, default="never", show_default=True,
              help="Exit 1 when a finding at or above this severity fails, 3 when none does but the "
                   "evidence is incomplete — as 'trondocs drift --fail-on' decides it. The default "
                   "publishes and exits 0 whatever the findings.")
@handles_user_errors
def build(inventory: Path, state_file: Path | None, baseline: Path | None, history: Path, no_history: bool,
          as_of: str | None, output: Path, quiet: bool, detail: str, fail_on: str) -> None:
    """Collect, check and publish: the site and the PDF report in one command.

    \b
    Steps (progress on stderr):
      1. collect from the sources (or read --state FILE)
      2. drift: check the plan against the state
      3. site: build OUTPUT (replaced only when complete)
      4. report: OUTPUT/report.pdf
    Exit 0 when built; with --fail-on SEVERITY, 1 when a finding at or above it fails and 3
    when none does but the evidence is incomplete (a source failed, or a check is UNKNOWN),
    as 'trondocs drift' decides it.

    \b
    Examples:
      trondocs build                                     collect live, then publish site/
      trondocs build --state examples/capture.state.json --no-history   (the demo)
    """
    from trondocs.workflow.build import BuildRequest, run
    from trondocs.workflow.drift import parse_fail_on

    progress = Progress(enabled=not quiet)
    outcome = run(BuildRequest(
        inventory=inventory, output=output, state_file=state_file, baseline=baseline,
        history=None if no_history else history, as_of=parse_as_of(as_of), detail=detail,
        fail_on=parse_fail_on(fail_on), progress=progress.step, collect_progress=progress))
    progress.done()
    _summary(outcome, output)
    raise SystemExit(outcome.exit_code)


COMMANDS = [site, build]

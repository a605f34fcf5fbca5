"""validate, schema, init: commands about the declared plan."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli.choices import CI_PROVIDER
from trondocs.cli.common import handles_user_errors, inventory_option, print_diagnostics


@click.command()
@inventory_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
@handles_user_errors
def validate(inventory: Path, strict: bool) -> None:
    """Check the declared plan and sources.yaml: types, names, references, dependencies,
    waivers, and each source's settings.

    Every problem of both is reported at once, sorted by file and line, as
    FILE:LINE:COLUMN with a hint. Values 'trondocs init' marked CHANGE ME are warnings.
    Exit 0 when both are valid, 2 when not (or, with --strict, when there are warnings).

    \b
    Examples:
      trondocs validate                      the plan in ./inventory
      trondocs validate -i ops/dr --strict   fail on warnings too (CI)
    """
    from trondocs.workflow.validate import ValidateRequest, run

    outcome = run(ValidateRequest(inventory=inventory, strict=strict))
    print_diagnostics(outcome.warnings)
    click.echo(outcome.summary)
    raise SystemExit(outcome.exit_code)


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@click.option("--sources", "of_sources", is_flag=True,
              help="The schema of sources.yaml instead of a plan file's.")
@handles_user_errors
def schema(output: Path | None, of_sources: bool) -> None:
    """Print the JSON Schema of a plan file (or, with --sources, of sources.yaml).

    Point your editor at it for completion and checks while you type, e.g. with
    yaml-language-server add this first line to each plan file:

    \b
      # yaml-language-server: $schema=../trondocs-plan.schema.json

    \b
    Examples:
      trondocs schema -o trondocs-plan.schema.json
      trondocs schema --sources -o trondocs-sources.schema.json
    """
    from trondocs.workflow.schema import SchemaRequest, run

    outcome = run(SchemaRequest(output=output, of_sources=of_sources))
    if outcome.written:
        click.echo(f"wrote {outcome.written}", err=True)
    else:
        click.echo(outcome.text, nl=False)
    raise SystemExit(outcome.exit_code)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--ci", type=CI_PROVIDER, help="Also write CI workflows (GitHub Actions).")
@click.option("--repo", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              show_default=True, help="Repository root the workflows go in (.github/workflows).")
@click.option("--action", metavar="OWNER/REPO@TAG",
              help="The trondocs GitHub Action the workflows use. Default: this release's tag.")
@click.option("--install-from", metavar="REQUIREMENT",
              help="Have the action install trondocs from this pip requirement instead, "
                   "e.g. git+https://github.com/OWNER/trondocs@v1.2.3.")
@handles_user_errors
def init(directory: Path, force: bool, ci: str | None, repo: Path, action: str | None,
         install_from: str | None) -> None:
    """Write a commented starter inventory for a new SR into DIRECTORY.

    With --ci github, also write GitHub Actions workflows into REPO/.github/workflows:
    a nightly job that collects, keeps evidence and publishes the site and PDF, and a
    pull-request drift check that needs no secrets. The workflows install trondocs with
    this repository's GitHub Action pinned to a release tag (never from a package index).

    Edit the names, addresses and jobs, then run 'trondocs validate -i DIRECTORY'.

    \b
    Examples:
      trondocs init inventory                a starter plan and sources.yaml
      trondocs init inventory --ci github    plus .github/workflows for nightly and PR checks
    """
    from trondocs.workflow.init import CiProvider, InitRequest, run

    outcome = run(InitRequest(directory=directory, force=force, ci=CiProvider(ci) if ci else None,
                              repo=repo, action=action, install_from=install_from))
    for path in outcome.written:
        click.echo(f"wrote {path}")
    click.echo(f"next: edit the files, then run: trondocs validate -i {directory}")
    raise SystemExit(outcome.exit_code)


COMMANDS = [validate, schema, init]

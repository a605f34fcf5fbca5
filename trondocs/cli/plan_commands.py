"""validate, schema, init: commands about the declared plan."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from trondocs.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    handles_user_errors,
    inventory_option,
    load,
    print_diagnostics,
)


@click.command()
@inventory_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 2).")
@handles_user_errors
def validate(inventory: Path, strict: bool) -> None:
    """Check the declared plan: types, names, references, dependencies, waivers.

    Every problem is reported at once, as FILE:LINE:COLUMN with a hint. Exit 0 when
    the plan is valid, 2 when it is not (or, with --strict, when it has warnings).

    \b
    Examples:
      trondocs validate                      the plan in ./inventory
      trondocs validate -i ops/dr --strict   fail on warnings too (CI)
    """
    from trondocs.plan.checks import plan_summary

    loaded = load(inventory)
    print_diagnostics(loaded.warnings)
    click.echo(f"{inventory}: valid — {plan_summary(loaded.plan)}"
               + (f", {len(loaded.warnings)} warning(s)" if loaded.warnings else ""))
    raise SystemExit(EXIT_USAGE if strict and loaded.warnings else EXIT_OK)


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write to this file instead of standard output.")
@handles_user_errors
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a plan file.

    Point your editor at it for completion and checks while you type, e.g. with
    yaml-language-server add this first line to each plan file:

    \b
      # yaml-language-server: $schema=../trondocs-plan.schema.json

    \b
    Example:
      trondocs schema -o trondocs-plan.schema.json
    """
    from trondocs.plan.schema import plan_json_schema

    text = json.dumps(plan_json_schema(), indent=2) + "\n"
    if output:
        from trondocs.fsutil import write_atomic

        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--ci", type=click.Choice(["github"]), help="Also write CI workflows (GitHub Actions).")
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
    from trondocs.starter.github import write_workflows
    from trondocs.starter.inventory import write_starter

    written = write_starter(directory, force=force)
    if ci == "github":
        inventory = os.path.relpath(directory.resolve(), repo.resolve())
        if inventory.startswith(".."):
            raise click.UsageError(f"{directory} is not inside the repository {repo}; pass --repo")
        written += write_workflows(repo, inventory=inventory, action=action, install_from=install_from)
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"next: edit the files, then run: trondocs validate -i {directory}")


COMMANDS = [validate, schema, init]

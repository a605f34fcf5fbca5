"""drift, rules: compare the plan with what exists; list the rules that do it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trondocs.cli import choices
from trondocs.cli.common import (
    handles_user_errors,
    inventory_option,
    parse_as_of,
    print_diagnostics,
    quiet,
    usage_error,
)
from trondocs.compliance import FRAMEWORKS


@click.command()
@inventory_option
@click.option("--state", type=click.Path(path_type=Path), metavar="FILE",
              help="Saved state (state.json[.gz]). Default: collect live from INVENTORY/sources.yaml.")
@click.option("--as-of", "as_of", metavar="TIME",
              help="Judge the state at this time (ISO 8601, a date, or 'now'). "
                   "Default: when it was collected.")
@click.option("--baseline", type=click.Path(path_type=Path), metavar="FILE",
              help="State to report new and resolved findings against. "
                   "Default: the previous snapshot in --history, if any.")
@click.option("--history", type=click.Path(path_type=Path), default=Path("evidence"), show_default=True,
              help="Evidence history folder the default baseline comes from.")
@click.option("--no-baseline", is_flag=True, help="Do not compare with any earlier snapshot.")
@click.option("-f", "--format", "formats", multiple=True, type=choices.DRIFT_FORMAT,
              help="Output format. Repeatable, each with its own file: "
                   "--format sarif=drift.sarif. Default: text on standard output.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="File for the one --format given without '=FILE' (written atomically).")
@click.option("--fail-on", type=choices.FAIL_ON, default="high", show_default=True,
              help="Exit 1 when a finding at or above this severity fails; 'never' always exits 0.")
@click.option("--color", type=choices.COLOR, default=choices.ColorMode.AUTO.value, show_default=True,
              help="Colour the text table (auto: when standard output is a terminal and NO_COLOR is unset).")
@click.option("--repo-root", type=click.Path(path_type=Path, file_okay=False), metavar="DIR",
              help="Plan paths in SARIF/GitHub/JSON are relative to this. Default: the git work tree.")
@click.option("--rule", "rules", multiple=True, metavar="ID",
              help="Only this rule's findings (repeatable); summary, verdict and exit code "
                   "follow the selection.")
@click.option("--skip-rule", "skip_rules", multiple=True, metavar="ID",
              help="Leave this rule out (repeatable).")
@click.option("--severity", type=choices.SEVERITY,
              help="Only findings at or above this severity.")
@click.option("--node", "nodes", multiple=True, metavar="NAME",
              help="Only findings about this node (repeatable).")
@click.option("--compliance", type=click.Choice(sorted(FRAMEWORKS)), metavar="FRAMEWORK",
              help="Also list the controls of FRAMEWORK the rules evidence, each with its status: "
                   + ", ".join(sorted(FRAMEWORKS)) + ".")
@handles_user_errors
def drift(inventory: Path, state: Path | None, as_of: str | None, baseline: Path | None, history: Path,
          no_baseline: bool, formats: tuple[str, ...], output: Path | None, fail_on: str, color: str,
          repo_root: Path | None, rules: tuple[str, ...], skip_rules: tuple[str, ...], severity: str | None,
          nodes: tuple[str, ...], compliance: str | None) -> None:
    """Compare the declared plan with the state and report the drift.

    \b
    Exit codes:
      0  nothing fails at or above --fail-on, and the evidence is complete
      1  a finding at or above --fail-on fails
      2  usage or plan error (nothing judged)
      3  nothing fails at the threshold, but some evidence is missing (UNKNOWN findings)

    \b
    A pull request check, for example:
      trondocs drift -i inventory --state state.json --format markdown=drift.md \\
        --format sarif=drift.sarif --format github

    \b
    Only some findings, and the controls they evidence:
      trondocs drift --rule TRD503 --node witness-b      one rule, one node
      trondocs drift --severity high --skip-rule TRD901   high and critical, without TRD901
      trondocs drift --compliance iso27001                ISO/IEC 27001:2022 Annex A controls
    """
    from trondocs.evaluate.selection import Selection
    from trondocs.render.drift.common import summary_line
    from trondocs.workflow.drift import DriftRequest, check_rule_ids, parse_fail_on, parse_outputs, run

    if baseline is not None and no_baseline:
        usage_error("give either --baseline FILE or --no-baseline, not both")
    check_rule_ids([*rules, *skip_rules])
    use_color = color == choices.ColorMode.ALWAYS or (
        color == choices.ColorMode.AUTO and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    result = run(DriftRequest(
        inventory=inventory, state=state, as_of=parse_as_of(as_of), baseline=baseline,
        history=None if no_baseline else history, outputs=parse_outputs(formats, output),
        fail_on=parse_fail_on(fail_on), color=use_color, repo_root=repo_root,
        selection=Selection.of(rules=rules, skip_rules=skip_rules, severity=severity, nodes=nodes),
        compliance=compliance))
    print_diagnostics(result.warnings)
    if result.baseline_from and not quiet():
        click.echo(f"baseline: {result.baseline_from}", err=True)
    click.echo(result.stdout, nl=False, color=use_color or None)  # click strips ANSI off a tty otherwise
    for fmt, path in result.written:
        if not quiet():
            click.echo(f"wrote {path} ({fmt})", err=True)
    if not result.stdout and not quiet():
        click.echo(summary_line(result.assessment), err=True)
    raise SystemExit(result.exit_code)


@click.command()
@click.option("-f", "--format", "fmt", type=choices.RULES_FORMAT, default="text",
              show_default=True, help="How to list them.")
@handles_user_errors
def rules(fmt: str) -> None:
    """List the rule catalogue: ID, severity, family and title (markdown/json add rationale and fix).

    \b
    Examples:
      trondocs rules
      trondocs rules -f markdown > RULES.md
    """
    from trondocs.workflow.rules import RulesRequest, run

    outcome = run(RulesRequest(format=fmt))
    click.echo(outcome.text, nl=False)
    raise SystemExit(outcome.exit_code)


COMMANDS = [drift, rules]

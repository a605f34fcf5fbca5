"""drill record / drill watch: DR tests as evidence."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli import choices
from trondocs.cli.common import handles_user_errors, inventory_option
from trondocs.wording import count_noun


@click.group()
def drill() -> None:
    """Record DR tests (drills) as evidence of RTO, or measure one live."""


@drill.command("record")
@inventory_option
@click.option("--plan", "plan_name", metavar="NAME", help="Failover plan that was tested.")
@click.option("--node", metavar="NAME", help="Node that was tested.")
@click.option("--scenario", required=True, help="What was tested, e.g. 'failover to replica'.")
@click.option("--started", required=True, metavar="TIME",
              help="ISO 8601 with time zone, e.g. 2026-11-20T09:00:00Z.")
@click.option("--finished", required=True, metavar="TIME", help="ISO 8601 with time zone.")
@click.option("--result", required=True, type=choices.DRILL_RESULT)
@click.option("--notes", help="What happened, what to improve.")
@click.option("--by", help="Who ran it.")
@handles_user_errors
def record(inventory: Path, plan_name: str | None, node: str | None, scenario: str, started: str,
           finished: str, result: str, notes: str | None, by: str | None) -> None:
    """Append a drill result to the plan's drill log (the file with 'drills:').

    The entry is validated like the rest of the plan: an unknown plan or node, a finish
    before the start or a time without a zone is refused, and nothing is written.

    \b
    Example:
      trondocs drill record --plan "TRON site failover" --scenario "failover to replica" \\
        --started 2026-11-20T09:00:00Z --finished 2026-11-20T09:26:00Z --result success --by "on call"
    """
    from trondocs.workflow.drill import RecordRequest, run_record

    outcome = run_record(RecordRequest(inventory=inventory, scenario=scenario, started=started,
                                       finished=finished, result=result, plan=plan_name, node=node,
                                       notes=notes, by=by))
    click.echo(f"recorded in {outcome.log}: {outcome.drill.scenario} — {outcome.drill.result.value}, "
               f"took {outcome.drill.duration}")
    raise SystemExit(outcome.exit_code)


@drill.command("watch")
@click.argument("node_name", metavar="NODE")
@inventory_option
@click.option("--reference", metavar="URL",
              help="Full node giving the network head (default: the java-tron source's or the plan's "
                   "reference_endpoint, else the highest of the plan's other nodes).")
@click.option("--scenario", default="measured recovery", show_default=True)
@click.option("--plan", "plan_name", metavar="NAME", help="Failover plan being tested, if any.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=2.0, show_default=True,
              help="Seconds between polls.")
@click.option("--timeout", "timeout_text", default="2h", show_default=True,
              help="Give up after this long (15m, 2h, …); the drill is recorded as failed.")
@click.option("--record/--no-record", default=True, show_default=True,
              help="Append the measured drill to the plan's drill log.")
@click.option("--by", help="Who ran it.")
@handles_user_errors
def watch(node_name: str, inventory: Path, reference: str | None, scenario: str, plan_name: str | None,
          interval: float, timeout_text: str, record: bool, by: str | None) -> None:
    """Measure a live recovery of NODE: start it now, then start the recovery.

    Polls the node's java-tron API until it answers and its head block is within the
    node's max_sync_lag of the network, showing blocks behind and blocks/s. The time from
    start to in-sync is the measured RTO; it is recorded in the drill log with its timeline.
    Exit 0 when the node caught up, 1 when the timeout ran out.

    \b
    Example (run it, then start the failover or restore):
      trondocs drill watch witness-b --plan "TRON site failover" --by "on call"
    """
    from trondocs.durations import parse_duration
    from trondocs.workflow.drill import WatchRequest, run_watch

    try:
        timeout = parse_duration(timeout_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--timeout") from None

    def start(node, max_lag: int) -> None:
        click.echo(f"watching {node.name} at {node.endpoint} until within {max_lag} blocks "
                   f"of the network (Ctrl-C to stop)", err=True)

    def show(node, sample, rate) -> None:
        if sample.head is None:
            state = f"not answering ({sample.error})"
        elif sample.behind is None:
            state = f"head {sample.head}, network head unknown"
        else:
            state = f"head {sample.head}, {count_noun(sample.behind, 'block')} behind"
            state += f", {rate:.1f} blocks/s" if rate is not None else ""
        click.echo(f"{sample.at:%H:%M:%S} {node.name}: {state}", err=True)

    outcome = run_watch(WatchRequest(
        node=node_name, inventory=inventory, reference=reference, scenario=scenario, plan=plan_name,
        interval=interval, timeout=timeout, record=record, by=by, on_start=start, on_sample=show))
    click.echo(f"{outcome.node.name}: {outcome.recovery.verdict} — {outcome.recovery.timeline()}")
    if outcome.log is not None:
        click.echo(f"recorded in {outcome.log}")
    raise SystemExit(outcome.exit_code)


COMMANDS = [drill]

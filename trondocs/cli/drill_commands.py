"""drill record / drill watch: DR tests as evidence."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli import choices
from trondocs.cli.common import handles_user_errors, inventory_option, known_rule_ids, load
from trondocs.wording import count_noun
from trondocs.workflow.outcome import ExitCode


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
    from trondocs.plan.drill_log import record_drill

    entry = {"plan": plan_name, "node": node, "scenario": scenario, "started": started,
             "finished": finished, "result": result, "notes": notes, "by": by}
    target, loaded = record_drill(inventory, entry, known_rules=known_rule_ids())
    drill_entry = loaded.plan.drills[-1]
    click.echo(f"recorded in {target}: {drill_entry.scenario} — {drill_entry.result.value}, "
               f"took {drill_entry.duration}")
    raise SystemExit(ExitCode.OK)


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
    from trondocs.durations import format_duration, parse_duration
    from trondocs.plan.drill_log import record_drill
    from trondocs.workflow.drill import http_probes, real_sleep, wall_clock, watch_recovery

    try:
        timeout = parse_duration(timeout_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--timeout") from None
    loaded = load(inventory)
    node = loaded.plan.node(node_name)
    if node is None or not node.endpoint:
        from trondocs.diagnostics import did_you_mean

        names = [n.name for n in loaded.plan.nodes if n.endpoint]
        hint = did_you_mean(node_name, names) or f"nodes with an endpoint: {', '.join(names)}"
        raise click.BadParameter(f"no node '{node_name}' with an endpoint in the plan; {hint}",
                                 param_hint="NODE")
    max_lag = loaded.plan.objectives_for(node).max_sync_lag or 0
    head, network = http_probes(loaded, inventory, node, reference_url=reference)

    def show(sample, rate) -> None:
        if sample.head is None:
            state = f"not answering ({sample.error})"
        elif sample.behind is None:
            state = f"head {sample.head}, network head unknown"
        else:
            state = f"head {sample.head}, {count_noun(sample.behind, 'block')} behind"
            state += f", {rate:.1f} blocks/s" if rate is not None else ""
        click.echo(f"{sample.at:%H:%M:%S} {node.name}: {state}", err=True)

    click.echo(f"watching {node.name} at {node.endpoint} until within {max_lag} blocks "
               f"of the network (Ctrl-C to stop)", err=True)
    recovery = watch_recovery(node.name, head=head, reference=network, max_lag=max_lag,
                              clock=wall_clock, sleep=real_sleep, interval=interval,
                              timeout=timeout, on_sample=show)
    verdict = (f"in sync after {format_duration(recovery.rto)}" if recovery.succeeded
               else "did not catch up")
    click.echo(f"{node.name}: {verdict} — {recovery.timeline()}")
    if record:
        finished = recovery.caught_up or recovery.samples[-1].at
        target, _ = record_drill(inventory, {
            "node": node.name, "plan": plan_name, "scenario": scenario,
            "started": recovery.started, "finished": finished, "caught_up": recovery.caught_up,
            "result": "success" if recovery.succeeded else "failed",
            "notes": recovery.timeline(), "by": by}, known_rules=known_rule_ids())
        click.echo(f"recorded in {target}")
    raise SystemExit(ExitCode.OK if recovery.succeeded else ExitCode.FINDINGS)


COMMANDS = [drill]

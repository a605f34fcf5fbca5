"""drill record / drill watch: DR tests as evidence."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli.common import EXIT_OK, handles_user_errors, inventory_option, known_rule_ids


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
@click.option("--result", required=True, type=click.Choice(["success", "partial", "failed"]))
@click.option("--notes", help="What happened, what to improve.")
@click.option("--by", help="Who ran it.")
@handles_user_errors
def record(inventory: Path, plan_name: str | None, node: str | None, scenario: str, started: str,
           finished: str, result: str, notes: str | None, by: str | None) -> None:
    """Append a drill result to the plan's drill log (the file with 'drills:').

    The entry is validated like the rest of the plan: an unknown plan or node, a finish
    before the start or a time without a zone is refused, and nothing is written.
    """
    from trondocs.plan.drill_log import record_drill

    entry = {"plan": plan_name, "node": node, "scenario": scenario, "started": started,
             "finished": finished, "result": result, "notes": notes, "by": by}
    target, loaded = record_drill(inventory, entry, known_rules=known_rule_ids())
    drill_entry = loaded.plan.drills[-1]
    click.echo(f"recorded in {target}: {drill_entry.scenario} — {drill_entry.result.value}, "
               f"took {drill_entry.duration}")
    raise SystemExit(EXIT_OK)


COMMANDS = [drill]

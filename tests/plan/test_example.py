"""The bundled example plan loads, and says what the README says it says."""

from __future__ import annotations

import datetime as dt

from trondocs.plan import load_plan
from trondocs.plan.models import NodeRole


def test_example_inventory_is_valid(example_inventory):
    loaded = load_plan(example_inventory, today=dt.date(2026, 11, 1))
    plan = loaded.plan
    assert plan.organization.name == "Carpathian Nodes"
    assert [n.name for n in plan.witnesses()] == ["witness-a", "witness-b"]
    assert plan.node("solidity-01").depends_on == ["full-01"]
    assert plan.node("full-aws-01").role is NodeRole.FULL
    witness = plan.objectives_for(plan.node("witness-a"))
    assert witness.rpo == dt.timedelta(minutes=15)
    assert witness.rto == dt.timedelta(minutes=30)
    assert plan.objectives.test_every == dt.timedelta(days=60)
    replication = next(p for p in plan.protection if p.kind == "replication")
    assert replication.interval == dt.timedelta(minutes=15)
    assert loaded.warnings == []


def test_validate_command_accepts_the_example(run_cli, example_inventory):
    result = run_cli("validate", "-i", example_inventory)
    assert result.exit_code == 0, result.output
    assert "valid" in result.stdout and "Carpathian Nodes" in result.stdout


def test_the_readme_states_the_failover_figures_trondocs_computes(example_inventory):
    from pathlib import Path

    from trondocs.tron import blocks_at_risk, takeover_seconds

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    shortest, longest = takeover_seconds(3000)
    assert f"{shortest:g}–{longest:g} s with the default 3 s" in readme
    assert f"8 minutes off the network: up to {blocks_at_risk(8 * 60)} blocks" in readme
    plan = load_plan(example_inventory, today=dt.date(2026, 11, 1)).plan
    assert plan.objectives.catch_up == dt.timedelta(minutes=5)  # "syncs in at most 5"
    a, b = plan.witnesses()
    assert a.backup.priority > b.backup.priority and a.backup.members and b.backup.members

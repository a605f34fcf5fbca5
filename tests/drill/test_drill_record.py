"""`trondocs drill record` appends to the plan's drill log, validated like the plan."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from trondocs.plan import load_plan

GOOD = ["--plan", "TRON site failover", "--scenario", "failover to replica",
        "--started", "2026-11-20T09:00:00Z", "--finished", "2026-11-20T09:26:30+00:00",
        "--result", "success", "--by", "Ioana Marin", "--notes", "planned; solidity synced at 09:25"]


@pytest.fixture
def inventory(example_inventory, tmp_path):
    return shutil.copytree(example_inventory, tmp_path / "inventory")


def test_record_appends_and_keeps_comments(run_cli, inventory):
    before = (inventory / "operations.yaml").read_text()
    result = run_cli("drill", "record", "-i", inventory, *GOOD)
    assert result.exit_code == 0, result.output + result.stderr
    after = (inventory / "operations.yaml").read_text()
    assert after.startswith(before.split("waivers:")[0].rstrip("\n"))
    assert "# DR tests we ran" in after and "approved_by: Ioana Marin (CTO)" in after
    drills = load_plan(inventory, today=dt.date(2026, 11, 21)).plan.drills
    assert len(drills) == 3
    newest = drills[-1]
    assert newest.plan == "TRON site failover"
    assert newest.duration == dt.timedelta(minutes=26, seconds=30)
    assert newest.by == "Ioana Marin" and newest.notes.startswith("planned")
    assert "took 0:26:30" in result.stdout


@pytest.mark.parametrize("change, message", [
    (["--plan", "TRON site failovr"], "did you mean 'TRON site failover'?"),
    (["--finished", "2026-11-20T08:00:00Z"], "'finished' is before 'started'"),
    (["--started", "2026-11-20T09:00:00"], "has no time zone"),
    (["--started", "yesterday"], "is not a timestamp"),
])
def test_bad_entries_write_nothing(run_cli, inventory, change, message):
    before = (inventory / "operations.yaml").read_text()
    args = list(GOOD)
    args[args.index(change[0]) + 1] = change[1]
    result = run_cli("drill", "record", "-i", inventory, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "nothing was written" in result.stderr
    assert (inventory / "operations.yaml").read_text() == before


def test_record_creates_a_drill_file_when_the_plan_has_none(run_cli, inventory):
    operations = inventory / "operations.yaml"
    operations.write_text(operations.read_text().split("waivers:")[0].split("drills:")[0]
                          + "waivers:" + operations.read_text().split("waivers:")[1])
    result = run_cli("drill", "record", "-i", inventory, "--node", "witness-b", "--scenario",
                     "standby witness takeover", "--started", "2026-11-20T10:00:00Z",
                     "--finished", "2026-11-20T10:00:22Z", "--result", "success")
    assert result.exit_code == 0, result.stderr
    assert (inventory / "drills.yaml").exists()
    plan = load_plan(inventory, today=dt.date(2026, 11, 21)).plan
    assert [d.node for d in plan.drills] == ["witness-b"]


def test_every_problem_of_an_entry_is_reported_at_once(run_cli, inventory):
    result = run_cli("drill", "record", "-i", inventory, "--node", "witnes-b", "--scenario", "takeover",
                     "--started", "2026-11-20T10:00:00Z", "--finished", "2026-11-20T09:00:00Z",
                     "--result", "success")
    assert result.exit_code == 2
    assert "unknown node 'witnes-b'" in result.stderr and "did you mean 'witness-b'?" in result.stderr
    assert "'finished' is before 'started'" in result.stderr
    assert "2 errors; nothing was written." in result.stderr

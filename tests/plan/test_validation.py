"""Every validation rule, each with a broken copy of the example plan (cases.yaml).

Each case checks the diagnostic's code and level, the exact file:line:column it points
at, and that the message or hint tells how to fix it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from trondocs.diagnostics import Level, PlanError
from trondocs.plan import load_plan

HERE = Path(__file__).parent
CASES = YAML(typ="safe").load((HERE / "cases.yaml").read_text())
TODAY = dt.date(2026, 11, 1)


def broken_copy(example: Path, tmp_path: Path, edit: list[str]) -> Path:
    target = tmp_path / "inventory"
    shutil.copytree(example, target)
    name, old, new = edit
    path = target / name
    text = path.read_text()
    assert old in text, f"case edit does not apply: {old!r} not in {name}"
    path.write_text(text.replace(old, new))
    return target


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_each_rule_reports_where_and_how_to_fix(case, example_inventory, tmp_path, monkeypatch):
    broken_copy(example_inventory, tmp_path, case["edit"])
    monkeypatch.chdir(tmp_path)
    known = set(case["known_rules"]) if "known_rules" in case else None
    expect = case["expect"]
    try:
        loaded = load_plan(Path("inventory"), today=TODAY, known_rules=known)
        diagnostics = loaded.warnings
    except PlanError as exc:
        diagnostics = exc.diagnostics
    matching = [d for d in diagnostics if d.code == expect["code"]]
    assert matching, f"no {expect['code']} among: " + "; ".join(str(d) for d in diagnostics)
    found = matching[0]
    assert found.level is Level(expect["level"])
    assert str(found.location) == "inventory/" + expect["at"], str(found)
    if "hint" in expect:
        assert expect["hint"] in found.hint, str(found)
    if "message" in expect:
        assert expect["message"] in found.message, str(found)
    if expect["level"] == "warning":
        assert not [d for d in diagnostics if d.level is Level.ERROR]


def test_all_errors_are_reported_at_once(example_inventory, tmp_path):
    inventory = broken_copy(example_inventory, tmp_path, CASES[0]["edit"])
    sites = inventory / "sites.yaml"
    sites.write_text(sites.read_text().replace("media: object", "media: objekt"))
    nodes = inventory / "nodes.yaml"
    nodes.write_text(nodes.read_text().replace("rpo: 2h", "rpo: soon"))
    with pytest.raises(PlanError) as caught:
        load_plan(inventory, today=TODAY)
    codes = sorted(d.code for d in caught.value.errors)
    assert codes == ["enum", "extra-forbidden", "value-error"]


def test_validate_command_prints_locations_and_exits_2(run_cli, example_inventory, tmp_path):
    inventory = broken_copy(example_inventory, tmp_path, CASES[0]["edit"])
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "nodes.yaml:33:5: error: unknown key 'depend_on'" in result.stderr
    assert "hint: did you mean 'depends_on'?" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_warnings_fail_only_with_strict(run_cli, example_inventory, tmp_path):
    inventory = broken_copy(example_inventory, tmp_path,
                            ["operations.yaml", "expires: 2027-03-31", "expires: 2020-01-31"])
    relaxed = run_cli("validate", "-i", inventory)
    assert relaxed.exit_code == 0
    assert "warning: waiver of TRD403 for 'full-aws-01' expired on 2020-01-31" in relaxed.stderr
    strict = run_cli("validate", "-i", inventory, "--strict")
    assert strict.exit_code == 2


def test_missing_inventory_is_a_clear_usage_error(run_cli, tmp_path):
    result = run_cli("validate", "-i", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr and "trondocs init" in result.stderr


def test_plan_may_be_one_file(example_inventory, tmp_path):
    merged = "\n".join(p.read_text() for p in sorted(example_inventory.glob("*.yaml"))
                       if p.name != "sources.yaml")
    single = tmp_path / "plan.yaml"
    single.write_text(merged)
    loaded = load_plan(single, today=TODAY)
    assert len(loaded.plan.nodes) == 5
    assert str(loaded.locate("nodes", "solidity-01")).startswith(str(single))


def test_diagnostics_print_one_line_whatever_the_plan_holds(example_inventory, tmp_path, run_cli):
    """A YAML key or a file name with a line break must not write a GitHub workflow command:
    `trondocs validate` runs on pull requests from forks."""
    inventory = tmp_path / "inventory"
    shutil.copytree(example_inventory, inventory)
    with (inventory / "nodes.yaml").open("a") as nodes:
        nodes.write('\n  - name: extra-01\n    role: full\n'
                    '    runs_on: {source: vsphere, vm: x, site: buc-dc1}\n'
                    '    "depend\\n::error title=pwned::key\\r\\n::add-mask::x": [full-01]\n')
    (inventory / "odd\n::error title=pwned::file.yaml").write_text("sitez: []\n")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    lines = result.stderr.split("\n")
    assert not [line for line in lines if line.lstrip().startswith("::")], result.stderr
    assert "\r" not in result.stderr
    assert "unknown key 'depend ::error title=pwned::key ::add-mask::x' in nodes[5]" in result.stderr

"""validate checks the plan and sources.yaml together: every problem at once, by file and line."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from trondocs.collectors.schema import sources_json_schema

ROOT = Path(__file__).resolve().parents[2]
PLACE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning): ", re.M)


def _places(stderr: str) -> list[tuple[str, int, int]]:
    return [(Path(m["file"]).name, int(m["line"]), int(m["col"])) for m in PLACE.finditer(stderr)]


def _demo(tmp_path) -> Path:
    shutil.copytree(ROOT / "inventory", tmp_path / "inventory")
    return tmp_path / "inventory"


def test_a_mistyped_key_in_sources_yaml_fails_validate(run_cli, tmp_path):
    inventory = _demo(tmp_path)
    text = (inventory / "sources.yaml").read_text()
    (inventory / "sources.yaml").write_text(text.replace("    path:", "    paht:", 1))
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "unknown key 'paht'" in result.stderr and "did you mean 'path'?" in result.stderr
    assert "sources.yaml:" in result.stderr


def test_plan_and_sources_problems_arrive_at_once_sorted_by_file_and_line(run_cli, tmp_path):
    inventory = _demo(tmp_path)
    (inventory / "sources.yaml").write_text(
        "sources:\n  - name: j\n    type: java-torn\n  - name: vc\n    type: vsphere\n    hots: x\n")
    nodes = (inventory / "nodes.yaml").read_text()
    (inventory / "nodes.yaml").write_text(nodes.replace("role: witness", "role: wittness", 1))
    sites = (inventory / "sites.yaml").read_text()
    (inventory / "sites.yaml").write_text(sites.replace("media: disk", "media: dsik", 1))
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    places = _places(result.stderr)
    files = {p[0] for p in places}
    assert {"nodes.yaml", "sites.yaml", "sources.yaml"} <= files, result.stderr
    assert places == sorted(places), places
    assert "unknown source type 'java-torn'" in result.stderr
    assert "unknown key 'hots'" in result.stderr
    assert f"{len(places)} errors; nothing was written." in result.stderr


def test_starter_placeholders_are_warnings(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "inv").exit_code == 0
    result = run_cli("validate", "-i", tmp_path / "inv")
    assert result.exit_code == 0
    warned = [line for line in result.stderr.splitlines() if "still the placeholder" in line]
    assert any("'name: My SR'" in line for line in warned), result.stderr
    assert all(": warning: " in line for line in warned)
    assert re.search(r"valid — My SR: .*, \d+ warnings", result.stdout)
    assert run_cli("validate", "-i", tmp_path / "inv", "--strict").exit_code == 2
    # replaced values (and their markers gone): no warnings left
    plan = tmp_path / "inv" / "plan.yaml"
    plan.write_text(re.sub(r"\s*# CHANGE ME.*", "", plan.read_text()))
    clean = run_cli("validate", "-i", tmp_path / "inv", "--strict")
    assert clean.exit_code == 0, clean.stderr


def test_counts_say_one_thing_in_the_singular(run_cli, tmp_path):
    result = run_cli("validate", "-i", ROOT / "inventory")
    assert result.exit_code == 0
    assert "1 failover plan," in result.stdout and "failover plans" not in result.stdout
    assert "1 source" in result.stdout and "1 sources" not in result.stdout


def test_sources_schema_accepts_the_demo_and_the_starter_and_refuses_a_typo(run_cli):
    result = run_cli("schema", "--sources")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json.loads(json.dumps(sources_json_schema()))
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    for path in (ROOT / "inventory" / "sources.yaml", ROOT / "templates" / "init" / "sources.yaml"):
        document = YAML(typ="safe").load(path.read_text())
        assert not list(validator.iter_errors(document)), path
    typo = {"sources": [{"name": "vc", "type": "vsphere", "hots": "x"}]}
    assert list(validator.iter_errors(typo))


def test_init_writes_the_sources_schema_beside_the_plans(run_cli, tmp_path):
    assert run_cli("init", tmp_path / "inv").exit_code == 0
    assert (tmp_path / "inv" / "trondocs-sources.schema.json").exists()
    assert (tmp_path / "inv" / "sources.yaml").read_text().startswith(
        "# yaml-language-server: $schema=trondocs-sources.schema.json")


def test_type_errors_do_not_hold_back_reference_duplicate_and_sources_errors(run_cli, tmp_path):
    """One run names them all: a type error in one node, an unknown site in another, a name
    declared twice, a mistyped sources.yaml key — sorted by file and line, exit 2. The node with
    the type error is left out of the later checks, but references to it are not reported."""
    inventory = _demo(tmp_path)
    nodes = (inventory / "nodes.yaml").read_text()
    nodes = _mistype_witness_a_priority(nodes)
    nodes = nodes.replace("vm: tron-full-01, site: buc-dc1", "vm: tron-full-01, site: buc-dc9")
    nodes = nodes.replace("  - name: full-aws-01", "  - name: witness-b", 1)
    (inventory / "nodes.yaml").write_text(nodes)
    sources = (inventory / "sources.yaml").read_text()
    (inventory / "sources.yaml").write_text(sources.replace("    path:", "    paht:", 1))
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    expected = ["nodes[0].priority: Input should be a valid integer (got str 'first')",
                "unknown site 'buc-dc9'", "node 'witness-b' is declared twice",
                "source 'capture': unknown key 'paht'"]
    for message in expected:
        assert any(message in line for line in errors), (message, result.stderr)
    places = _places(result.stderr)
    assert places == sorted(places), places
    lines = {message: next(p for line, p in zip(errors, places, strict=True) if message in line)
             for message in expected}
    assert lines[expected[0]][:2] == ("nodes.yaml", 6)
    assert lines[expected[1]][:2] == ("nodes.yaml", nodes.splitlines().index(
        next(x for x in nodes.splitlines() if "buc-dc9" in x)) + 1)
    # witness-a (the node with the type error) is still a known name: nothing refers to it in vain
    assert "unknown node 'witness-a'" not in result.stderr
    assert f"{len(errors)} errors; nothing was written." in result.stderr


def test_items_after_a_left_out_one_keep_their_lines(tmp_path, monkeypatch):
    from trondocs.diagnostics import PlanError
    from trondocs.plan import load_plan

    inventory = _demo(tmp_path)
    monkeypatch.chdir(tmp_path)
    nodes = (inventory / "nodes.yaml").read_text()
    nodes = _mistype_witness_a_priority(nodes)
    nodes = nodes.replace("depends_on: [full-01]", "depends_on: [full-00]")
    (inventory / "nodes.yaml").write_text(nodes)
    try:
        load_plan(Path("inventory"))
    except PlanError as exc:
        found = {d.code: d for d in exc.errors}
    else:
        raise AssertionError("the plan should not load")
    line = nodes.splitlines().index("    depends_on: [full-00]") + 1
    assert str(found["unknown-node"].location).startswith(f"inventory/nodes.yaml:{line}:")
    assert set(found) == {"int-type", "unknown-node"}


def _mistype_witness_a_priority(nodes: str) -> str:
    before = "priority: 1\n    description: producing"
    return nodes.replace(before, before.replace("1", "first"))


def test_a_refused_secret_does_not_hold_back_the_entry_s_other_mistakes(run_cli, tmp_path):
    inventory = _demo(tmp_path)
    (inventory / "sources.yaml").write_text(
        "sources:\n  - name: vc\n    type: vsphere\n    host: vc.example\n    password: hunter2\n"
        "    hots: x\n    password_env: not a name\n")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "'password' would put a secret in sources.yaml" in result.stderr
    assert "'password_env' must name an environment variable" in result.stderr
    assert "unknown key 'hots'" in result.stderr and "did you mean 'host'?" in result.stderr
    assert "unknown key 'password'" not in result.stderr  # said once, as a secret
    assert "hunter2" not in result.output + result.stderr and "not a name" not in result.stderr
    places = _places(result.stderr)
    assert [line for _, line, _ in places] == [5, 6, 7]

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

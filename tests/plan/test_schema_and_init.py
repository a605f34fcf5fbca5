"""`trondocs schema` validates the example; `trondocs init` gives a valid starter."""

from __future__ import annotations

import json

import jsonschema
import pytest
from ruamel.yaml import YAML

from trondocs.plan import plan_files


@pytest.fixture(scope="module")
def schema(request):
    from click.testing import CliRunner

    from trondocs.cli import cli

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def _yaml(path):
    # JSON Schema sees YAML as JSON would: dates and timestamps as strings.
    return json.loads(json.dumps(YAML(typ="safe").load(path.read_text()), default=str))


def test_schema_validates_every_example_file(schema, example_inventory):
    validator = jsonschema.Draft202012Validator(schema)
    files = plan_files(example_inventory)
    assert len(files) == 5
    for path in files:
        errors = list(validator.iter_errors(_yaml(path)))
        assert not errors, f"{path.name}: {[e.message for e in errors]}"


def test_schema_rejects_what_the_loader_rejects(schema):
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"nodes": [{"name": "a", "role": "witnes",
                                                   "runs_on": {"source": "vsphere", "vm": "x"}}]}))
    assert list(validator.iter_errors({"sites": [{"name": "a", "role": "dr", "media": "disk", "x": 1}]}))
    assert list(validator.iter_errors({"objectives": {"rpo": "soon"}}))
    assert not list(validator.iter_errors({"objectives": {"rpo": "PT15M", "rto": "30m"}}))


@pytest.mark.parametrize(("name", "valid"), [("witness-a", True), ("full_01.b", True), ("witness a", False),
                                             ("<b>x</b>", False), ("-lead", False), ("x" * 65, False)])
def test_schema_checks_node_names_as_the_plan_does(schema, name, valid):
    node = {"name": name, "role": "full", "runs_on": {"source": "vsphere", "vm": "x"}}
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors({"nodes": [node]}))
    assert (errors == []) is valid


@pytest.mark.parametrize("name", ["cluj\n::error::x", "tab\there", "bell\x07", "rtl\u202eevil", "nel\x85"])
def test_schema_refuses_control_characters_in_names(schema, name):
    validator = jsonschema.Draft202012Validator(schema)
    site = {"name": name, "role": "dr", "media": "disk"}
    assert list(validator.iter_errors({"sites": [site]}))
    assert not list(validator.iter_errors({"sites": [{**site, "name": "Cluj DR"}]}))


def test_schema_to_file(run_cli, tmp_path):
    out = tmp_path / "plan.schema.json"
    result = run_cli("schema", "-o", out)
    assert result.exit_code == 0
    assert json.loads(out.read_text())["title"] == "trondocs plan file"


def test_init_writes_a_valid_starter(run_cli, tmp_path):
    target = tmp_path / "my-sr"
    result = run_cli("init", target)
    assert result.exit_code == 0, result.output
    assert (target / "plan.yaml").exists() and (target / "sources.yaml").exists()
    assert (target / "trondocs-plan.schema.json").exists()
    validated = run_cli("validate", "-i", target)
    assert validated.exit_code == 0, validated.output + validated.stderr
    # valid, but its CHANGE ME placeholders are warnings (so --strict refuses it)
    assert "still the placeholder" in validated.stderr
    assert run_cli("validate", "-i", target, "--strict").exit_code == 2


def test_init_refuses_to_overwrite(run_cli, tmp_path):
    assert run_cli("init", tmp_path).exit_code == 0
    again = run_cli("init", tmp_path)
    assert again.exit_code == 2
    assert "--force" in again.stderr
    assert run_cli("init", tmp_path, "--force").exit_code == 0


def test_init_offers_the_ci_providers_it_has_workflows_for(run_cli, tmp_path):
    from trondocs.workflow.init import CiProvider

    refused = run_cli("init", tmp_path / "inventory", "--ci", "gitlab")
    assert refused.exit_code == 2 and "'github'" in refused.stderr
    assert not (tmp_path / "inventory").exists()
    written = run_cli("init", tmp_path / "inventory", "--ci", CiProvider.GITHUB.value, "--repo", tmp_path)
    assert written.exit_code == 0, written.output
    assert (tmp_path / ".github" / "workflows" / "trondocs-pr.yml").is_file()

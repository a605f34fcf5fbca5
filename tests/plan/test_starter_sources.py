"""The starter sources.yaml (`trondocs init`) is generated from the systems table: one commented
example per external source type, each a valid source once uncommented."""

from __future__ import annotations

import re

from ruamel.yaml import YAML

from trondocs.collectors.registry import source_module
from trondocs.collectors.sources import load_sources
from trondocs.starter.inventory import write_starter
from trondocs.systems import SOURCE_TYPES

EXTERNAL = [row for row in SOURCE_TYPES if row.access is not None]


def _starter(tmp_path) -> str:
    write_starter(tmp_path / "starter")
    return (tmp_path / "starter" / "sources.yaml").read_text(encoding="utf-8")


def _uncommented(text: str) -> str:
    """The examples as an operator enables them: the commented list items taken in."""
    text = text.replace("sources: []", "sources:")
    return re.sub(r"^#  (?=- |  )", "", text, flags=re.MULTILINE)


def test_as_written_it_reads_no_source(tmp_path):
    text = _starter(tmp_path)
    assert "{{" not in text
    assert YAML(typ="safe").load(text) == {"sources": []}
    assert load_sources(tmp_path / "starter") == []


def test_each_external_source_type_has_one_example_that_loads(tmp_path):
    inventory = tmp_path / "enabled"
    inventory.mkdir()
    (inventory / "sources.yaml").write_text(_uncommented(_starter(tmp_path)), encoding="utf-8")
    sources = load_sources(inventory)
    assert [s.config.type for s in sources] == [row.name for row in EXTERNAL]
    assert "snapshot" not in {s.config.type for s in sources}


def test_each_example_names_its_credentials_as_the_collector_reads_them(tmp_path):
    inventory = tmp_path / "enabled"
    inventory.mkdir()
    text = _starter(tmp_path)
    (inventory / "sources.yaml").write_text(_uncommented(text), encoding="utf-8")
    for source, row in zip(load_sources(inventory), EXTERNAL, strict=True):
        fields = source_module(row.name).Config.model_fields
        shown = {c.setting: getattr(source.config, c.setting) for c in row.credentials}
        assert shown == {name: f.default for name, f in fields.items() if name.endswith("_env")}
        assert f"# {row.title}: " in text

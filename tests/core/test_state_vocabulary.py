"""The state's vocabularies are enums: platform, protection system and medium are the plan's, a
source's type is the systems table's, a host's kind the state's own; a state file written before
they were keeps loading to the same values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from trondocs.diagnostics import PlanError
from trondocs.plan.models import Medium, Platform, ProtectionSystem
from trondocs.state.io import dumps_state, load_state
from trondocs.state.models import HostKind
from trondocs.systems import SOURCE_TYPES, SourceType

BUNDLED = Path(__file__).resolve().parents[2] / "examples" / "capture.state.json"


def test_the_bundled_state_loads_to_enum_members_and_writes_back_the_same_text():
    state = load_state(BUNDLED)
    assert {type(a.platform) for a in state.assets} == {Platform}
    assert {type(j.system) for j in state.jobs} == {ProtectionSystem}
    assert {type(p.medium) for p in state.restore_points} <= {Medium, type(None)}
    assert any(p.medium is Medium.CLOUD_SNAPSHOT for p in state.restore_points)
    assert {h.kind for h in state.hosts} == set(HostKind)
    assert {type(s.type) for s in state.collection.sources} == {SourceType}
    assert any(s.type is SourceType.JAVA_TRON for s in state.collection.sources)
    assert dumps_state(state) == BUNDLED.read_text(encoding="utf-8")  # the JSON values did not change


def test_a_platform_outside_the_vocabulary_is_a_clear_state_error(tmp_path):
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    document["assets"][0]["platform"] = "vmware"
    broken = tmp_path / "state.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_state(broken)
    (problem,) = raised.value.diagnostics
    assert problem.location.file == str(broken) and "assets.0.platform" in problem.message
    assert "'vsphere' or 'aws'" in problem.message


def test_the_source_types_are_the_tables_rows():
    assert [t.value for t in SourceType] == [row.name for row in SOURCE_TYPES]
    assert SourceType("veeam-em") is SourceType.VEEAM_EM


def test_a_source_type_outside_the_table_is_a_clear_state_error(tmp_path):
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    document["collection"]["sources"][0]["type"] = "vcenter"
    broken = tmp_path / "state.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        load_state(broken)
    (problem,) = raised.value.diagnostics
    assert "collection.sources.0.type" in problem.message and "'vsphere'" in problem.message

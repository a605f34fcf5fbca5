"""A large state's restore points are validated a part at a time (trondocs.state.io): the same
State as validating the whole file, and the same clear errors when a point is wrong."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from tests.factories import example_state
from trondocs.diagnostics import PlanError
from trondocs.state import io
from trondocs.state.io import dumps_state, load_state, save_state
from trondocs.state.models import RestorePoint, State


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(io, "BYTES_PER_PART", 1_500)  # two or three of the example's points a part


class _CountingParts:
    def __init__(self) -> None:
        self.parts = 0

    def validate_json(self, data: bytes) -> list:
        self.parts += 1
        return TypeAdapter(list[RestorePoint]).validate_json(data)


def test_points_in_parts_give_the_state_the_whole_file_gives(tmp_path: Path, small_parts: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    state = example_state()
    path = tmp_path / "state.json"
    save_state(state, path)
    raw = path.read_bytes()
    counting = _CountingParts()
    monkeypatch.setattr(io, "_POINT_LIST", counting)
    in_parts = io._state_in_parts(raw)
    assert in_parts is not None  # the layout dumps_state writes is read in parts
    assert counting.parts > 10
    whole = State.model_validate_json(raw)
    assert in_parts == whole == state
    assert in_parts.model_fields_set == whole.model_fields_set
    assert dumps_state(load_state(path)) == dumps_state(state)


def test_gzip_state_is_read_in_parts_too(tmp_path: Path, small_parts: None) -> None:
    state = example_state()
    path = tmp_path / "state.json.gz"
    save_state(state, path)
    assert load_state(path) == state


def test_other_layouts_are_validated_whole(tmp_path: Path, small_parts: None) -> None:
    state = example_state()
    compact = tmp_path / "compact.json"
    compact.write_text(state.model_dump_json(), encoding="utf-8")
    assert io._state_in_parts(compact.read_bytes()) is None
    assert load_state(compact) == state


def test_a_bad_point_in_a_later_part_is_named(tmp_path: Path, small_parts: None) -> None:
    state = example_state()
    document = json.loads(dumps_state(state))
    bad = len(document["restore_points"]) - 1  # in the last part
    document["restore_points"][bad]["created"] = "yesterday"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_state(path)
    message = str(caught.value)
    assert str(path) in message
    assert f"restore_points.{bad}.created" in message


def test_a_second_points_key_is_left_to_the_whole_file(tmp_path: Path, small_parts: None) -> None:
    state = example_state()
    text = dumps_state(state).replace('\n  "assets": [', '\n  "restore_points": [],\n  "assets": [', 1)
    assert io._state_in_parts(text.encode()) is None


def test_the_state_file_bytes_are_dumps_state_encoded(tmp_path: Path) -> None:
    """The site, the PDF's evidence and ``save_state`` take the bytes straight from pydantic's
    serialiser; they must stay the text ``dumps_state`` gives, encoded (verify hashes them)."""
    state = example_state()
    sources = [s.model_copy(update={"name": f"{s.name}-größe"}) for s in state.collection.sources]
    state = state.model_copy(update={"collection": state.collection.model_copy(update={"sources": sources})})
    assert io.state_json_bytes(state) == dumps_state(state).encode()
    save_state(state, tmp_path / "state.json")
    assert (tmp_path / "state.json").read_bytes() == dumps_state(state).encode()
    save_state(state, tmp_path / "state.json.gz")
    assert load_state(tmp_path / "state.json.gz") == state


def test_loaded_points_are_slotted_and_equal_to_the_careful_path(tmp_path: Path, small_parts: None) -> None:
    """The fast load gives the points the careful path (dict tree, whole validation) gives, as
    slotted dataclasses (no per-point dict: the bulk of a large state's memory), in UTC; saving
    them again writes the same bytes."""
    state = example_state()
    path = tmp_path / "state.json"
    save_state(state, path)
    loaded = load_state(path)
    careful = State.model_validate_json(json.dumps(json.loads(path.read_bytes())))
    assert loaded.restore_points == careful.restore_points == state.restore_points
    assert loaded == careful == state
    assert not any(hasattr(p, "__dict__") for p in loaded.restore_points)
    assert all(p.created.tzinfo is dt.UTC for p in loaded.restore_points)
    save_state(loaded, tmp_path / "again.json")
    assert (tmp_path / "again.json").read_bytes() == path.read_bytes()


def test_point_times_in_another_zone_load_as_utc_and_naive_ones_are_refused(tmp_path: Path,
                                                                           small_parts: None) -> None:
    state = example_state()
    document = json.loads(dumps_state(state))
    first = document["restore_points"][0]
    created = dt.datetime.fromisoformat(first["created"])
    first["created"] = created.astimezone(dt.timezone(dt.timedelta(hours=2))).isoformat()
    path = tmp_path / "state.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    point = load_state(path).restore_points[0]
    assert point.created == created and point.created.tzinfo is dt.UTC
    assert point == state.restore_points[0]
    first["created"] = created.replace(tzinfo=None).isoformat()
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_state(path)
    assert str(path) in str(caught.value) and "restore_points.0.created" in str(caught.value)

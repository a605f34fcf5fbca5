"""The Assessment's many small models share their sets of given field names (trondocs.sharing):
a large estate has hundreds of thousands of them, and a set each was a third of their memory.
Sharing must not let a copy with changes alter its peers. Restore points, the bulk of a state,
need none: a slotted dataclass holds no such set (nor a dict) at all."""

from __future__ import annotations

from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Change


def _models(assessment):
    for node in assessment.nodes:
        yield node
        yield from node.attribution.jobs
        if node.rpo is not None:
            yield from node.rpo.per_protection
        if node.copies is not None:
            yield from node.copies.copies
    yield from assessment.findings


def test_models_with_the_same_given_fields_share_one_set(loaded):
    assessment = evaluate(loaded, example_state(), as_of=AS_OF)
    sets: dict[tuple[type, frozenset[str]], set[str]] = {}
    compared = 0
    for model in _models(assessment):
        given = model.__pydantic_fields_set__
        first = sets.setdefault((type(model), frozenset(given)), given)
        assert first is given, f"{type(model).__name__} has its own set of given fields"
        compared += 1
    assert compared > 100 and len(sets) < compared / 5


def test_a_copy_with_changes_leaves_its_peers_alone(loaded):
    findings = evaluate(loaded, example_state(), as_of=AS_OF).findings
    a, b = findings[0], findings[1]
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    changed = a.model_copy(update={"change": Change.NEW})
    assert "change" in changed.__pydantic_fields_set__
    assert "change" not in a.__pydantic_fields_set__ and "change" not in b.__pydantic_fields_set__


def test_restore_points_hold_neither_a_dict_nor_a_set_of_given_fields():
    """The bulk of a large state: a slotted dataclass, its values and nothing else per point."""
    point = example_state().restore_points[0]
    assert not hasattr(point, "__dict__")
    assert not hasattr(point, "__pydantic_fields_set__")


def test_the_points_a_node_lists_hold_neither_a_dict_nor_a_set_of_given_fields(loaded):
    """Ten per node in the Assessment: slotted too."""
    nodes = evaluate(loaded, example_state(), as_of=AS_OF).nodes
    listed = [p for node in nodes for p in node.attribution.recent_points]
    assert listed
    assert not any(hasattr(p, "__dict__") or hasattr(p, "__pydantic_fields_set__") for p in listed)

"""make_finding builds the Finding pydantic's validation would, without validating again.

Each finding of whole evaluations (the example SR, with its waivers and UNKNOWNs, and a synthetic
estate with EC2 and vSphere nodes) is compared with the validated Finding made from the same
inputs: the same fields, values, value types, given-field set and JSON.
"""

from __future__ import annotations

import enum

import pytest

from bench.estate import AS_OF as BENCH_AS_OF
from bench.estate import synthetic_estate
from tests.factories import AS_OF, example_state
from trondocs.diagnostics import Location
from trondocs.evaluate import engine, evaluate
from trondocs.evaluate.models import AppliedWaiver, Assessment, Change, Finding, Status
from trondocs.evaluate.rules import catalogue
from trondocs.evaluate.rules.base import Result


def _same(fast: Finding, validated: Finding) -> None:
    assert type(fast) is Finding
    assert fast.__dict__ == validated.__dict__
    assert list(fast.__dict__) == list(validated.__dict__)  # field order: what dumps follow
    assert _types(fast.__dict__) == _types(validated.__dict__)
    assert _types(fast.evidence) == _types(validated.evidence)
    assert fast.__pydantic_fields_set__ == validated.__pydantic_fields_set__
    assert fast.__pydantic_extra__ == validated.__pydantic_extra__
    assert fast.__pydantic_private__ == validated.__pydantic_private__
    assert fast == validated
    assert fast.model_dump_json() == validated.model_dump_json()
    assert fast.model_dump_json(exclude_unset=True) == validated.model_dump_json(exclude_unset=True)


def _types(values: dict) -> dict[str, type]:
    return {k: type(v) for k, v in values.items()}


def _compared(monkeypatch, run) -> int:
    """Run ``run`` with every finding built both ways and compared; how many were."""
    compared = []
    fast_path = engine.make_finding

    def both(rule, result, status, location, waiver):
        fast = fast_path(rule, result, status, location, waiver)
        _same(fast, engine.validated_finding(rule, result, status, location, waiver))
        compared.append(fast.status)
        return fast

    monkeypatch.setattr(engine, "make_finding", both)
    run()
    return compared


def test_example_findings_are_the_validated_ones(monkeypatch, loaded):
    statuses = _compared(monkeypatch, lambda: evaluate(loaded, example_state(), as_of=AS_OF))
    assert {Status.PASS, Status.FAIL, Status.UNKNOWN, Status.WAIVED} <= set(statuses)


def test_synthetic_estate_findings_are_the_validated_ones(monkeypatch):
    plan, state = synthetic_estate(20, points_per_node=8, group=5, aws_share=0.2)
    statuses = _compared(monkeypatch, lambda: evaluate(plan, state, as_of=BENCH_AS_OF))
    assert len(statuses) > 20 * 10


def test_assessment_is_the_same_either_way(monkeypatch, loaded):
    fast = evaluate(loaded, example_state(), as_of=AS_OF).model_dump_json()
    monkeypatch.setattr(engine, "make_finding", engine.validated_finding)
    assert evaluate(loaded, example_state(), as_of=AS_OF).model_dump_json() == fast


class _Colour(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize("evidence", [
    {"plain": "x", "count": 3, "ratio": 0.5, "flag": True, "none": None},
    {"colour": _Colour.RED},  # not a plain value: validation decides what it becomes
    {"big": 2**70},
])
@pytest.mark.parametrize("status", [Status.PASS, Status.WAIVED])
def test_any_evidence_gives_the_validated_finding(evidence, status):
    rule = catalogue()[0]
    result = Result(status=Status.FAIL, message="m", node="full-01", subject="s", evidence=evidence)
    location = Location(file="nodes.yaml", line=3, column=5)
    waiver = AppliedWaiver(reason="r", expires="2030-01-01") if status is Status.WAIVED else None
    fast = engine.make_finding(rule, result, status, location, waiver)
    _same(fast, engine.validated_finding(rule, result, status, location, waiver))
    assert fast.evidence is not evidence  # the finding's own dict


def test_a_value_of_another_type_is_validated():
    rule = catalogue()[0]
    result = Result(status=Status.FAIL, message="m", evidence={"bad": object()})
    with pytest.raises(ValueError):
        engine.make_finding(rule, result, Status.FAIL, None, None)


def _validated_assessment(fields: dict, findings: list[Finding]) -> Assessment:
    return Assessment(**fields, findings=findings)


def _same_assessment(fast: Assessment, validated: Assessment) -> None:
    assert list(fast.__dict__) == list(validated.__dict__)
    assert fast.__pydantic_fields_set__ == validated.__pydantic_fields_set__
    assert fast == validated
    assert [f.__pydantic_fields_set__ for f in fast.findings] == [
        f.__pydantic_fields_set__ for f in validated.findings]
    assert fast.model_dump_json() == validated.model_dump_json()
    assert fast.model_dump_json(exclude_unset=True) == validated.model_dump_json(exclude_unset=True)


@pytest.mark.parametrize("estate", ["example", "synthetic"])
def test_assessment_takes_the_findings_as_validation_does(monkeypatch, loaded, estate):
    plan, state, as_of = ((loaded, example_state(), AS_OF) if estate == "example" else
                          (*synthetic_estate(20, points_per_node=8, group=5, aws_share=0.2), BENCH_AS_OF))
    fast = evaluate(plan, state, as_of=as_of)
    monkeypatch.setattr(engine, "assessment_of", _validated_assessment)
    _same_assessment(fast, evaluate(plan, state, as_of=as_of))


def test_findings_of_another_making_are_validated(loaded):
    """A finding that is not a plain Finding with the shared set of given fields (a copy, a
    subclass) goes in as validation makes it."""
    assessment = evaluate(loaded, example_state(), as_of=AS_OF)
    fields = {k: v for k, v in assessment.__dict__.items()
              if k in assessment.model_fields_set and k != "findings"}

    class Subclass(Finding):
        pass

    copied = assessment.findings[0].model_copy(update={"change": Change.NEW})
    other = Subclass(**assessment.findings[1].__dict__)
    for findings in ([copied, *assessment.findings[1:]], [other, *assessment.findings[2:]],
                     assessment.findings):
        fast = engine.assessment_of(fields, findings)
        _same_assessment(fast, _validated_assessment(fields, findings))
        assert fast.findings is not findings  # its own list


@pytest.mark.parametrize("estate", ["example", "synthetic"])
def test_findings_are_in_sort_key_order(loaded, estate):
    """run_rules sorts by keys made from the results: they are the findings' sort_key."""
    plan, state, as_of = ((loaded, example_state(), AS_OF) if estate == "example" else
                          (*synthetic_estate(20, points_per_node=8, group=5, aws_share=0.2), BENCH_AS_OF))
    findings = evaluate(plan, state, as_of=as_of).findings
    assert [id(f) for f in findings] == [id(f) for f in sorted(findings, key=engine.sort_key)]
    assert {f.status for f in findings} >= {Status.PASS, Status.FAIL}

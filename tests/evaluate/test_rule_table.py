"""Table-driven rule tests: on some fixture, every rule gives each status it can give.

The cases live in rule_cases.yaml (plan patch + state operations + expected statuses).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.evaluate.cases import apply_ops, patch_plan, state_for
from tests.factories import AS_OF, example_state
from trondocs.durations import parse_duration
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, Status
from trondocs.evaluate.rules import catalogue

CASES_FILE = Path(__file__).with_name("rule_cases.yaml")


def load_cases() -> dict[str, dict[str, dict]]:
    data = YAML(typ="safe").load(CASES_FILE.read_text())
    return {k: v for k, v in data.items() if not k.startswith("_")}


CASES = load_cases()
PARAMS = [pytest.param(rule, name, case, id=f"{rule}-{name}")
          for rule, cases in CASES.items() for name, case in cases.items()]


def run_case(loaded, case: dict) -> Assessment:
    as_of = case.get("as_of", AS_OF)
    if isinstance(as_of, str):
        as_of = dt.datetime.fromisoformat(as_of.replace("Z", "+00:00"))
    as_of = as_of if as_of.tzinfo else as_of.replace(tzinfo=dt.UTC)
    baseline = None
    if "baseline" in case:
        spec = case["baseline"]
        baseline = apply_ops(example_state(as_of - parse_duration(spec["ago"])), spec.get("state"))
    plan = patch_plan(loaded, case.get("plan"))
    return evaluate(plan, state_for(case.get("state"), as_of), as_of=as_of, baseline=baseline)


def matching(assessment: Assessment, rule: str, key: str):
    node, _, subject = (part.strip() for part in key.partition("@"))
    found = []
    for f in assessment.findings:
        if f.rule != rule:
            continue
        exact = bool(subject) and f.node == node and f.subject == subject
        loose = not subject and (f.node == node or (f.node is None and f.subject == node))
        if exact or loose:
            found.append(f)
    return found


def test_every_rule_has_a_fixture_for_each_status_it_can_give():
    """Each status a rule declares it can give is expected by one of its fixtures (which
    test_rule_case runs), and no fixture expects one it cannot give."""
    assert sorted(CASES) == sorted(r.id for r in catalogue())
    for rule in catalogue():
        expected = {Status(v) for case in CASES[rule.id].values() for v in case["expect"].values()
                    if v != "absent"}
        can_give = set(rule.info.statuses)
        assert expected == can_give, f"{rule.id}: fixtures for {sorted(expected)}, gives {sorted(can_give)}"


@pytest.mark.parametrize(("rule", "name", "case"), PARAMS)
def test_rule_case(loaded, rule, name, case):
    assessment = run_case(loaded, case)
    for key, expected in case["expect"].items():
        found = matching(assessment, rule, key)
        if expected == "absent":
            assert not found, f"{rule} {key}: expected no finding, got {[f.status.value for f in found]}"
            continue
        assert found, f"{rule} {key}: no finding"
        statuses = [(f.status.value, f.message) for f in found]
        assert all(f.status is Status(expected) for f in found), f"{rule} {key}: {statuses}"
        for f in found:
            assert f.message and f.plan_location is not None
            assert f.title and f.remediation
            if f.status is Status.UNKNOWN:
                assert f.message.startswith("evidence missing: ")
            if f.status is Status.WAIVED:
                assert f.waiver is not None and f.waiver.reason

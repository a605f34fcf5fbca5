"""The catalogue is consistent: unique IDs, one family per module, every rule documented and alive."""

from __future__ import annotations

import re

from tests.evaluate.test_rule_table import CASES, run_case
from trondocs.evaluate.models import RuleInfo, Severity
from trondocs.evaluate.rules import FAMILIES, catalogue, rules_of
from trondocs.workflow.inputs import known_rule_ids

FAMILY_OF_HUNDRED = {"1": "identity", "2": "jobs", "3": "rpo", "4": "copies", "5": "failover", "6": "drills",
                     "7": "health", "8": "waivers", "9": "hygiene"}


def test_ids_are_unique_and_well_formed():
    ids = [r.id for r in catalogue()]
    assert ids and len(ids) == len(set(ids))
    assert all(re.fullmatch(r"TRD\d{3}", i) for i in ids)
    assert ids == sorted(ids)
    assert known_rule_ids() == set(ids)  # the loader validates waiver rule IDs against this


def test_family_matches_module():
    seen = set()
    for module in FAMILIES:
        family = module.__name__.rsplit(".", 1)[-1]
        rules = rules_of(module)
        assert rules, f"{module.__name__} declares no rule"
        for rule in rules:
            assert rule.family == family
            assert FAMILY_OF_HUNDRED[rule.id[3]] == family, rule.id
            seen.add(rule.id)
    assert seen == {r.id for r in catalogue()}


def test_every_rule_is_documented():
    for rule in catalogue():
        assert isinstance(rule.severity, Severity)
        assert rule.title and rule.title[0].isupper() and not rule.title.endswith(".")
        assert len(rule.rationale) > 40 and len(rule.remediation) > 20, rule.id
        assert len(rule.doc) > 40, f"{rule.id} has no docstring"
        assert rule.controls, f"{rule.id} names no compliance control it evidences (controls=)"
        assert "\n    " not in rule.rationale  # dedented for display
        info = rule.info
        assert isinstance(info, RuleInfo)
        assert (info.id, info.title, info.family, info.severity) == (rule.id, rule.title, rule.family,
                                                                    rule.severity)


def test_every_rule_produces_a_finding_on_its_failing_fixture(loaded):
    for rule in catalogue():
        assessment = run_case(loaded, CASES[rule.id]["fail"])
        assert any(f.rule == rule.id for f in assessment.findings), rule.id

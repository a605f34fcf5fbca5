"""A PASS is a claim: with any one source failed, no rule passes on evidence it is not monotone in.

Each source of each estate fails in turn (its run failed, none of its objects: the state a
collection writes when that source is down). For every PASS left, the failed source must play
no role for that finding that the rule is not documented as monotone in; and where the rule is
monotone, the PASS must hold with the full evidence too — more data only kept it passing.
"""

from __future__ import annotations

import pytest

from tests.evaluate.cases import example_loaded
from tests.evaluate.truth_estate import AS_OF as TRUTH_AS_OF
from tests.evaluate.truth_estate import estate, failed, load
from tests.factories import AS_OF as EXAMPLE_AS_OF
from tests.factories import example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.coverage import JAVA_TRON, PLATFORM_SOURCE, SYSTEM_SOURCE
from trondocs.evaluate.models import Finding, Needs, Status
from trondocs.evaluate.rules import catalogue
from trondocs.plan.models import Plan

RULES = {r.id: r for r in catalogue()}


def roles(plan: Plan, finding: Finding) -> dict[Needs, set[str]]:
    """The source types playing each role for a finding's subject (as the rules document them)."""
    nodes = [plan.node(finding.node)] if finding.node else []
    systems: set[str] = set()
    if nodes and nodes[0] is not None:
        systems = {SYSTEM_SOURCE[p.system.value] for p in plan.protections_for(nodes[0])}
        if not systems:
            systems = {"veeam" if nodes[0].runs_on.source.value == "vsphere" else "aws"}
    elif (prot := next((p for p in plan.protection if p.name == finding.subject), None)) is not None:
        nodes, systems = [plan.node(n) for n in prot.covers], {SYSTEM_SOURCE[prot.system.value]}
    elif (fplan := next((f for f in plan.failover_plans if f.name == finding.subject), None)) is not None:
        nodes, systems = [plan.node(s.node) for s in fplan.boot], {SYSTEM_SOURCE[fplan.system.value]}
    else:
        nodes = list(plan.nodes)
        systems = {SYSTEM_SOURCE[p.system.value] for p in plan.protection}
    return {
        Needs.PLATFORM: {PLATFORM_SOURCE[n.runs_on.source.value] for n in nodes if n},
        Needs.PROTECTION: systems,
        Needs.JAVA_TRON: {JAVA_TRON},
    }


def estates(tmp_path_factory):
    truth = load(tmp_path_factory.mktemp("truth"))
    yield "truth", truth, estate(), TRUTH_AS_OF
    yield "example", example_loaded(), example_state(), EXAMPLE_AS_OF


def test_no_pass_rests_on_a_failed_source_the_rule_is_not_monotone_in(tmp_path_factory):
    checked = 0
    for name, loaded, state, as_of in estates(tmp_path_factory):
        full = {f.key: f for f in evaluate(loaded, state, as_of=as_of).findings}
        for run in state.collection.sources:
            degraded = evaluate(loaded, failed(state, run.name), as_of=as_of)
            for f in degraded.findings:
                if f.status is not Status.PASS:
                    continue
                rule = RULES[f.rule]
                played = {
                    role
                    for role, types in roles(loaded.plan, f).items()
                    if role in rule.needs and run.type in types
                }
                doubtful = played - rule.monotone_in
                assert not doubtful, (
                    f"{name}: {f.rule} passes for {f.node or f.subject} with "
                    f"'{run.name}' ({run.type}) failed, though not monotone in "
                    f"{sorted(doubtful)}: {f.message}"
                )
                if played:  # monotone there: more data could only keep it passing
                    assert full[f.key].status is Status.PASS, (name, f.rule, f.node, run.name)
                    checked += 1
    assert checked > 20  # the monotone rules were really exercised, not skipped


@pytest.mark.parametrize("rule_id", ["TRD405", "TRD504", "TRD602", "TRD603", "TRD102", "TRD203"])
def test_rules_that_more_data_could_fail_are_documented_so(rule_id):
    rule = RULES[rule_id]
    assert rule.needs and not rule.monotone_in & {Needs.PROTECTION}
    assert rule.info.needs == sorted(rule.needs) and rule.info.monotone_in == sorted(rule.monotone_in)


def test_every_rule_says_what_it_needs():
    for rule in catalogue():
        assert rule.monotone_in <= rule.needs, rule.id
        assert rule.needs or rule.id == "TRD801", f"{rule.id} judges from no source?"

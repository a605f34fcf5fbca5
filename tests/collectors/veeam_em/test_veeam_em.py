"""Failover plans from Veeam Backup Enterprise Manager, end to end: sources.yaml → collect →
TRD501 PASS or FAIL instead of UNKNOWN (issue 14)."""

from __future__ import annotations

import shutil

import pytest

from tests.evaluate.cases import example_loaded, state_for
from tests.factories import AS_OF
from tests.fakes.veeam_em_server import FakeEnterpriseManager
from trondocs.collectors import veeam_em
from trondocs.collectors.base import CollectContext, SourceError
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource, load_sources
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.state.io import load_state

USER, PASSWORD = "BUC\\em-reader", "em pass"
ENV = {"TRONDOCS_VEEAM_EM_USER": USER, "TRONDOCS_VEEAM_EM_PASSWORD": PASSWORD}
AS_PLANNED = {"TRON site failover": [("tron-full-01", 1, 120), ("tron-solidity-01", 2, 0)]}


def config(fake, **extra) -> veeam_em.Config:
    return veeam_em.Config(name="em", url=fake.url, retries=0, **extra)


def trd501(state_em) -> tuple[Status, str]:
    """TRD501 for the example plan, with the example estate plus what Enterprise Manager said."""
    base = state_for()
    collection = base.collection.model_copy(
        update={"sources": [*base.collection.sources, *state_em.collection.sources]})
    state = base.model_copy(update={"collection": collection, "failover_plans": state_em.failover_plans})
    assessment = evaluate(example_loaded(), state, as_of=AS_OF)
    [finding] = [f for f in assessment.findings if f.rule == "TRD501"]
    return finding.status, finding.message


def test_without_enterprise_manager_trd501_cannot_judge():
    status, message = trd501(state_for().model_copy(update={"failover_plans": []}))
    assert status is Status.UNKNOWN and "add a veeam-em source" in message


def test_plans_are_read_with_members_order_and_delays():
    with FakeEnterpriseManager({"TRON site failover": [("tron-solidity-01", 2, 0), ("tron-full-01", 1, 120)]},
                               username=USER, password=PASSWORD) as fake:
        out = veeam_em.collect(config(fake), CollectContext(env=ENV))
        assert [s.ok for s in out.scopes] == [True]
        [plan] = out.failover_plans
        assert plan.name == "TRON site failover" and plan.source == "em"
        assert [(s.asset_name, s.delay.total_seconds()) for s in plan.steps] == [
            ("tron-full-01", 120), ("tron-solidity-01", 0)]  # by BootOrder, not list order
        assert fake.logons == 1 and fake.logoffs == 1  # the session was closed
        assert [m for m, _p, _s in fake.hits] == ["POST", "GET", "GET", "DELETE"]


def test_trd501_passes_when_enterprise_manager_has_the_plan_as_declared(tmp_path):
    with FakeEnterpriseManager(AS_PLANNED, username=USER, password=PASSWORD) as fake:
        (tmp_path / "sources.yaml").write_text(
            f"sources:\n  - {{name: em, type: veeam-em, url: {fake.url}, retries: 0}}\n")
        state = collect_state(load_sources(tmp_path), CollectContext(env=ENV))
    assert state.collection.sources[0].ok
    status, message = trd501(state)
    assert status is Status.PASS
    assert message == "failover plan 'TRON site failover' matches: full-01 → solidity-01"


@pytest.mark.parametrize(("members", "why"), [
    ([("tron-solidity-01", 1, 0), ("tron-full-01", 2, 120)], "order solidity-01 → full-01"),
    ([("tron-full-01", 1, 30), ("tron-solidity-01", 2, 0)], "delay after full-01 is 30s, planned 2m"),
    ([("tron-full-01", 1, 120)], "missing solidity-01"),
])
def test_trd501_fails_when_the_plan_in_enterprise_manager_differs(members, why):
    with FakeEnterpriseManager({"TRON site failover": members}, username=USER, password=PASSWORD) as fake:
        state = collect_state([ConfiguredSource(config(fake))], CollectContext(env=ENV))
    status, message = trd501(state)
    assert status is Status.FAIL and why in message, message


def test_a_plan_missing_from_enterprise_manager_fails_and_a_failed_source_is_unknown():
    with FakeEnterpriseManager({"Other plan": [("vm-x", 1, 0)]}, username=USER, password=PASSWORD) as fake:
        state = collect_state([ConfiguredSource(config(fake))], CollectContext(env=ENV))
    assert trd501(state) == (Status.FAIL, "veeam has no failover plan named 'TRON site failover'")
    with FakeEnterpriseManager(AS_PLANNED, username=USER, password="wrong") as fake:
        state = collect_state([ConfiguredSource(config(fake))], CollectContext(env=ENV))
    status, message = trd501(state)
    assert status is Status.UNKNOWN and "logon refused (HTTP 401)" in message


def test_members_under_an_unknown_name_fail_the_scope_not_an_empty_plan():
    with FakeEnterpriseManager(AS_PLANNED, username=USER, password=PASSWORD, members_key="Vms") as fake:
        out = veeam_em.collect(config(fake), CollectContext(env=ENV))
    assert out.failover_plans == [] and not out.scopes[0].ok
    assert "lists no members this reader knows" in out.scopes[0].error


def test_missing_credentials_name_the_variable():
    with FakeEnterpriseManager(AS_PLANNED) as fake, pytest.raises(SourceError,
                                                                  match="TRONDOCS_VEEAM_EM_USER"):
        veeam_em.collect(config(fake), CollectContext(env={}))


def test_the_collect_command_reads_enterprise_manager(tmp_path, example_inventory, run_cli):
    inventory = tmp_path / "inventory"
    shutil.copytree(example_inventory, inventory)
    with FakeEnterpriseManager(AS_PLANNED, username=USER, password=PASSWORD) as fake:
        (inventory / "sources.yaml").write_text(
            f"sources:\n  - {{name: em, type: veeam-em, url: {fake.url}, retries: 0}}\n")
        result = run_cli("collect", "-i", inventory, "-o", tmp_path / "s.json", "--no-history", env=ENV)
    assert result.exit_code == 0, result.output
    assert [p.name for p in load_state(tmp_path / "s.json").failover_plans] == ["TRON site failover"]
    assert PASSWORD not in result.output

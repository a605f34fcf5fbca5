"""Unreachable and booting nodes, node selection, and the java-tron source in a whole run."""

from __future__ import annotations

import pytest

from tests.collectors.javatron.estate import HEAD, SR, config, plan
from tests.collectors.runs import source_run
from trondocs.collectors import javatron
from trondocs.collectors.base import CollectContext, SourceError
from trondocs.collectors.connection import INSECURE_WARNING
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource, load_sources
from trondocs.state.models import ScopeRun


def test_an_unreachable_node_fails_its_scope_and_the_others_are_collected(lab):
    witness, full = lab.node(backup=(10001, 1, 10)), lab.node()
    dead = lab.node()
    dead.stop()
    host = dead.full_url.removeprefix("http://")
    endpoints = {"witness-a": witness.full_url, "full-01": full.full_url, "full-aws-01": dead.full_url}
    state = collect_state([ConfiguredSource(config())], lab.context(plan(endpoints)))
    [run] = state.collection.sources
    error = f"java-tron: cannot reach {host}: connection refused"
    assert (run.name, run.type, run.ok, run.error) == (
        "tron-nodes", "java-tron", False, f"full-aws-01: {error}")
    assert run.scopes == [ScopeRun(scope="witness-a", ok=True), ScopeRun(scope="full-01", ok=True),
                          ScopeRun(scope="full-aws-01", ok=False, error=error),
                          ScopeRun(scope="witness", ok=True)]
    down = state.node_status[2]
    assert (down.node, down.reachable, down.error, down.head_block, down.lag_blocks, down.endpoint) == (
        "full-aws-01", False, error, None, None, dead.full_url)
    assert [(s.node, s.reachable, s.head_block, s.lag_blocks) for s in state.node_status[:2]] == [
        ("witness-a", True, HEAD, 0), ("full-01", True, HEAD, 0)]
    assert state.witness is not None and state.witness.address == SR
    assert run.objects == 3 and not state.collection.complete


def test_a_stopped_node_that_starts_again_is_read_again(lab):
    node = lab.node()
    node.stop()
    target = plan({"full-01": node.full_url})
    assert javatron.collect(config(), lab.context(target)).node_status[0].reachable is False
    node.start()
    status = javatron.collect(config(), lab.context(target)).node_status[0]
    assert (status.reachable, status.head_block, status.error) == (True, HEAD, None)


def test_a_booting_node_refuses_then_catches_up_to_the_network(lab):
    """What a failover drill watches: the standby boots, catches up, and is in sync."""
    steady, standby = lab.node(), lab.node()
    standby.boot(down_for=60, rate=5, from_block=HEAD - 1000)
    target = plan({"witness-a": steady.full_url, "witness-b": standby.full_url})

    def standby_status():
        out = javatron.collect(config(), lab.context(target))
        return out.node_status[1], out.scopes[1]

    status, scope = standby_status()
    assert (status.reachable, status.error, status.head_block) == (
        False, f"java-tron: cannot reach {standby.full_url.removeprefix('http://')}: connection closed "
        "without an answer", None)
    assert not scope.ok
    lab.clock.advance(80)  # up for 20 s: 100 blocks caught up, the network moved 26
    status, scope = standby_status()
    assert (status.reachable, status.head_block, status.reference_head, status.lag_blocks, scope.ok) == (
        True, HEAD - 900, HEAD + 26, 926, True)
    lab.clock.advance(300)  # far more than it needs: it follows the network head again
    status, _ = standby_status()
    assert (status.head_block, status.lag_blocks, status.lag_seconds) == (HEAD + 126, 0, 0.0)


def test_a_booting_node_may_answer_503_instead(lab):
    node = lab.node()
    node.boot(down_for=10, rate=100, from_block=HEAD - 50, mode="503")
    out = javatron.collect(config(), lab.context(plan({"full-01": node.full_url})))
    assert (out.node_status[0].reachable, out.node_status[0].error) == (
        True, "/wallet/getnowblock answered HTTP 503")
    requests_sent = [p for _a, _m, p, _q in node.seen]
    assert requests_sent[:2] == ["/wallet/getnowblock", "/wallet/getnowblock"]  # retried once


def test_only_the_chosen_nodes_are_read(lab):
    a, b = lab.node(), lab.node()
    target = plan({"full-01": a.full_url, "full-aws-01": b.full_url})
    out = javatron.collect(config(nodes=["full-aws-01"]), lab.context(target))
    assert [s.node for s in out.node_status] == ["full-aws-01"]
    assert a.seen == []


def test_unknown_node_names_and_a_missing_plan_are_one_line_errors(lab):
    node = lab.node()
    target = plan({"full-01": node.full_url})
    unknown = r"^tron-nodes: nodes full-99 are not in the plan \(plan nodes: full-01\)$"
    with pytest.raises(SourceError, match=unknown):
        javatron.collect(config(nodes=["full-99"]), lab.context(target))
    with pytest.raises(SourceError, match="no plan was loaded"):
        javatron.collect(config(), CollectContext())


def test_sources_yaml_declares_a_java_tron_source(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - name: tron-nodes\n"
        "    type: java-tron\n"
        "    reference_endpoint: https://api.trongrid.io/\n"
        "    nodes: [witness-a, full-01]\n"
        "    sr_address: 4182b9582cb2431f65e5eac2b808f8899208c4b851\n"
    )
    [source] = load_sources(tmp_path)
    assert (source.config.reference_endpoint, source.config.nodes, source.config.sr_address) == (
        "https://api.trongrid.io", ["witness-a", "full-01"], SR)


def test_insecure_is_warned_on_every_run(lab):
    node = lab.node()
    run = source_run(config(insecure=True), lab.context(plan({"full-01": node.full_url})))
    assert run.ok and run.warnings == [INSECURE_WARNING]

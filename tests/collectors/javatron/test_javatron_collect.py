"""The java-tron collector against fake nodes: sync lag, solidity, peers, backup mode, witness."""

from __future__ import annotations

import datetime as dt

from tests.collectors.javatron.estate import HEAD, NOW, SR, block_time, config, plan
from trondocs.collectors import javatron
from trondocs.state.models import BackupMode, LagBasis, NodeStatus, ScopeRun, WitnessRecord


def _status(node, endpoint, head, *, solidity, lag, lag_seconds=None, head_time="block", backup=(10001, 0, 8),
            begin_sync=None, peers=30, master=None) -> NodeStatus:
    return NodeStatus(
        source="tron-nodes", node=node, endpoint=endpoint, reachable=True, checked=NOW, head_block=head,
        head_time=block_time(head) if head_time == "block" else head_time, solidity_block=solidity,
        peers=peers, begin_sync=head if begin_sync is None else begin_sync, version="4.8.1",
        reference_head=HEAD, lag_blocks=lag, lag_seconds=3.0 * lag if lag_seconds is None else lag_seconds,
        lag_basis=LagBasis.OWN_NODES,
        backup=BackupMode(listen_port=backup[0], member_size=backup[1], priority=backup[2], master=master),
    )


def test_synced_lagging_and_solidity_nodes_and_the_witness_record(lab):
    witness_a = lab.node(backup=(10001, 1, 10))
    witness_b = lab.node(backup=(10001, 1, 8), peers=27, backup_status="SLAVER")
    full = lab.node(solidity_lag=19)  # its solidity API (8091) is solidity-01's endpoint
    aws = lab.node(lag=50)
    endpoints = {"witness-a": witness_a.full_url, "witness-b": witness_b.full_url, "full-01": full.full_url,
                 "solidity-01": full.solidity_url, "full-aws-01": aws.full_url}
    out = javatron.collect(config(), lab.context(plan(endpoints)))
    assert out.node_status == [
        _status("witness-a", witness_a.full_url, HEAD, solidity=HEAD - 19, lag=0, backup=(10001, 1, 10),
                master=True),
        _status("witness-b", witness_b.full_url, HEAD, solidity=HEAD - 19, lag=0, backup=(10001, 1, 8),
                peers=27, master=False),
        _status("full-01", full.full_url, HEAD, solidity=HEAD - 19, lag=0),
        # The solidity API serves confirmed blocks: 19 behind the full node it runs beside.
        _status("solidity-01", full.solidity_url, HEAD, solidity=HEAD - 19, lag=0, head_time=None),
        _status("full-aws-01", aws.full_url, HEAD - 50, solidity=HEAD - 69, lag=50),
    ]
    assert out.scopes == [ScopeRun(scope=name, ok=True) for name in [*endpoints, "witness"]]
    assert out.witness == WitnessRecord(address=SR, produced=412_332, missed=17, latest_block=HEAD - 11,
                                        latest_slot=HEAD - 4, is_jobs=True, votes=1_204_556_001,
                                        rank=1, head_slot=HEAD + 4)
    assert out.warnings == []
    # Solidity nodes are asked on their solidity API only; nothing but reads was sent.
    assert {path for api, _m, path, _p in full.seen if api == "solidity"} == {
        "/walletsolidity/getnowblock", "/walletsolidity/getnodeinfo"}
    assert {method for node in lab.nodes for _a, method, _p, _q in node.seen} == {"GET"}
    witness_queries = [(n is witness_a, q) for n in lab.nodes for _a, _m, p, q in n.seen
                       if p.endswith("listwitnesses")]
    assert witness_queries == [(True, {"visible": "true"})]  # asked once, of the first node
    assert out.api_calls == sum(len(node.seen) for node in lab.nodes)


def test_reference_endpoint_gives_the_network_head(lab):
    public = lab.node()
    ours = lab.node(lag=7)
    lab.clock.advance(30)  # ten blocks later for everybody
    out = javatron.collect(config(reference_endpoint=public.full_url + "/"),
                           lab.context(plan({"full-01": ours.full_url})))
    [status] = out.node_status
    assert (status.reference_head, status.head_block, status.lag_blocks, status.lag_seconds) == (
        HEAD + 10, HEAD + 3, 7, 21.0)
    assert status.checked == NOW + dt.timedelta(seconds=30)
    assert out.scopes == [ScopeRun(scope="reference", ok=True), ScopeRun(scope="full-01", ok=True),
                          ScopeRun(scope="witness", ok=True)]
    # The witness list came from the public node, asked first.
    assert [p for _a, _m, p, _q in public.seen] == ["/wallet/getnowblock", "/wallet/listwitnesses"]


def test_unreachable_reference_falls_back_to_our_highest_node(lab):
    ours, behind = lab.node(), lab.node(lag=4)
    gone = lab.node()
    gone.stop()
    out = javatron.collect(config(reference_endpoint=gone.full_url),
                           lab.context(plan({"full-01": ours.full_url, "full-aws-01": behind.full_url})))
    assert [(s.node, s.reference_head, s.lag_blocks) for s in out.node_status] == [
        ("full-01", HEAD, 0), ("full-aws-01", HEAD, 4)]
    host = gone.full_url.removeprefix("http://")
    assert ScopeRun(scope="reference", ok=False,
                    error=f"java-tron: cannot reach {host}: connection refused") in out.scopes
    assert out.warnings == ["the reference endpoint gave no head: lag is measured against the highest "
                            "of our own nodes, and judged by the head blocks' age"]
    assert {s.lag_basis for s in out.node_status} == {"own nodes"}


def test_solidity_node_behind_its_own_full_node(lab):
    full = lab.node()
    lagging = lab.node(lag=30, solidity_lag=40)  # a solidity node whose full node fell behind
    out = javatron.collect(config(), lab.context(plan({"full-01": full.full_url,
                                                       "solidity-01": lagging.solidity_url})))
    solidity = out.node_status[1]
    assert (solidity.head_block, solidity.solidity_block, solidity.lag_blocks, solidity.lag_seconds,
            solidity.head_time) == (HEAD - 30, HEAD - 70, 30, 90.0, None)


def test_solidity_endpoint_on_the_full_node_port_is_explained(lab):
    node = lab.node()
    out = javatron.collect(config(), lab.context(plan({"solidity-01": node.full_url})))
    [status] = out.node_status
    assert status.reachable and status.head_block is None
    assert status.error == ("/walletsolidity/getnowblock is not served here (HTTP 404): check the endpoint's "
                            "port (8090 full node API, 8091 solidity API)")
    assert out.scopes[0] == ScopeRun(scope="solidity-01", ok=False, error=status.error)


def test_the_plans_reference_endpoint_is_used_when_the_source_sets_none(lab):
    public = lab.node()
    ours = lab.node(lag=4)
    declared = plan({"full-01": ours.full_url})
    declared = declared.model_copy(update={"settings": declared.settings.model_copy(
        update={"reference_endpoint": public.full_url})})
    out = javatron.collect(config(), lab.context(declared))
    [status] = out.node_status
    assert (status.reference_head, status.lag_blocks) == (HEAD, 4)
    assert ScopeRun(scope="reference", ok=True) in out.scopes
    assert public.seen and public.seen[0][2] == "/wallet/getnowblock"

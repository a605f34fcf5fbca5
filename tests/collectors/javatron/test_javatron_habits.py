"""java-tron's API habits: errors in 200 bodies, ``{}`` blocks, hex vs base58, omitted zeros, text."""

from __future__ import annotations

import requests

from tests.collectors.javatron.estate import HEAD, SR, SR_HEX, config, plan
from tests.fakes.javatron_server import LITE_MESSAGE
from trondocs.collectors import javatron
from trondocs.state.models import ScopeRun, WitnessRecord

NPE = {"Error": "class java.lang.NullPointerException : null"}


def test_error_in_a_200_body_fails_that_node_only(lab):
    broken, fine = lab.node(), lab.node()
    broken.errors["/wallet/getnowblock"] = NPE
    out = javatron.collect(config(), lab.context(plan({"full-01": broken.full_url,
                                                       "full-aws-01": fine.full_url})))
    bad, good = out.node_status
    error = "/wallet/getnowblock answered an error: class java.lang.NullPointerException : null"
    assert (bad.reachable, bad.error, bad.head_block, bad.lag_blocks, bad.peers) == (
        True, error, None, None, None)
    assert (good.error, good.head_block, good.lag_blocks) == (None, HEAD, 0)
    assert out.scopes[:2] == [ScopeRun(scope="full-01", ok=False, error=error),
                              ScopeRun(scope="full-aws-01", ok=True)]
    # The witness list is asked of a node that answers, not of the broken one.
    assert not any(p.endswith("listwitnesses") for _a, _m, p, _q in broken.seen)


def test_empty_block_means_no_chain_data(lab):
    fresh = lab.node(empty_now_block=True)
    out = javatron.collect(config(), lab.context(plan({"full-01": fresh.full_url})))
    [status] = out.node_status
    assert (status.reachable, status.head_block, status.reference_head, status.lag_blocks) == (
        True, None, None, None)
    assert status.error == "getnowblock answered {} (no block): the node has no chain data yet"
    # The node failed its scope; nobody else could list the witnesses either.
    assert out.scopes == [ScopeRun(scope="full-01", ok=False, error=status.error),
                          ScopeRun(scope="witness", ok=False, error="no node answered to list the witnesses")]
    assert out.witness is None


def test_witness_list_in_hex_when_the_node_ignores_visible(lab):
    node = lab.node(honours_visible=False)
    out = javatron.collect(config(), lab.context(plan({"full-01": node.full_url})))
    assert out.witness is not None and out.witness.address == SR and out.witness.missed == 17


def test_witness_list_in_base58_and_a_hex_sr_address_in_the_config(lab):
    node = lab.node()
    out = javatron.collect(config(sr_address=SR_HEX), lab.context(plan({"full-01": node.full_url})))
    assert out.witness is not None and (out.witness.address, out.witness.produced) == (SR, 412_332)


def test_omitted_zero_fields_read_as_zero(lab):
    node = lab.node()
    node.witnesses[1].update(totalMissed=0, isJobs=False, latestBlockNum=0, latestSlotNum=0, voteCount=0)
    served = requests.get(node.full_url + "/wallet/listwitnesses", timeout=5).json()["witnesses"][1]
    assert served == {"address": SR_HEX, "url": "https://carpathian-nodes.ro", "totalProduced": 412_332}
    out = javatron.collect(config(), lab.context(plan({"full-01": node.full_url})))
    assert out.witness == WitnessRecord(address=SR, produced=412_332, missed=0, latest_block=0, latest_slot=0,
                                        is_jobs=False, votes=0, rank=2, head_slot=HEAD + 4)


def test_sr_missing_from_the_witness_list_is_a_warning(lab):
    node = lab.node()
    node.witnesses.pop()
    out = javatron.collect(config(), lab.context(plan({"full-01": node.full_url})))
    assert out.witness is None
    assert out.warnings == [f"{SR} is not among the 1 witnesses: not an SR candidate (yet), "
                            "or the wrong sr_address"]
    assert out.scopes[-1] == ScopeRun(scope="witness", ok=True)


def test_witness_list_errors_fall_through_to_the_next_node_then_fail_the_scope(lab):
    first, second = lab.node(), lab.node()
    both = plan({"full-01": first.full_url, "full-aws-01": second.full_url})
    first.errors["/wallet/listwitnesses"] = NPE
    out = javatron.collect(config(), lab.context(both))
    assert out.witness is not None and out.witness.produced == 412_332
    second.errors["/wallet/listwitnesses"] = LITE_MESSAGE  # bare text, not JSON
    out = javatron.collect(config(), lab.context(both))
    assert out.witness is None
    assert out.scopes[-1] == ScopeRun(scope="witness", ok=False, error=(
        "/wallet/listwitnesses: answered HTTP 200 with text, not JSON: "
        "'this API is closed because this node is a lite fullnode'"))


def test_disabled_node_info_leaves_peers_unknown_with_a_warning(lab):
    node = lab.node()
    node.disabled.add("/wallet/getnodeinfo")
    out = javatron.collect(config(), lab.context(plan({"full-01": node.full_url})))
    [status] = out.node_status
    assert (status.error, status.head_block, status.peers, status.backup, status.version) == (
        None, HEAD, None, None, None)
    assert out.warnings == ["full-01: no node information (/wallet/getnodeinfo answered an error: "
                            "this API is unavailable due to config)"]
    assert out.scopes[0] == ScopeRun(scope="full-01", ok=True)


def test_peers_fall_back_to_active_connections_and_strings_for_int64(lab):
    from trondocs.collectors.javatron_api import read_node_info

    info = read_node_info({"activeConnectCount": 3, "beginSyncNum": "66987546",
                           "block": "Num:66987565,ID:0000000003fe262d",
                           "configNodeInfo": {"codeVersion": "4.8.1"}}, "/wallet/getnodeinfo")
    assert (info.peers, info.begin_sync, info.head, info.solidity, info.version) == (
        3, 66_987_546, 66_987_565, None, "4.8.1")
    assert info.backup is not None and info.backup.member_size is None

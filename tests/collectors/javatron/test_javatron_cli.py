"""``trondocs collect`` on the example inventory, its nodes and N2WS pointed at local fakes."""

from __future__ import annotations

import json
import re
import shutil
import time

from tests.collectors.n2ws.estate import API_KEY, ENV, populate
from tests.fakes.javatron_server import FakeNetwork, FakeTronNode
from tests.fakes.n2ws_server import FakeN2ws

HEAD = 70_000_000


def test_collect_command_reads_nodes_and_n2ws_and_records_a_dead_node(tmp_path, example_inventory, run_cli):
    network = FakeNetwork(head=HEAD, head_time=time.time())  # real time: the CLI's clock is real
    nodes = {name: FakeTronNode(network=network, lag=lag).start()
             for name, lag in [("witness-a", 0), ("witness-b", 0), ("full-01", 0), ("full-aws-01", 40)]}
    nodes["witness-a"].add_witness("4182b9582cb2431f65e5eac2b808f8899208c4b851", produced=10, missed=2,
                                   latest=HEAD - 5, active=True)
    nodes["full-aws-01"].stop()  # the AWS node is down
    n2ws = populate(FakeN2ws(api_key=API_KEY)).start()
    try:
        inventory = tmp_path / "inventory"
        shutil.copytree(example_inventory, inventory)
        endpoints = {name: node.full_url for name, node in nodes.items()}
        endpoints["solidity-01"] = nodes["full-01"].solidity_url
        _point_nodes_at(inventory / "nodes.yaml", endpoints)
        # No public reference in a test: the network head is the highest of our own nodes.
        settings = inventory / "organization.yaml"
        settings.write_text("".join(line for line in settings.read_text().splitlines(keepends=True)
                                    if "reference_endpoint:" not in line))
        (inventory / "sources.yaml").write_text(
            "sources:\n"
            "  - {name: tron-nodes, type: java-tron, retries: 0, timeout: 5}\n"
            f"  - {{name: n2ws, type: n2ws, url: '{n2ws.url}', backup_window: 30d, retries: 0}}\n"
        )
        result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history",
                         env={ENV: API_KEY})
    finally:
        for node in nodes.values():
            node.stop()
        n2ws.stop()
    assert result.exit_code == 3, result.output  # incomplete: one node could not be read
    host = endpoints["full-aws-01"].removeprefix("http://")
    assert ("tron-nodes (java-tron): FAILED — 5 objects, 12 API calls — full-aws-01: java-tron: "
            f"cannot reach {host}: connection refused") in result.stderr
    assert "n2ws (n2ws): ok" in result.stderr
    state = json.loads((tmp_path / "state.json").read_text())
    status = {s["node"]: s for s in state["node_status"]}
    assert set(status) == {"witness-a", "witness-b", "full-01", "solidity-01", "full-aws-01"}
    assert status["full-aws-01"]["reachable"] is False
    assert {status[n]["lag_blocks"] for n in ("witness-a", "witness-b", "full-01", "solidity-01")} == {0}
    assert status["solidity-01"]["solidity_block"] == status["full-01"]["head_block"] - 19
    assert state["witness"]["address"] == "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
    assert (state["witness"]["produced"], state["witness"]["missed"]) == (10, 2)
    assert sorted(j["name"] for j in state["jobs"]) == ["legacy-weekly", "tron-aws-hourly"]
    assert API_KEY not in (tmp_path / "state.json").read_text() and API_KEY not in result.output


def _point_nodes_at(path, endpoints: dict[str, str]) -> None:
    text = path.read_text()
    for name, endpoint in endpoints.items():
        pattern = rf"(- name: {name}\n(?:    .*\n)*?    endpoint: )\S+"
        text, count = re.subn(pattern, rf"\g<1>{endpoint}", text)
        assert count == 1, name
    path.write_text(text)

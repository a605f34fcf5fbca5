"""The example SR's five nodes as fake java-tron nodes on one simulated chain, and a plan for them."""

from __future__ import annotations

import datetime as dt

from tests.fakes.javatron_server import FakeNetwork, FakeTronNode, ManualClock
from trondocs.collectors.base import CollectContext
from trondocs.collectors.javatron import Config
from trondocs.plan.models import Plan

NOW = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
HEAD = 66_987_600  # the network's head at NOW
SR = "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
SR_HEX = "4182b9582cb2431f65e5eac2b808f8899208c4b851"
OTHER_SR_HEX = "41e7860196ad5b5718c1d6326babab039b70b8c1cd"  # TX5PdHZ4TCz9xRUiBgRLukVgjYwLNK5NVf
ROLES = {"witness-a": "witness", "witness-b": "witness", "full-01": "full", "solidity-01": "solidity",
         "full-aws-01": "full"}


class Lab:
    """A clock, a chain, and fake nodes; ``plan()`` points the example nodes at them."""

    def __init__(self) -> None:
        self.clock = ManualClock(NOW.timestamp())
        self.network = FakeNetwork(head=HEAD, head_time=NOW.timestamp(), clock=self.clock)
        self.nodes: list[FakeTronNode] = []

    def node(self, **options) -> FakeTronNode:
        node = FakeTronNode(network=self.network, **options)
        node.add_witness(OTHER_SR_HEX, produced=2_000_001, missed=252, latest=HEAD - 3, votes=9_000_000,
                         active=True, url="http://sr-15.com")
        node.add_witness(SR_HEX, produced=412_332, missed=17, latest=HEAD - 11, votes=1_204_556_001,
                         active=True, url="https://carpathian-nodes.ro")
        self.nodes.append(node.start())
        return node

    def now(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)

    def context(self, plan: Plan) -> CollectContext:
        return CollectContext(plan=plan, now=self.now)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def plan(endpoints: dict[str, str], sr: str = SR) -> Plan:
    """The example SR's nodes (names, roles, where they run) at the given endpoints."""
    nodes = [{"name": name, "role": ROLES[name], "endpoint": endpoint,
              "runs_on": {"source": "vsphere", "vm": f"tron-{name}"}} for name, endpoint in endpoints.items()]
    for node in nodes:
        if node["role"] == "witness":
            node["priority"] = 1 if node["name"] == "witness-a" else 2
    return Plan.model_validate({"organization": {"name": "Carpathian Nodes", "sr_address": sr},
                                "nodes": nodes})


def config(**options) -> Config:
    return Config(name=options.pop("name", "tron-nodes"), retries=1, retry_backoff=0.001, timeout=2,
                  **options)


def block_time(number: int) -> dt.datetime:
    return NOW + dt.timedelta(seconds=3 * (number - HEAD))

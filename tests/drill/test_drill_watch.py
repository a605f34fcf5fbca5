"""`trondocs drill watch` measures a recovery against a fake java-tron node that boots and
catches up: down for a while, then syncing at a known rate while the network moves on."""

from __future__ import annotations

import datetime as dt
import shutil
import time

import pytest

from tests.fakes.javatron_server import FakeNetwork, FakeTronNode, ManualClock
from trondocs.plan import load_plan
from trondocs.plan.models import Node
from trondocs.workflow.drill import Sample, blocks_per_second, http_probes, watch_recovery

START = 1_795_000_000.0  # 2026-11-18, epoch seconds
MAX_LAG = 20


def expected_rto(down_for: float, rate: float, behind_at_boot: int) -> float:
    """Seconds until the booting node is within MAX_LAG blocks of a chain moving 1 block / 3 s."""
    t = down_for
    while True:  # the fake's own arithmetic: head = from + rate·(t − up); network = head0 + ⌊t/3⌋
        node = (1000 - behind_at_boot) + int(rate * (t - down_for))
        network = 1000 + int(t // 3)
        if network - node <= MAX_LAG:
            return t
        t += 0.01


@pytest.fixture
def chain():
    clock = ManualClock(START)
    network = FakeNetwork(head=1000, head_time=START, clock=clock)
    reference = FakeTronNode(network=network).start()
    booting = FakeTronNode(network=network).start()
    yield clock, network, reference, booting
    reference.stop()
    booting.stop()


def _plan_with(example_inventory, tmp_path, endpoint: str, reference: str):
    inventory = shutil.copytree(example_inventory, tmp_path / "inventory")
    nodes = inventory / "nodes.yaml"
    nodes.write_text(nodes.read_text().replace("http://10.10.0.12:8090", endpoint))
    (inventory / "sources.yaml").write_text(
        f"sources:\n  - name: tron-nodes\n    type: java-tron\n    reference_endpoint: {reference}\n")
    return inventory


def test_measures_a_recovery_of_known_length(chain, example_inventory, tmp_path):
    clock, _network, reference, booting = chain
    booting.boot(down_for=90, rate=8.0, from_block=1000 - 500)  # 500 behind when its API comes up
    inventory = _plan_with(example_inventory, tmp_path, booting.full_url, reference.full_url)
    loaded = load_plan(inventory, today=dt.date(2026, 11, 18))
    node: Node = loaded.plan.node("witness-b")
    head, network_head = http_probes(loaded, inventory, node, reference_url=None)
    seen: list[tuple[Sample, float | None]] = []
    recovery = watch_recovery(
        node.name, head=head, reference=network_head, max_lag=MAX_LAG,
        clock=lambda: dt.datetime.fromtimestamp(clock(), dt.UTC), sleep=clock.advance, interval=0.5,
        on_sample=lambda sample, rate: seen.append((sample, rate)))
    assert recovery.succeeded
    assert abs(recovery.rto.total_seconds() - expected_rto(90, 8.0, 500)) < 1.0
    assert abs((recovery.answered - recovery.started).total_seconds() - 90) <= 0.5
    down = [s for s, _ in seen if s.head is None]
    assert down and all("cannot reach 127.0.0.1" in (s.error or "") for s in down)
    rates = [r for _, r in seen if r is not None]
    assert rates and all(7.0 < r < 9.0 for r in rates[1:])  # blocks/s while catching up
    assert seen[-1][0].behind <= MAX_LAG < seen[-2][0].behind
    assert "API answered after 1m 30s" in recovery.timeline()


def test_gives_up_after_the_timeout(chain, example_inventory, tmp_path):
    clock, _network, reference, booting = chain
    booting.boot(down_for=10_000, rate=1.0, from_block=0)
    recovery = watch_recovery(
        "witness-b", head=lambda: _head(booting.full_url), reference=lambda: _head(reference.full_url),
        max_lag=MAX_LAG, clock=lambda: dt.datetime.fromtimestamp(clock(), dt.UTC), sleep=clock.advance,
        interval=5, timeout=dt.timedelta(minutes=2))
    assert not recovery.succeeded and recovery.rto is None
    assert recovery.answered is None
    assert "never caught up" in recovery.timeline()
    assert len(recovery.samples) == 25  # one poll every 5 s over 2 minutes, and the last one


def _head(url: str) -> int | None:
    from trondocs.collectors.httpjson import HttpClient
    from trondocs.collectors.javatron_api import TronApi

    block = TronApi(HttpClient(what="t", timeout=2, retries=0, backoff=0, verify=True)).now_block(url)
    return block.number if block else None


def test_blocks_per_second():
    at = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)
    first = Sample(at=at, head=100, reference=200)
    assert blocks_per_second(first, Sample(at=at + dt.timedelta(seconds=4), head=140, reference=201)) == 10
    assert blocks_per_second(None, first) is None


def test_cli_watches_and_records_the_drill(run_cli, example_inventory, tmp_path):
    network = FakeNetwork(head=5000, head_time=time.time())  # real time: the CLI polls for real
    with FakeTronNode(network=network) as reference, FakeTronNode(network=network) as booting:
        booting.boot(down_for=1.0, rate=400.0, from_block=5000 - 300)
        inventory = _plan_with(example_inventory, tmp_path, booting.full_url, reference.full_url)
        result = run_cli("drill", "watch", "witness-b", "-i", inventory, "--interval", "0.1",
                         "--timeout", "30s", "--by", "test")
    assert result.exit_code == 0, result.output + result.stderr
    assert "blocks behind" in result.stderr and "blocks/s" in result.stderr
    assert "not answering (java-tron: cannot reach" in result.stderr
    drill = load_plan(inventory, today=dt.date.today()).plan.drills[-1]
    assert drill.node == "witness-b" and drill.result.value == "success"
    assert abs(drill.duration.total_seconds() - expected_rto(1.0, 400.0, 300)) <= 1.0
    assert "API answered after" in drill.notes
    # The catch-up is measured: the evaluation counts the outage until then, not a declared guess.
    assert drill.caught_up == drill.finished


def test_cli_unknown_node_is_a_usage_error(run_cli, example_inventory):
    result = run_cli("drill", "watch", "witnes-b", "-i", example_inventory, "--no-record")
    assert result.exit_code == 2
    assert "did you mean 'witness-b'?" in result.output + result.stderr

"""The bundled demo capture is what scripts/capture-demo-state produces from the simulators now.

The script seeds vcsim, the fake VBR, moto and the java-tron fakes as the example SR, runs the
real collectors and normalises the result; two runs are byte-identical, so the bundled file
must equal a fresh run exactly. It also must keep showing what the demo is for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib.machinery
import importlib.util
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.plan.loader import load_plan
from trondocs.plan.models import Platform
from trondocs.state.io import load_state
from trondocs.state.models import (
    Asset,
    AssetKind,
    Collection,
    Host,
    HostKind,
    NodeStatus,
    RestorePoint,
    RestorePointKind,
    SourceRun,
    State,
)
from trondocs.systems import SourceType

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "capture-demo-state"
BUNDLED = ROOT / "examples" / "capture.state.json"
STALE = "the bundled capture is stale: run scripts/capture-demo-state"
TARGET = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)


def _script():
    loader = importlib.machinery.SourceFileLoader("capture_demo_state", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> str:
    """One full regeneration (simulators started, seeded, collected) into a temporary file.

    The script's main runs in a process of its own: moto's backends are global to a process,
    so an AWS test's moto earlier in this session would otherwise be read as well.
    """
    out = tmp_path_factory.mktemp("capture") / "capture.state.json"
    done = subprocess.run([sys.executable, str(SCRIPT), "-o", str(out)], capture_output=True, text=True,
                          timeout=240, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return out.read_text()


def test_the_bundled_capture_is_what_the_script_produces_now(fresh):
    bundled = BUNDLED.read_text()
    if fresh != bundled:
        diff = "".join(list(difflib.unified_diff(bundled.splitlines(True), fresh.splitlines(True),
                                                 "bundled", "fresh", n=1))[:40])
        pytest.fail(f"{STALE}\n{diff}", pytrace=False)


def test_the_capture_shows_the_drift_the_demo_is_for():
    loaded = load_plan(ROOT / "inventory")
    state = load_state(BUNDLED)
    assert state.collection.finished == TARGET
    assert [(s.name, s.type, s.ok) for s in state.collection.sources] == [
        ("vcenter", "vsphere", True), ("veeam", "veeam", True), ("aws", "aws", True),
        ("tron-nodes", "java-tron", True)]
    found = {(f.rule, f.node or f.subject, f.status) for f in
             evaluate(loaded, state, as_of=state.collection.finished).findings}
    # Replication slowed to 60 minutes, for every node it covers.
    for node in ("witness-a", "witness-b", "full-01", "solidity-01"):
        assert ("TRD203", node, Status.FAIL) in found
    assert ("TRD503", "witness-b", Status.FAIL) in found  # the standby witness's replica is stale
    assert ("TRD503", "witness-a", Status.FAIL) not in found
    assert ("TRD601", "full-01", Status.FAIL) in found  # last DR test 2026-07-14, every 60d
    assert ("TRD102", "tron-full-02", Status.FAIL) in found  # replicated, but not in the plan
    assert ("TRD403", "full-aws-01", Status.WAIVED) in found


def test_the_capture_holds_the_example_estate_as_the_collectors_shaped_it():
    state = load_state(BUNDLED)
    text = BUNDLED.read_text()
    assert "127.0.0.1" not in text and "/tmp" not in text  # no simulator address or scratch path
    vms = {a.name: a for a in state.assets if a.kind is AssetKind.VM}
    assert sorted(vms) == ["tron-full-01", "tron-full-02", "tron-solidity-01", "tron-witness-01",
                           "tron-witness-02"]
    assert (vms["tron-witness-02"].host, vms["tron-witness-02"].cluster, vms["tron-witness-02"].datacenter,
            vms["tron-witness-02"].datastores) == ("esx-02.buc.carpathian-nodes.ro", "buc-prod", "Bucharest",
                                                   ["ds-buc-ssd-02"])
    replicas = {a.replica_of: a.host for a in state.assets if a.kind is AssetKind.REPLICA}
    assert replicas == dict.fromkeys(vms, "esx-cluj-01")
    [instance] = [a for a in state.assets if a.kind is AssetKind.INSTANCE]
    assert (instance.id, instance.region, instance.account) == ("i-0a1b2c3d4e5f60718", "eu-central-1",
                                                                 "111122223333")
    replica_points = sorted((p.created for p in state.restore_points
                             if p.kind is RestorePointKind.REPLICA and p.asset_name == "tron-witness-02"),
                            reverse=True)
    assert replica_points[0] == TARGET - dt.timedelta(days=2, hours=3, minutes=3)
    assert [a - b for a, b in itertools.pairwise(replica_points)] == [dt.timedelta(hours=1)] * 6
    snapshots = sorted(p.created for p in state.restore_points
                       if p.job == "tron-hourly" and p.copy_of is None)
    assert (len(snapshots), snapshots[-1]) == (48, TARGET - dt.timedelta(minutes=22))
    assert {s.node: s.endpoint for s in state.node_status} == {
        n.name: n.endpoint for n in load_plan(ROOT / "inventory").plan.nodes}


def _raw(anchor: dt.datetime, port: int, instance: str) -> State:
    """A tiny collected state as the simulators would give it when seeded at ``anchor``."""
    run = SourceRun(name="aws", type=SourceType.AWS, ok=True, started=anchor, finished=anchor,
                    warnings=[f"http://127.0.0.1:{port} answered slowly"])
    return State(
        collection=Collection(started=anchor, finished=anchor, trondocs_version="0", sources=[run]),
        assets=[Asset(source="aws", platform=Platform.AWS, kind=AssetKind.INSTANCE, id=instance, name="n",
                      volumes=["vol-0123456789abcdef0"])],
        hosts=[Host(source="v", id=f"/tmp/x{port}@folder-5", name="ds-b", kind=HostKind.DATASTORE),
               Host(source="v", id=f"/tmp/y{port}@folder-5", name="ds-a", kind=HostKind.DATASTORE)],
        restore_points=[RestorePoint(source="aws", id="snap-0fedcba9876543210",
                                     kind=RestorePointKind.SNAPSHOT, asset_id=instance, asset_name=instance,
                                     created=anchor - dt.timedelta(minutes=22))],
        node_status=[NodeStatus(source="t", node="full-01", endpoint=f"http://127.0.0.1:{port + 1}",
                                reachable=True, checked=anchor)],
    )


def test_normalise_pins_times_ids_and_addresses_whatever_the_run():
    script = _script()
    outputs = []
    runs = ((dt.datetime(2027, 1, 2, 3, 4, 5, tzinfo=dt.UTC), 40001, "i-00000000000000aaa"),
            (dt.datetime(2030, 6, 1, 23, 0, tzinfo=dt.UTC), 51234, "i-00000000000000bbb"))
    for anchor, port, instance in runs:
        urls = {f"http://127.0.0.1:{port}": "https://api.example", f"http://127.0.0.1:{port + 1}":
                "http://10.10.0.21:8090", instance: "i-0a1b2c3d4e5f60718"}
        outputs.append(script.normalise(_raw(anchor, port, instance), anchor=anchor, urls=urls))
    first, second = outputs
    assert first == second
    assert first.collection.finished == TARGET
    assert first.restore_points[0].created == TARGET - dt.timedelta(minutes=22)
    assert first.assets[0].id == first.restore_points[0].asset_id == "i-0a1b2c3d4e5f60718"
    [volume], snapshot = first.assets[0].volumes, first.restore_points[0].id
    assert volume.startswith("vol-0") and volume != "vol-0123456789abcdef0"
    assert snapshot.startswith("snap-0") and snapshot != "snap-0fedcba9876543210"
    assert first.collection.sources[0].warnings == ["https://api.example answered slowly"]
    assert first.node_status[0].endpoint == "http://10.10.0.21:8090"
    assert {h.name: h.id for h in first.hosts} == {"ds-a": "datastore-1", "ds-b": "datastore-2"}

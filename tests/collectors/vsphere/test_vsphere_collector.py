"""The vSphere collector against vcsim seeded like a TRON SR's vCenter (tests/vcsim/seed.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from pyVim.connect import Disconnect, SmartConnect

from tests.vcsim.harness import Vcsim
from tests.vcsim.seed import Seeded
from trondocs.collectors.base import CollectContext, Collected
from trondocs.collectors.vsphere import Config, collect
from trondocs.state.models import AssetKind, RestorePointKind


def config(sim: Vcsim, **extra) -> Config:
    return Config(name="vcenter", host=sim.host, port=sim.port, protocol=sim.protocol, **extra)


@pytest.fixture(scope="module")
def collected(vcsim: Vcsim, seeded: Seeded) -> Collected:
    return collect(config(vcsim), CollectContext(env=vcsim.env))


def test_vms_in_detail(collected: Collected, seeded: Seeded):
    by_name = {a.name: a for a in collected.assets}
    assert sorted(by_name) == ["DC0_H0_VM0", "DC0_H0_VM1", "tron-full-01", "tron-full-01_replica",
                               "tron-witness-01", "tron-witness-02"]
    for name, asset in by_name.items():
        assert (asset.id, asset.ref) == (seeded.uuids[name], seeded.refs[name]), name
        assert (asset.source, asset.platform, asset.datacenter) == ("vcenter", "vsphere", "DC0")

    w1 = by_name["tron-witness-01"]
    assert (w1.kind, w1.power_state, w1.cluster, w1.datastores, w1.folder) == (
        AssetKind.VM, "on", "DC0_C0", ["LocalDS_0"], "/DC0/vm")
    assert w1.host in {"DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"}
    assert w1.annotation == "primary witness\nSR producer"
    assert w1.attributes == {"tron-role": "witness", "dr-tier": "1"}
    assert w1.replica_of is None

    w2 = by_name["tron-witness-02"]
    assert (w2.power_state, w2.cluster, w2.annotation, w2.attributes) == (
        "off", "DC0_C0", None, {"tron-role": "witness"})

    full = by_name["tron-full-01"]
    assert (full.power_state, full.cluster, full.datastores, full.folder, full.attributes) == (
        "on", "DC0_C0", ["LocalDS_1"], "/DC0/vm/tron", {"tron-role": "full"})

    assert by_name["DC0_H0_VM1"].power_state == "suspended"
    assert (by_name["DC0_H0_VM0"].power_state, by_name["DC0_H0_VM0"].host,
            by_name["DC0_H0_VM0"].cluster, by_name["DC0_H0_VM0"].attributes) == ("on", "DC0_H0", None, {})


def test_replica_vm_becomes_replica_asset(collected: Collected):
    replica = next(a for a in collected.assets if a.name == "tron-full-01_replica")
    assert (replica.kind, replica.replica_of, replica.power_state) == (
        AssetKind.REPLICA, "tron-full-01", "off")
    assert (replica.host, replica.cluster, replica.datastores) == ("DC0_H0", None, ["LocalDS_0"])
    assert [a.name for a in collected.assets if a.kind is AssetKind.REPLICA] == ["tron-full-01_replica"]


def test_snapshot_trees_are_walked_whole(collected: Collected, seeded: Seeded):
    points = {p.id: p for p in collected.restore_points}
    assert sorted(points) == sorted(s.ref for s in seeded.snapshots)
    witness_uuid = seeded.uuids["tron-witness-01"]
    for snap in seeded.snapshots:
        point = points[snap.ref]
        assert (point.name, point.quiesced, point.description) == (
            snap.name, snap.quiesced, snap.description or None)
        assert point.created.tzinfo is dt.UTC
        assert snap.after <= point.created <= snap.before, snap.name
        assert (point.source, point.medium, point.status) == ("vcenter", "disk", "ok")
        if snap.vm == "tron-witness-01":
            assert (point.kind, point.asset_name, point.asset_id, point.location) == (
                RestorePointKind.SNAPSHOT, "tron-witness-01", witness_uuid, "LocalDS_0")
    # parents come before their children: the branch 'hotfix' was taken after reverting
    names = [p.name for p in collected.restore_points if p.asset_name == "tron-witness-01"]
    assert names == ["before-upgrade", "after-upgrade", "hotfix"]


def test_replica_snapshots_are_replica_points_of_the_source_vm(collected: Collected, seeded: Seeded):
    replica_points = [p for p in collected.restore_points if p.kind is RestorePointKind.REPLICA]
    assert [p.name for p in replica_points] == ["Restore Point 1", "Restore Point 2"]
    for point in replica_points:
        assert (point.asset_name, point.asset_id, point.location) == (
            "tron-full-01", seeded.uuids["tron-full-01"], "LocalDS_0")
    assert replica_points[0].created < replica_points[1].created
    assert not [p for p in collected.restore_points if p.asset_name == "tron-full-01_replica"]


def test_hosts_and_datastores_are_failure_domains(collected: Collected):
    hosts = [(h.kind, h.name, h.cluster, h.datacenter) for h in collected.hosts]
    assert hosts == [
        ("datastore", "LocalDS_0", None, "DC0"), ("datastore", "LocalDS_1", None, "DC0"),
        ("host", "DC0_C0_H0", "DC0_C0", "DC0"), ("host", "DC0_C0_H1", "DC0_C0", "DC0"),
        ("host", "DC0_C0_H2", "DC0_C0", "DC0"), ("host", "DC0_H0", None, "DC0"),
    ]
    assert all(h.id.startswith("host-") for h in collected.hosts if h.kind == "host")
    assert len({h.id for h in collected.hosts}) == 6


def test_custom_suffix_and_empty_suffix(vcsim: Vcsim, seeded: Seeded):
    none = collect(config(vcsim, replica_suffix=""), CollectContext(env=vcsim.env))
    assert {a.kind for a in none.assets} == {AssetKind.VM}
    assert {p.kind for p in none.restore_points} == {RestorePointKind.SNAPSHOT}
    other = collect(config(vcsim, replica_suffix="_VM1"), CollectContext(env=vcsim.env))
    assert [(a.name, a.replica_of) for a in other.assets if a.kind is AssetKind.REPLICA] == [
        ("DC0_H0_VM1", "DC0_H0")]


def test_pages_progress_and_api_calls(vcsim: Vcsim, seeded: Seeded):
    progress: list[tuple[str, int]] = []
    ctx = CollectContext(env=vcsim.env, progress=lambda source, n: progress.append((source, n)))
    result = collect(config(vcsim, page_size=4), ctx)
    page_counts = [n for _, n in progress[:-1]]
    # 6 VMs + 4 hosts + 2 datastores + cluster, compute resource, datacenter + 5 folders = 20
    # objects, then the custom fields manager: 21 in pages of 4.
    assert page_counts == [4, 8, 12, 16, 20, 20]
    assert progress[-1] == ("vcenter", result.objects)
    assert {s for s, _ in progress} == {"vcenter"}
    # version probe, RetrieveServiceContent, Login, 6 pages, Logout
    assert result.api_calls == 6 + 4


def test_collecting_twice_gives_the_same_state(vcsim: Vcsim, seeded: Seeded, collected: Collected):
    again = collect(config(vcsim, page_size=3), CollectContext(env=vcsim.env))
    assert again.assets == collected.assets
    assert again.restore_points == collected.restore_points
    assert again.hosts == collected.hosts


def test_plain_http_is_warned_about(collected: Collected, vcsim: Vcsim):
    assert collected.warnings == [f"http://{vcsim.host}:{vcsim.port} uses plain http: the password "
                                  "crosses the network unencrypted (meant for the vcsim simulator only)"]


def test_the_session_is_logged_out_even_when_reading_fails_halfway(vcsim: Vcsim, seeded: Seeded):
    observer = SmartConnect(host=vcsim.host, port=vcsim.port, user=vcsim.username, pwd=vcsim.password,
                            protocol="http")
    try:
        manager = observer.RetrieveContent().sessionManager
        before = {s.key for s in manager.sessionList}
        collect(config(vcsim), CollectContext(env=vcsim.env))
        assert {s.key for s in manager.sessionList} == before

        def interrupted(source: str, objects: int) -> None:
            raise KeyboardInterrupt  # e.g. Ctrl-C after the first page

        with pytest.raises(KeyboardInterrupt):
            collect(config(vcsim, page_size=2), CollectContext(env=vcsim.env, progress=interrupted))
        assert {s.key for s in manager.sessionList} == before
    finally:
        Disconnect(observer)

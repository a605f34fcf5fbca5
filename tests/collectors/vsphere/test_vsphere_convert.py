"""Edge cases of turning PropertyCollector results into State, on real pyVmomi data objects.

vcsim cannot produce these (templates, vApps, inaccessible VMs, vendor power states, naive
times), so the retrieved properties are built here with pyVmomi's own types.
"""

from __future__ import annotations

import datetime as dt

from pyVmomi import vim

from trondocs.collectors.vsphere import convert
from trondocs.collectors.vsphere.inventory import Inventory, Obj
from trondocs.state.models import AssetKind, RestorePointKind


def tree(ref: str, name: str, created: dt.datetime, *children) -> vim.vm.SnapshotTree:
    return vim.vm.SnapshotTree(name=name, snapshot=vim.vm.Snapshot(ref), createTime=created, id=1,
                               state="poweredOn", vm=vim.VirtualMachine("vm-x"), quiesced=False,
                               childSnapshotList=list(children))


def inventory(*vms: Obj) -> Inventory:
    objects = [
        Obj("datacenter-1", "Datacenter", {"name": "DC"}),
        Obj("group-v1", "Folder", {"name": "vm", "parent": vim.Datacenter("datacenter-1")}),
        Obj("group-v2", "Folder", {"name": "tron", "parent": vim.Folder("group-v1")}),
        Obj("host-1", "HostSystem", {"name": "esx-1", "parent": vim.ComputeResource("domain-s1")}),
        Obj("domain-s1", "ComputeResource", {"name": "esx-1", "parent": vim.Folder("group-h1")}),
        Obj("resgroup-v1", "VirtualApp", {"name": "app"}),
        *vms,
    ]
    return Inventory(objects={o.ref: o for o in objects}, custom_fields={7: "tron-role"})


def value(key: int, text: str) -> vim.CustomFieldsManager.StringValue:
    return vim.CustomFieldsManager.StringValue(key=key, value=text)


def test_templates_are_skipped_and_odd_vms_kept():
    vms = inventory(
        Obj("vm-1", "VirtualMachine", {"name": "golden", "config.template": True}),
        Obj("vm-2", "VirtualMachine", {"name": "broken"}),  # inaccessible: no config at all
        Obj("vm-3", "VirtualMachine", {"name": "in-vapp", "config.instanceUuid": "u-3",
                                       "parent": vim.VirtualApp("resgroup-v1"),
                                       "runtime.powerState": "poweringOn",
                                       "runtime.host": vim.HostSystem("host-1"),
                                       "customValue": [value(7, "x"), value(9, "y")]}),
        Obj("vm-4", "VirtualMachine", {"name": "deep", "config.instanceUuid": "u-4",
                                       "parent": vim.Folder("group-v2"),
                                       "datastore": [vim.Datastore("gone")]}),
    )
    assets, points = convert.assets_and_snapshots(vms, "vc", "_replica")
    assert [a.name for a in assets] == ["broken", "deep", "in-vapp"]
    broken, deep, vapp = assets
    assert (broken.id, broken.ref, broken.power_state, broken.folder, broken.datacenter) == (
        "vm-2", "vm-2", "unknown", None, None)
    assert (vapp.power_state, vapp.folder, vapp.host, vapp.cluster) == ("poweringOn", None, "esx-1", None)
    assert vapp.attributes == {"tron-role": "x", "field-9": "y"}
    assert (deep.folder, deep.datacenter, deep.datastores) == ("/DC/vm/tron", "DC", [])
    assert points == []


def test_snapshot_times_become_utc_and_trees_are_walked_depth_first():
    naive = dt.datetime(2026, 11, 20, 5, 0)  # xsd:dateTime without a zone means UTC
    plus_two = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    info = vim.vm.SnapshotInfo(rootSnapshotList=[
        tree("snapshot-1", "a", naive, tree("snapshot-2", "b", plus_two, tree("snapshot-3", "c", naive))),
        tree("snapshot-4", "d", plus_two),
    ])
    vms = inventory(Obj("vm-9", "VirtualMachine", {"name": "w_replica", "config.instanceUuid": "u-9",
                                                   "snapshot": info}))
    assets, points = convert.assets_and_snapshots(vms, "vc", "_replica")
    assert (assets[0].kind, assets[0].replica_of) == (AssetKind.REPLICA, "w")
    assert [(p.id, p.name) for p in points] == [("snapshot-1", "a"), ("snapshot-2", "b"),
                                                ("snapshot-3", "c"), ("snapshot-4", "d")]
    assert points[0].created == dt.datetime(2026, 11, 20, 5, 0, tzinfo=dt.UTC)
    assert points[1].created == dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)
    # the source VM 'w' is not in this vCenter: the name is known, its id is not
    assert {(p.kind, p.asset_name, p.asset_id, p.description) for p in points} == {
        (RestorePointKind.REPLICA, "w", None, None)}


def test_a_vm_named_just_the_suffix_is_no_replica():
    vms = inventory(Obj("vm-5", "VirtualMachine", {"name": "_replica", "config.instanceUuid": "u-5"}))
    (asset,), _ = convert.assets_and_snapshots(vms, "vc", "_replica")
    assert (asset.kind, asset.replica_of) == (AssetKind.VM, None)

"""Raw PropertyCollector objects → State models. Pure: no server, no IO."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trondocs.collectors.vsphere.inventory import Inventory, Obj
from trondocs.plan.models import Medium, Platform
from trondocs.state.models import Asset, AssetKind, Host, HostKind, RestorePoint, RestorePointKind

POWER_STATES = {"poweredOn": "on", "poweredOff": "off", "suspended": "suspended"}
CLUSTER, DATACENTER, FOLDER = "ClusterComputeResource", "Datacenter", "Folder"


def hosts(inventory: Inventory, source: str) -> list[Host]:
    """ESXi hosts (with their cluster) and datastores: the failure domains beneath VMs."""
    out = []
    for obj in inventory.of_type("HostSystem"):
        cluster = _parent(inventory, obj)
        out.append(Host(source=source, id=obj.ref, name=obj.get("name", obj.ref), kind=HostKind.HOST,
                        cluster=cluster.get("name") if cluster and cluster.type == CLUSTER else None,
                        datacenter=_datacenter(inventory, obj)))
    for obj in inventory.of_type("Datastore"):
        out.append(Host(source=source, id=obj.ref, name=obj.get("name", obj.ref), kind=HostKind.DATASTORE,
                        datacenter=_datacenter(inventory, obj)))
    return sorted(out, key=lambda h: (h.kind, h.name, h.id))


def assets_and_snapshots(inventory: Inventory, source: str,
                         replica_suffix: str) -> tuple[list[Asset], list[RestorePoint]]:
    """VMs (replicas named ``<source VM><suffix>`` become replica assets) and their snapshot trees."""
    vms = sorted((o for o in inventory.of_type("VirtualMachine") if not o.get("config.template")),
                 key=lambda o: (o.get("name", ""), o.ref))
    assets = [_asset(inventory, vm, source, replica_suffix) for vm in vms]
    ids_by_name = {a.name: a.id for a in assets if a.kind is AssetKind.VM}
    points = []
    for vm, asset in zip(vms, assets, strict=True):
        info = vm.get("snapshot")
        if info is None:
            continue
        if asset.kind is AssetKind.REPLICA:
            kind, protected, protected_id = (RestorePointKind.REPLICA, asset.replica_of,
                                             ids_by_name.get(asset.replica_of or ""))
        else:
            kind, protected, protected_id = RestorePointKind.SNAPSHOT, asset.name, asset.id
        location = asset.datastores[0] if asset.datastores else None
        for tree in walk(info.rootSnapshotList or []):
            # A snapshot's delta lives on the VM's own datastore: where the VM itself is.
            points.append(RestorePoint(
                source=source, id=tree.snapshot._moId, kind=kind, asset_id=protected_id,
                asset_name=protected, created=utc(tree.createTime), location=location, datastore=location,
                host=asset.host, cluster=asset.cluster, datacenter=asset.datacenter, medium=Medium.DISK,
                name=tree.name, description=tree.description or None, quiesced=bool(tree.quiesced),
            ))
    return assets, points


def walk(trees) -> Iterator:
    """Every node of a snapshot tree, parents before children."""
    for tree in trees:
        yield tree
        yield from walk(tree.childSnapshotList or [])


def utc(value: dt.datetime) -> dt.datetime:
    # pyVmomi parses xsd:dateTime with its own tzinfo; a value without one is UTC by the spec.
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _asset(inventory: Inventory, vm: Obj, source: str, suffix: str) -> Asset:
    name = vm.get("name", vm.ref)
    replica_of = name[: -len(suffix)] if suffix and name.endswith(suffix) and name != suffix else None
    host = inventory.objects.get(_ref(vm.get("runtime.host")))
    cluster = _parent(inventory, host) if host else None
    datastores = [inventory.objects.get(_ref(d)) for d in vm.get("datastore") or []]
    fields = inventory.custom_fields
    return Asset(
        source=source, platform=Platform.VSPHERE, kind=AssetKind.REPLICA if replica_of else AssetKind.VM,
        id=vm.get("config.instanceUuid") or vm.ref, ref=vm.ref, name=name,
        power_state=POWER_STATES.get(str(vm.get("runtime.powerState")),
                                     str(vm.get("runtime.powerState") or "unknown")),
        host=host.get("name") if host else None,
        cluster=cluster.get("name") if cluster and cluster.type == CLUSTER else None,
        datacenter=_datacenter(inventory, vm),
        datastores=[d.get("name", d.ref) for d in datastores if d is not None],
        folder=_folder_path(inventory, vm),
        annotation=vm.get("config.annotation") or None,
        attributes={fields.get(v.key, f"field-{v.key}"): str(v.value)
                    for v in vm.get("customValue") or [] if getattr(v, "value", None) is not None},
        replica_of=replica_of,
    )


def _ref(mo) -> str:
    return mo._moId if mo is not None else ""


def _parent(inventory: Inventory, obj: Obj) -> Obj | None:
    return inventory.objects.get(_ref(obj.get("parent")))


def _ancestors(inventory: Inventory, obj: Obj) -> Iterator[Obj]:
    seen = {obj.ref}
    while (parent := _parent(inventory, obj)) is not None and parent.ref not in seen:
        seen.add(parent.ref)
        yield parent
        obj = parent


def _datacenter(inventory: Inventory, obj: Obj) -> str | None:
    return next((a.get("name") for a in _ancestors(inventory, obj) if a.type == DATACENTER), None)


def _folder_path(inventory: Inventory, vm: Obj) -> str | None:
    """Inventory path of the VM's folder, e.g. ``/DC0/vm/tron``."""
    names = []
    for ancestor in _ancestors(inventory, vm):
        names.append(ancestor.get("name", ancestor.ref))
        if ancestor.type == DATACENTER:
            return "/" + "/".join(reversed(names))
        if ancestor.type != FOLDER:
            return None  # e.g. inside a vApp: no folder
    return "/" + "/".join(reversed(names)) if names else None

"""One PropertyCollector pass over a ContainerView: every object and property we need, paged.

Never per-object property access: that costs a round trip per object and property (and
crashes vcsim's ``Fetch`` on unset properties). The view, the filter and the paging loop
are here; turning the raw properties into State models is ``convert``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pyVmomi import vim, vmodl

from trondocs.collectors.vsphere.session import Session

PC = vmodl.query.PropertyCollector

VM_PROPERTIES = [
    "name", "config.instanceUuid", "config.template", "config.annotation", "runtime.powerState",
    "runtime.host", "datastore", "parent", "customValue", "snapshot",
]
# What the view holds, and what we read of each type. ComputeResource covers clusters too.
PROPERTIES: dict[type, list[str]] = {
    vim.VirtualMachine: VM_PROPERTIES,
    vim.HostSystem: ["name", "parent"],
    vim.ComputeResource: ["name", "parent"],
    vim.Datastore: ["name", "parent"],
    vim.Datacenter: ["name", "parent"],
    vim.Folder: ["name", "parent"],
}


@dataclass
class Obj:
    """A managed object as the PropertyCollector returned it (unset properties are absent)."""

    ref: str  # moref value, e.g. vm-42
    type: str  # vSphere type name, e.g. VirtualMachine, ClusterComputeResource
    props: dict[str, Any]

    def get(self, path: str, default: Any = None) -> Any:
        return self.props.get(path, default)


@dataclass
class Inventory:
    objects: dict[str, Obj] = field(default_factory=dict)
    custom_fields: dict[int, str] = field(default_factory=dict)  # key → attribute name
    pages: int = 0

    def of_type(self, *types: str) -> list[Obj]:
        return [o for o in self.objects.values() if o.type in types]


def retrieve(session: Session, page_size: int, on_page: Callable[[int], None]) -> Inventory:
    """Read the whole inventory with RetrievePropertiesEx + ContinueRetrievePropertiesEx."""
    content = session.content
    view = content.viewManager.CreateContainerView(content.rootFolder, list(PROPERTIES), True)
    try:
        collector = content.propertyCollector
        result = collector.RetrievePropertiesEx([_filter_spec(view, content.customFieldsManager)],
                                                PC.RetrieveOptions(maxObjects=page_size))
        inventory = Inventory()
        while result is not None:
            inventory.pages += 1
            for item in result.objects:
                _add(inventory, item)
            on_page(len(inventory.objects))
            if not result.token:
                break
            result = collector.ContinueRetrievePropertiesEx(result.token)
        return inventory
    finally:
        view.DestroyView()


def _filter_spec(view: vim.view.ContainerView,
                 custom_fields: vim.CustomFieldsManager | None) -> PC.FilterSpec:
    traverse = PC.TraversalSpec(name="view", path="view", skip=False, type=vim.view.ContainerView)
    objects = [PC.ObjectSpec(obj=view, skip=True, selectSet=[traverse])]
    props = [PC.PropertySpec(type=kind, pathSet=paths) for kind, paths in PROPERTIES.items()]
    if custom_fields is not None:  # attribute names, in the same pass
        objects.append(PC.ObjectSpec(obj=custom_fields, skip=False))
        props.append(PC.PropertySpec(type=vim.CustomFieldsManager, pathSet=["field"]))
    return PC.FilterSpec(objectSet=objects, propSet=props)


def _add(inventory: Inventory, item: PC.ObjectContent) -> None:
    props = {p.name: p.val for p in item.propSet or []}
    if isinstance(item.obj, vim.CustomFieldsManager):
        inventory.custom_fields = {f.key: f.name for f in props.get("field") or []}
        return
    ref = item.obj._moId
    inventory.objects[ref] = Obj(ref=ref, type=item.obj._wsdlName, props=props)

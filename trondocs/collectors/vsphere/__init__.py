"""Source ``vsphere``: VMs, their snapshot trees, hosts and datastores from vCenter (pyVmomi).

Read-only: one PropertyCollector pass, no writes. Veeam replica VMs (``<source VM><suffix>``)
become replica assets whose snapshots are replica restore points of their source VM.
"""

from __future__ import annotations

from trondocs.collectors.base import CollectContext, Collected
from trondocs.collectors.vsphere import convert
from trondocs.collectors.vsphere.config import Config
from trondocs.collectors.vsphere.inventory import retrieve
from trondocs.collectors.vsphere.session import open_session


def collect(config: Config, ctx: CollectContext) -> Collected:
    with open_session(config, ctx) as session:
        inventory = retrieve(session, config.page_size,
                             lambda objects: ctx.progress(config.name, objects))
    assets, points = convert.assets_and_snapshots(inventory, config.name, config.replica_suffix)
    out = Collected(assets=assets, restore_points=points,
                    hosts=convert.hosts(inventory, config.name),
                    warnings=list(session.warnings), api_calls=session.calls)
    ctx.progress(config.name, out.objects)
    return out

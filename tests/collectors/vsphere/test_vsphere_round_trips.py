"""Round trips of a vSphere collection, counted on the wire: at most ceil(N / page_size) + 5.

N is the number of managed objects the PropertyCollector reports (VMs, hosts, datastores,
compute resources, datacenters, folders, and the custom fields manager). A collection is the
version probe, RetrieveServiceContent, Login, one request per page and Logout.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import pytest
from pyVim.connect import Disconnect, SmartConnect

from tests.vcsim.counting_proxy import counting_proxy
from tests.vcsim.harness import Vcsim, running
from trondocs.collectors.base import CollectContext
from trondocs.collectors.vsphere import Config, collect
from trondocs.collectors.vsphere.inventory import PC, PROPERTIES, filter_spec
from trondocs.state.models import AssetKind

# vcsim -vm 10: 20 VMs (10 per resource pool), 4 hosts, 1 datastore, a cluster, a standalone
# compute resource, the datacenter and its 4 folders, plus the custom fields manager: 33 objects.
OBJECTS = 33


@pytest.fixture(scope="module")
def vcsim_20() -> Iterator[Vcsim]:
    with running("-vm", "10") as sim:
        yield sim


@pytest.mark.parametrize("page_size", [4, 7, 33, 100])
def test_round_trips_on_the_wire_are_pages_plus_four(vcsim_20: Vcsim, page_size: int):
    with counting_proxy(vcsim_20.host, vcsim_20.port) as proxy:
        result = collect(Config(name="vc", host=proxy.host, port=proxy.port, protocol="http",
                                page_size=page_size), CollectContext(env=vcsim_20.env))
    assert len([a for a in result.assets if a.kind is AssetKind.VM]) == 20
    pages = math.ceil(OBJECTS / page_size)
    assert len(proxy.requests) <= pages + 5  # the bound of issue 17
    assert len(proxy.requests) == pages + 4, proxy.requests  # what it is today
    assert proxy.requests[0] == "GET /sdk/vimServiceVersions.xml"
    assert result.api_calls == len(proxy.requests)  # the collector's own count is the true one


def test_the_traversal_reports_what_a_container_view_holds(vcsim_20: Vcsim):
    """The objects are the ones a recursive ContainerView over the root folder holds, no more."""
    si = SmartConnect(host=vcsim_20.host, port=vcsim_20.port, user=vcsim_20.username,
                      pwd=vcsim_20.password, protocol="http")
    try:
        content = si.RetrieveContent()
        found = content.propertyCollector.RetrievePropertiesEx(
            [filter_spec(content.rootFolder, None)], PC.RetrieveOptions(maxObjects=1000))
        view = content.viewManager.CreateContainerView(content.rootFolder, list(PROPERTIES), True)
        assert found.token is None
        assert sorted(o.obj._moId for o in found.objects) == sorted(o._moId for o in view.view)
        assert len(found.objects) == OBJECTS - 1  # all but the custom fields manager
    finally:
        Disconnect(si)

"""SOAP requests for 500 VMs stay within the paging bound: per-object access can never creep back in."""

from __future__ import annotations

import math

import pytest

from tests.vcsim.harness import Vcsim
from trondocs.collectors.base import CollectContext
from trondocs.collectors.vsphere import Config, collect
from trondocs.state.models import AssetKind

# vcsim -vm 250: 500 VMs, 4 hosts, 1 datastore, a cluster, a standalone compute resource, the
# datacenter and its 4 folders in the view, plus the custom fields manager: 513 objects.
OBJECTS = 513
# version probe, RetrieveServiceContent, Login, Logout (no ContainerView: see inventory.py)
FIXED_CALLS = 4


@pytest.mark.parametrize("page_size", [100, 500])
def test_500_vms_cost_pages_plus_a_constant(vcsim_500: Vcsim, page_size: int):
    pages: list[int] = []
    ctx = CollectContext(env=vcsim_500.env, progress=lambda source, n: pages.append(n))
    result = collect(Config(name="big", host=vcsim_500.host, port=vcsim_500.port, protocol="http",
                            page_size=page_size), ctx)
    assert len([a for a in result.assets if a.kind is AssetKind.VM]) == 500
    assert len(result.restore_points) == 1000
    expected_pages = math.ceil(OBJECTS / page_size)
    assert len(pages) - 1 == expected_pages  # one progress report per page, then the total
    assert result.api_calls <= expected_pages + FIXED_CALLS
    assert result.api_calls >= expected_pages  # the pages really were fetched one by one

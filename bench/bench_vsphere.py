"""vSphere collector vs a bare pyVmomi PropertyCollector retrieval, against vcsim, in one run.

Seeds vcsim with 5,000 VMs (its -vm flag) and 15,000 snapshots (its -snapshots flag: created
through the vSphere API at start-up), then times, alternately:

- the collector: ``trondocs.collectors.vsphere.collect`` (login, paged retrieval, conversion
  into State models, logout);
- the baseline: the same properties read with pyVmomi's SmartConnect and a paged
  RetrievePropertiesEx/ContinueRetrievePropertiesEx loop over the same ContainerView, walking
  the snapshot trees and nothing more.

It prints objects/s and API calls for both and the ratio. Usage: .venv/bin/python bench/bench_vsphere.py
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyVim.connect import Disconnect, SmartConnect  # noqa: E402
from pyVmomi import vim, vmodl  # noqa: E402

from bench.common import machine_load, record, timed  # noqa: E402
from tests.vcsim.harness import Vcsim, running  # noqa: E402
from trondocs.collectors.base import CollectContext  # noqa: E402
from trondocs.collectors.vsphere import Config, collect  # noqa: E402
from trondocs.collectors.vsphere.inventory import PROPERTIES  # noqa: E402

PC = vmodl.query.PropertyCollector


def run_collector(sim: Vcsim, page_size: int) -> tuple[int, int]:
    config = Config(name="bench", host=sim.host, port=sim.port, protocol="http", page_size=page_size,
                    timeout=300)
    result = collect(config, CollectContext(env=sim.env))
    return result.objects, result.api_calls


def run_baseline(sim: Vcsim, page_size: int) -> tuple[int, int]:
    """The same properties, the plain pyVmomi way. Counts requests with pyVmomi's request hook."""
    si = SmartConnect(host=sim.host, port=sim.port, user=sim.username, pwd=sim.password, protocol="http")
    # SmartConnect made 3 requests (vimServiceVersions.xml, RetrieveServiceContent, Login); the
    # hook counts every later one.
    calls = [1, 1, 1]
    si._stub.requestModifierList.append(lambda request: (calls.append(1), request)[1])
    content = si.RetrieveContent()
    try:
        view = content.viewManager.CreateContainerView(content.rootFolder, list(PROPERTIES), True)
        spec = PC.FilterSpec(
            objectSet=[PC.ObjectSpec(obj=view, skip=True, selectSet=[
                PC.TraversalSpec(name="v", path="view", skip=False, type=vim.view.ContainerView)])],
            propSet=[PC.PropertySpec(type=kind, pathSet=paths) for kind, paths in PROPERTIES.items()])
        pc = content.propertyCollector
        result = pc.RetrievePropertiesEx([spec], PC.RetrieveOptions(maxObjects=page_size))
        objects = 0
        while result is not None:
            for item in result.objects:
                if isinstance(item.obj, vim.VirtualMachine | vim.HostSystem | vim.Datastore):
                    objects += 1
                for prop in item.propSet:
                    if prop.name == "snapshot":
                        objects += _count_tree(prop.val.rootSnapshotList)
            result = pc.ContinueRetrievePropertiesEx(result.token) if result.token else None
        view.DestroyView()
    finally:
        Disconnect(si)  # Logout
    return objects, len(calls)


def _count_tree(trees) -> int:
    return sum(1 + _count_tree(t.childSnapshotList) for t in trees or [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms-per-pool", type=int, default=2500, help="vcsim -vm (2 pools: 5,000 VMs)")
    parser.add_argument("--snapshots", type=int, default=3, help="snapshots per VM (15,000)")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    with running("-vm", str(args.vms_per_pool), "-snapshots", str(args.snapshots),
                 start_timeout=600) as sim:
        print(f"vcsim seeded with {2 * args.vms_per_pool} VMs, "
              f"{2 * args.vms_per_pool * args.snapshots} snapshots in {time.perf_counter() - started:.1f} s")
        timings: dict[str, list[float]] = {"collector": [], "baseline": []}
        seen: dict[str, tuple[int, int]] = {}
        for _ in range(args.rounds):  # alternate, so both see the same machine load
            for name, run in (("baseline", run_baseline), ("collector", run_collector)):
                seen[name], took = timed(lambda run=run: run(sim, args.page_size))
                timings[name].append(took.wall)

    # best of N: the machine is shared, and load only ever adds time
    print(f"{'':10} {'objects':>8} {'best s':>9} {'objects/s':>10} {'API calls':>10}")
    rate = {}
    for name in ("baseline", "collector"):
        objects, calls = seen[name]
        best = min(timings[name])
        rate[name] = objects / best
        print(f"{name:10} {objects:8d} {best:9.2f} {rate[name]:10.0f} {calls:10d}")
    print(f"ratio collector/baseline objects/s: {rate['collector'] / rate['baseline']:.2f} "
          f"(1.00 = no overhead over bare pyVmomi; the collector also builds State models)")
    vms = 2 * args.vms_per_pool
    record("vSphere collector", small="bare PropertyCollector", large=f"collector, {vms:,} VMs",
           figure=f"{seen['baseline'][1]} → {seen['collector'][1]} API calls",
           ratio=rate["baseline"] / rate["collector"], peak_mb=None,
           target=f"≤ 1.3x wall, ≤ {-(-vms // args.page_size) + 5} round trips")
    print(f"({machine_load()})")


if __name__ == "__main__":
    main()

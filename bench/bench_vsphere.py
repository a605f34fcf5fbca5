"""vSphere collector vs a bare pyVmomi PropertyCollector doing the same work, against vcsim, at two sizes.

Seeds vcsim at each size (its -vm flag: VMs per resource pool, two pools; -snapshots: snapshots
per VM, created through the vSphere API at start-up), then times, in paired rounds that
alternate which goes first:

- the collector: ``trondocs.collectors.vsphere.collect`` (version probe, login, the paged
  retrieval, conversion into State models, logout);
- the baseline, doing the same work bare: pyVmomi's SmartConnect (version probe, service
  content, login; one more RetrieveServiceContent to get the content it does not keep), the
  same properties of the same objects through the same filter (traversal from the root
  folder) paged with RetrievePropertiesEx/ContinueRetrievePropertiesEx, walking
  every snapshot tree, Logout. What only the collector does is building State models.

Per size it prints the wall ratio collector/baseline (median of the rounds' ratios), the round
trips of each — HTTP requests counted on the wire by a proxy in front of vcsim, in a separate
run so the proxy is not timed — against the bound ceil(N/page) + 5 (N: the objects the
PropertyCollector reports), and the peak of Python memory allocated by each (tracemalloc, again
in a separate run: it slows what it watches). The larger size's row goes to the bench results
file (bench/common.py ``record``), with the collector's time ratio between the two sizes.
Without vcsim (scripts/build-vcsim needs Go and govmomi's sources) it says so and records nothing:
``make bench`` goes on, and its summary shows the row as not measured.
Usage: .venv/bin/python bench/bench_vsphere.py [--vms-per-pool 2500] [--factor 10] [--rounds 5]
"""

from __future__ import annotations

import argparse
import math
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pyVim.connect import SmartConnect  # noqa: E402
from pyVmomi import vim  # noqa: E402

from bench.common import Run, machine_load, median_run, paired, record, timed  # noqa: E402
from tests.vcsim.counting_proxy import counting_proxy  # noqa: E402
from tests.vcsim.harness import Vcsim, VcsimError, running  # noqa: E402
from trondocs.collectors.base import CollectContext  # noqa: E402
from trondocs.collectors.vsphere import Config, collect  # noqa: E402
from trondocs.collectors.vsphere.inventory import PC, filter_spec  # noqa: E402

# Besides VMs, vcsim's inventory at any -vm: 4 hosts, 1 datastore, a cluster, a standalone compute
# resource, the datacenter, its 4 folders, and the custom fields manager.
OTHER_OBJECTS = 13


def run_collector(host: str, port: int, sim: Vcsim, page_size: int) -> int:
    config = Config(name="bench", host=host, port=port, protocol="http", page_size=page_size,
                    timeout=300, deadline="30m")
    return collect(config, CollectContext(env=sim.env)).objects


def run_baseline(host: str, port: int, sim: Vcsim, page_size: int) -> int:
    """The same objects and properties, the plain pyVmomi way; counts VMs, hosts, datastores, snapshots."""
    si = SmartConnect(host=host, port=port, user=sim.username, pwd=sim.password, protocol="http",
                      connectionPoolTimeout=300)
    content = si.RetrieveContent()  # SmartConnect read it too, but does not hand it out: one more trip
    try:
        pc = content.propertyCollector
        result = pc.RetrievePropertiesEx([filter_spec(content.rootFolder, content.customFieldsManager)],
                                         PC.RetrieveOptions(maxObjects=page_size))
        objects = 0
        while result is not None:
            for item in result.objects:
                if isinstance(item.obj, vim.VirtualMachine | vim.HostSystem | vim.Datastore):
                    objects += 1
                for prop in item.propSet or []:
                    if prop.name == "snapshot":
                        objects += _count_tree(prop.val.rootSnapshotList)
            result = pc.ContinueRetrievePropertiesEx(result.token) if result.token else None
    finally:
        content.sessionManager.Logout()  # what Disconnect does, without its own RetrieveServiceContent
    return objects


def _count_tree(trees) -> int:
    return sum(1 + _count_tree(t.childSnapshotList) for t in trees or [])


def round_trips(sim: Vcsim, run: Callable[..., int], page_size: int) -> int:
    with counting_proxy(sim.host, sim.port) as proxy:
        run(proxy.host, proxy.port, sim, page_size)
    return len(proxy.requests)


def peak_mb(sim: Vcsim, run: Callable[..., int], page_size: int) -> float:
    tracemalloc.start()
    try:
        run(sim.host, sim.port, sim, page_size)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(vms_per_pool: int, snapshots: int, page_size: int, rounds: int) -> dict:
    with running("-vm", str(vms_per_pool), "-snapshots", str(snapshots), start_timeout=900) as sim:
        runs = {"baseline": run_baseline, "collector": run_collector}
        seen: dict[str, int] = {}

        def timed_run(name: str) -> Run:
            seen[name], took = timed(lambda: runs[name](sim.host, sim.port, sim, page_size))
            return Run(wall=took.wall, cpu=took.cpu, peak_mb=0.0, returncode=0)

        bases, colls, _ = paired(lambda: timed_run("baseline"), lambda: timed_run("collector"), rounds)
        if seen["baseline"] != seen["collector"]:
            raise SystemExit(f"not the same work: the baseline saw {seen['baseline']} objects (VMs, hosts, "
                             f"datastores, snapshots), the collector {seen['collector']}")
        wall_ratios = sorted(c.wall / b.wall for b, c in zip(bases, colls, strict=True))
        return {
            "vms": 2 * vms_per_pool, "objects": 2 * vms_per_pool + OTHER_OBJECTS, "seen": seen["collector"],
            "baseline": median_run(bases), "collector": median_run(colls),
            "wall_ratio": wall_ratios[len(wall_ratios) // 2],
            "trips": {name: round_trips(sim, run, page_size) for name, run in runs.items()},
            "peak": {name: peak_mb(sim, run, page_size) for name, run in runs.items()},
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vms-per-pool", type=int, default=2500, help="vcsim -vm at the larger size "
                        "(2 pools: 5,000 VMs)")
    parser.add_argument("--factor", type=int, default=10, help="the smaller size has this many times fewer")
    parser.add_argument("--snapshots", type=int, default=3, help="snapshots per VM")
    parser.add_argument("--page-size", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    try:
        sizes = [measure(vms, args.snapshots, args.page_size, args.rounds)
                 for vms in (max(1, args.vms_per_pool // args.factor), args.vms_per_pool)]
    except VcsimError as error:  # no simulator here: the summary shows this row as not measured
        print(f"not measured: {error}")
        return
    print(f"{'VMs':>7} {'baseline s':>10} {'collector s':>11} {'wall ratio':>10} {'round trips':>12} "
          f"{'bound':>6} {'peak MB (bare/coll)':>20}")
    for size in sizes:
        bound = math.ceil(size["objects"] / args.page_size) + 5
        print(f"{size['vms']:7,} {size['baseline'].wall:10.2f} {size['collector'].wall:11.2f} "
              f"{size['wall_ratio']:9.2f}x {size['trips']['baseline']:5d} / {size['trips']['collector']:<5d} "
              f"{bound:6d} {size['peak']['baseline']:9.0f} / {size['peak']['collector']:<9.0f}")
    small, large = sizes
    scaling = large["collector"].wall / small["collector"].wall
    print(f"collector {large['vms']:,} / {small['vms']:,} VMs: {scaling:.1f}x wall "
          f"(linear ≈ {large['vms'] / small['vms']:.0f})")
    bound = math.ceil(large["objects"] / args.page_size) + 5
    record("vSphere collector vs bare PropertyCollector", small=f"{small['vms']:,}",
           large=f"{large['vms']:,} VMs",
           figure=f"{large['wall_ratio']:.2f}x wall of bare, {large['trips']['collector']} round trips "
                  f"(bare {large['trips']['baseline']}); at {small['vms']:,}: {small['wall_ratio']:.2f}x, "
                  f"{small['trips']['collector']}",
           ratio=scaling, peak_mb=large["peak"]["collector"],
           target=f"≤ 1.3x wall, ≤ {bound} round trips (ceil(N/page) + 5)")
    print(f"({machine_load()})")


if __name__ == "__main__":
    main()

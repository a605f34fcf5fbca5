"""AWS collector vs sequential region-by-region paging with bare boto3, against moto, in one run.

Seeds moto with 4 regions × 5,000 EBS snapshots (plus an instance with its volumes in each),
one moto server per region — AWS regions are separate endpoints, so the collector is pointed
at them with ``region_endpoint_urls``. Then times, alternately:

- the collector: ``trondocs.collectors.aws.collect`` with ``services: [ec2]`` (identity,
  instances, volumes and snapshots of every region, in parallel, converted into State models);
- the baseline: the same three paginated EC2 reads with bare boto3 clients, one region after
  the other, and nothing more: the same API work as the collector (the same reads; both must
  see every snapshot, checked each round); what only the collector does is build State models.

It prints the time, the API calls (pages) and the ratio collector/baseline (below 1: faster),
and, for reference, bare boto3 reading the regions at once: moto serves on this machine's
CPUs, so on a busy machine even that cannot beat region by region, and neither can the collector.
Note: moto returns DescribeSnapshots in one page whatever the page size, so a region is 3
pages here; AWS would send at most 1,000 snapshots a page.
Usage: .venv/bin/python bench/bench_aws.py [--snapshots 5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import boto3  # noqa: E402
import botocore.config  # noqa: E402

from bench.common import Timing, machine_load, timed  # noqa: E402
from trondocs.collectors.aws import Config, collect  # noqa: E402
from trondocs.collectors.aws.ec2 import PAGES  # noqa: E402  (same page sizes for both)
from trondocs.collectors.base import CollectContext  # noqa: E402

REGIONS = ["eu-central-1", "eu-west-1", "us-east-1", "ap-southeast-1"]
VOLUMES = 50  # per region; CreateSnapshots snapshots all of an instance's volumes in one call
KEYS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_moto() -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = os.environ | {"MOTO_EC2_LOAD_DEFAULT_AMIS": "false"}
    command = [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("moto_server did not start")


def client(region: str, url: str):
    return boto3.client("ec2", region_name=region, endpoint_url=url,
                        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 3}))


def seed(region: str, url: str, snapshots: int) -> int:
    ec2 = client(region, url)
    instance = ec2.run_instances(ImageId="ami-0c0ffee0bench0001", MinCount=1, MaxCount=1,
                                 Placement={"AvailabilityZone": f"{region}a"})["Instances"][0]["InstanceId"]
    for n in range(VOLUMES - 1):  # the root volume is the 50th
        volume = ec2.create_volume(AvailabilityZone=f"{region}a", Size=100)["VolumeId"]
        device = f"/dev/sd{chr(98 + n // 26)}{chr(97 + n % 26)}"
        ec2.attach_volume(VolumeId=volume, InstanceId=instance, Device=device)
    made = 0
    while made < snapshots:
        # untagged: moto looks each snapshot's tags up by scanning all tags (quadratic), which
        # would measure moto rather than the collector
        made += len(ec2.create_snapshots(InstanceSpecification={"InstanceId": instance},
                                         Description="bench")["Snapshots"])
    return made


def run_collector(urls: dict[str, str]) -> tuple[Timing, int, int]:
    config = Config(name="bench", regions=REGIONS, region_endpoint_urls=urls, services=["ec2"], timeout=120)
    result, took = timed(lambda: collect(config, CollectContext(env={})))
    assert all(s.ok for s in result.scopes), result.scopes
    return took, len(result.restore_points), result.api_calls


def read_region(region: str, url: str) -> tuple[int, int]:
    ec2 = client(region, url)
    pages = snapshots = 0
    for op, kwargs in (("describe_instances", {}), ("describe_volumes", {}),
                       ("describe_snapshots", {"OwnerIds": ["self"]})):
        for page in ec2.get_paginator(op).paginate(**kwargs, PaginationConfig={"PageSize": PAGES[op]}):
            pages += 1
            snapshots += len(page.get("Snapshots", []))
    return snapshots, pages


def run_baseline(urls: dict[str, str]) -> tuple[Timing, int, int]:
    counts, took = timed(lambda: [read_region(region, urls[region]) for region in REGIONS])
    return took, sum(c[0] for c in counts), sum(c[1] for c in counts)


def run_bare_parallel(urls: dict[str, str]) -> Timing:
    """What this machine allows: the baseline's reads, regions at once. Not the collector."""
    def read_all() -> None:
        with concurrent.futures.ThreadPoolExecutor(len(REGIONS)) as pool:
            list(pool.map(lambda r: read_region(r, urls[r]), REGIONS))
    return timed(read_all)[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=5000, help="per region")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.update(KEYS)
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    servers = {region: start_moto() for region in REGIONS}
    urls = {region: url for region, (_proc, url) in servers.items()}
    try:
        began = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(len(REGIONS)) as pool:
            made = list(pool.map(lambda r: seed(r, urls[r], args.snapshots), REGIONS))
        print(f"seeded {len(REGIONS)} regions × {made[0]} snapshots in {time.perf_counter() - began:.1f} s "
              f"(one moto server per region)")
        best_c = best_b = best_p = float("inf")
        for n in range(args.rounds):  # alternate who goes first: the machine's load drifts
            if n % 2:
                took_b, snaps, pages = run_baseline(urls)
                took_c, points, calls = run_collector(urls)
            else:
                took_c, points, calls = run_collector(urls)
                took_b, snaps, pages = run_baseline(urls)
            assert points == snaps == sum(made), (points, snaps, made)
            took_p = run_bare_parallel(urls)
            best_c, best_b, best_p = (min(best_c, took_c.wall), min(best_b, took_b.wall),
                                      min(best_p, took_p.wall))
            print(f"round {n + 1}: collector {took_c.wall:.2f} s ({calls} API calls), "
                  f"baseline {took_b.wall:.2f} s ({pages} pages), ratio {took_c.wall / took_b.wall:.2f}; "
                  f"client CPU {took_c.cpu:.2f} s vs {took_b.cpu:.2f} s; "
                  f"bare boto3 regions at once {took_p.wall:.2f} s")
        print(f"restore points: {points}")
        print(f"collector (parallel regions, State models): {best_c:.2f} s, {calls} API calls "
              f"(incl. 1 GetCallerIdentity)")
        print(f"baseline  (bare boto3, region by region):   {best_b:.2f} s, {pages} pages")
        print(f"ratio collector/baseline (best of {args.rounds} each): {best_c / best_b:.2f}")
        # moto serves on this machine's CPUs: when they are busy, no client can overlap regions;
        # bare boto3 reading the regions at once shows how much overlap the machine allows
        print(f"bare boto3, regions at once (the machine's limit): {best_p:.2f} s, "
              f"ratio to baseline {best_p / best_b:.2f}")
        print(f"({machine_load()})")
    finally:
        for proc, _url in servers.values():
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()

"""Benchmark: ``trondocs build`` (drift + site + PDF) at 100 and 500 nodes, cold and warm, whole process.

The estates are bench/estate.py's on disk (inventory/*.yaml, state.json; 56 points a node, every
fifth node on EC2). Each run is the real command in a child process —
``trondocs build -i inventory --state state.json --no-history -o site -q`` — cold (no site yet)
and then warm (the same inputs again: the PDF is kept by its content hash). The ratio is the
cold CPU time large/small of one interleaved pair (small, large, large, small with --rounds 2);
peak memory is each child's own maximum resident set (wait4).
Run: .venv/bin/python bench/bench_build.py [--nodes 500] [--factor 5] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import Run, machine_load, median_run, paired, record, run_process  # noqa: E402
from bench.estate import write_estate  # noqa: E402

POINTS = 56
GROUP = 50
AWS_SHARE = 0.2


def build(folder: Path, *, cold: bool) -> Run:
    if cold:
        shutil.rmtree(folder / "site", ignore_errors=True)
    return run_process([sys.executable, "-m", "trondocs", "build", "-i", "inventory", "--state", "state.json",
                        "--no-history", "-o", "site", "-q"], cwd=str(folder),
                       env=os.environ | {"PYTHONPATH": str(ROOT)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500, help="the larger estate")
    parser.add_argument("--factor", type=int, default=5, help="the smaller estate is this many times smaller")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    many = args.nodes
    few = max(many // args.factor, 4)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        small, large = Path(tmp) / "small", Path(tmp) / "large"
        for folder, nodes in ((small, few), (large, many)):
            write_estate(folder, nodes, points_per_node=POINTS, group=GROUP, aws_share=AWS_SHARE)
        cold_s, cold_l, ratio = paired(lambda: build(small, cold=True), lambda: build(large, cold=True),
                                       args.rounds)
        warm_s, warm_l, warm_ratio = paired(lambda: build(small, cold=False),
                                            lambda: build(large, cold=False), args.rounds)
    for name, runs in (("cold", (cold_s, cold_l)), ("warm", (warm_s, warm_l))):
        a, b = median_run(runs[0]), median_run(runs[1])
        print(f"build {name}: {few} nodes {a.wall:6.1f} s wall {a.cpu:6.1f} s CPU peak {a.peak_mb:5.0f} MB; "
              f"{many} nodes {b.wall:6.1f} s wall {b.cpu:6.1f} s CPU peak {b.peak_mb:5.0f} MB")
    a, b = median_run(cold_s), median_run(cold_l)
    record("trondocs build, cold", small=f"{few}", large=f"{many} nodes",
           figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({b.wall:.1f} s wall)", ratio=ratio, peak_mb=b.peak_mb,
           target="≤ 60 s, ≤ 1 GB at 500")
    a, b = median_run(warm_s), median_run(warm_l)
    record("trondocs build, PDF unchanged", small=f"{few}", large=f"{many} nodes",
           figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({b.wall:.1f} s wall)", ratio=warm_ratio,
           peak_mb=b.peak_mb, target="≤ 25 s at 500")
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

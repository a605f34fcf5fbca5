"""Benchmark: evaluate() on 1,000 and 10,000 nodes with 100 restore points each, in this process.

The work is ``trondocs.evaluate.evaluate`` — attribution, evidence, every rule, the assessment —
on bench/estate.py's estates (built before timing). The baseline of the ratio is the same call,
doing the same work as the tool, on the smaller estate: rounds interleave the sizes (small,
large, then large, small, …) and the ratio is the median of the rounds' CPU ratios large/small.
Linear evaluation gives about the size factor (10); a quadratic step would show ~100. The
target is missed when the ratio exceeds the issue's (11 for a factor of 10) or the large estate
takes longer than ``--target`` seconds CPU: the row says so (``met``), and bench/summary.py, at
the end of ``make bench``, names it.
Peak memory: what evaluating the larger estate adds to this process's resident set (its peak
while evaluating, less what it held before: both estates, built beforehand).
Run: .venv/bin/python bench/bench_evaluate.py [--nodes 1000] [--factor 10] [--rounds 3]
(e.g. ``--nodes 100`` for a quick check: 100 vs 1,000 nodes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Run, machine_load, median_run, paired, record, resident_mb, resident_peak_mb, timed
from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate import evaluate

POINTS = 100
GROUP = 100  # nodes per replication/backup job


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000, help="the smaller estate")
    parser.add_argument("--factor", type=int, default=10, help="the larger estate is this many times bigger")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--target", type=float, default=2.0, help="CPU seconds allowed at the larger size")
    args = parser.parse_args()
    few, many = args.nodes, args.nodes * args.factor
    estates = {n: synthetic_estate(n, points_per_node=POINTS, group=GROUP) for n in (few, many)}
    found: dict[int, int] = {}

    def run(nodes: int) -> Run:
        loaded, state = estates[nodes]
        before = resident_mb()
        (assessment, took), peak = resident_peak_mb(
            lambda: timed(lambda: evaluate(loaded, state, as_of=AS_OF)))
        found[nodes] = len(assessment.findings)
        del assessment
        return Run(wall=took.wall, cpu=took.cpu, peak_mb=peak - before, returncode=0)

    smalls, larges, ratio = paired(lambda: run(few), lambda: run(many), args.rounds)
    small, large = median_run(smalls), median_run(larges)
    width = len(f"{many:,}")
    for nodes, took in ((few, small), (many, large)):
        print(f"evaluate {nodes:>{width},} nodes × {POINTS} restore points: {took.wall:7.2f} s wall "
              f"{took.cpu:7.2f} s CPU, +{took.peak_mb:5.0f} MB ({found[nodes]:,} findings)")
    print(f"ratio {many:,} / {few:,} nodes: {ratio:.1f} (median of {args.rounds} paired rounds; "
          f"linear ≈ {args.factor})")
    record("evaluate", small=f"{few:,}", large=f"{many:,} nodes × {POINTS} points",
           figure=f"{small.cpu:.2f} s → {large.cpu:.2f} s CPU ({small.wall:.1f} s → {large.wall:.1f} s wall)",
           ratio=ratio, peak_mb=large.peak_mb,
           target=f"≤ {args.target:g} s at {many:,}, ≤ {1.1 * args.factor:g}x",
           met=ratio <= 1.1 * args.factor and large.cpu <= args.target)
    print(f"({machine_load()})")
    return 0  # a miss is in the row: make bench goes on to its table, which fails


if __name__ == "__main__":
    sys.exit(main())

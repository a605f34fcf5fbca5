"""Benchmark: evaluate() on 1,000 and 10,000 nodes with 100 restore points each.

Prints both times and their ratio; evaluation is linear in the size of plan and state, so
ten times the nodes should take about ten times as long (a quadratic step would show ~100).
Run: .venv/bin/python bench/bench_evaluate.py [--nodes 1000] [--factor 10]
(e.g. ``--nodes 100`` for a quick check: 100 vs 1,000 nodes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import best_of, machine_load
from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate import evaluate

POINTS = 100
GROUP = 100  # nodes per replication/backup job


def measure(nodes: int, repeat: int) -> tuple[float, int]:
    loaded, state = synthetic_estate(nodes, points_per_node=POINTS, group=GROUP)
    assessment, took = best_of(repeat, lambda: evaluate(loaded, state, as_of=AS_OF))
    return took.wall, len(assessment.findings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1_000, help="the smaller estate")
    parser.add_argument("--factor", type=int, default=10, help="the larger estate is this many times bigger")
    args = parser.parse_args()
    few, many = args.nodes, args.nodes * args.factor
    small, small_findings = measure(few, repeat=3)
    large, large_findings = measure(many, repeat=1)
    ratio = large / small
    width = len(f"{many:,}")
    for nodes, took, found in ((few, small, small_findings), (many, large, large_findings)):
        print(f"evaluate {nodes:>{width},} nodes × {POINTS} restore points: {took:7.2f} s  "
              f"({found:,} findings)")
    print(f"ratio {many:,} / {few:,} nodes: {ratio:.1f} (linear ≈ {args.factor})")
    print(f"({machine_load()})")
    return 0 if ratio < 2 * args.factor else 1


if __name__ == "__main__":
    sys.exit(main())

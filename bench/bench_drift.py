"""Benchmark: ``trondocs drift`` and loading the plan, at 500 and 5,000 nodes, whole process.

The estates are bench/estate.py's, written to disk as an operator keeps them (inventory/*.yaml,
state.json; 56 restore points a node). Each size runs the real command in a child process —
``trondocs drift -i inventory --state state.json --no-baseline --fail-on never`` — so the figure
includes start-up, reading the YAML and the state, evaluation and the text table: what a nightly
job waits for. Rounds interleave the sizes (small, large, large, small, …) and the ratio is the
median of each round's CPU large/small, so both see the same machine load. Peak memory is each
child's own maximum resident set (wait4).

The load rows time ``load_plan`` (parse, merge, validate, check) in this process, paired the
same way: the baseline is the same call at the other size.
Run: .venv/bin/python bench/bench_drift.py [--nodes 500] [--factor 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Run, machine_load, median_run, paired, record, run_trondocs, timed, write_estates
from trondocs.plan.loader import load_plan


def drift(folder: Path) -> Run:
    return run_trondocs(folder, "drift", "-i", "inventory", "--state", "state.json", "--no-baseline",
                        "--fail-on", "never")


def load(folder: Path) -> Run:
    _, took = timed(lambda: load_plan(folder / "inventory"))
    return Run(wall=took.wall, cpu=took.cpu, peak_mb=0.0, returncode=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    few, many = args.nodes, args.nodes * args.factor
    with tempfile.TemporaryDirectory(prefix="bench-drift-") as tmp:
        small, large = write_estates(Path(tmp), (few, many))
        loads_s, loads_l, load_ratio = paired(lambda: load(small), lambda: load(large), args.rounds)
        runs_s, runs_l, ratio = paired(lambda: drift(small), lambda: drift(large), args.rounds)
    a, b = median_run(runs_s), median_run(runs_l)
    la, lb = median_run(loads_s), median_run(loads_l)
    print(f"drift {few:,} nodes:  {a.wall:6.2f} s wall {a.cpu:6.2f} s CPU, peak {a.peak_mb:5.0f} MB")
    print(f"drift {many:,} nodes: {b.wall:6.2f} s wall {b.cpu:6.2f} s CPU, peak {b.peak_mb:5.0f} MB")
    print(f"load plan {few:,} nodes: {la.wall:.2f} s; {many:,} nodes: {lb.wall:.2f} s")
    record("trondocs drift", small=f"{few:,}", large=f"{many:,} nodes",
           figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({b.wall:.1f} s wall)", ratio=ratio, peak_mb=b.peak_mb,
           target="≤ 10 s at 5,000, ≤ 12x, ≤ 500 MB")
    record("loading the plan", small=f"{few:,}", large=f"{many:,} nodes",
           figure=f"{la.cpu:.2f} s → {lb.cpu:.2f} s CPU", ratio=load_ratio, peak_mb=None,
           target="≤ 0.5 s at 500")
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: ``trondocs drift`` and loading the plan, at 500 and 5,000 nodes, whole process.

The estates are bench/estate.py's, written to disk as an operator keeps them (bench/common.py
``write_estates``: inventory/*.yaml, state.json; 56 restore points a node, every fifth node on
EC2), the same estates bench_build.py uses. Each size runs the real command in a child process
(bench/common.py ``run_trondocs``) —
``trondocs drift -i inventory --state state.json --no-baseline --fail-on never`` — so the figure
includes start-up, reading the YAML and the state, evaluation and the text table: what a nightly
job waits for. There is no separate baseline program: the baseline of the ratio is the same
command, doing the same work, on the smaller estate. Rounds interleave the sizes (small, large,
large, small, …) and the ratio is the median of each round's CPU large/small, so both see the
same machine load. Peak memory is each child's own maximum resident set.

The load rows time ``load_plan`` (parse, merge, validate, check) in this process, paired the
same way: the baseline is the same call at the other size; their peak is what loading adds
to this process's resident set.
Run: .venv/bin/python bench/bench_drift.py [--nodes 5000] [--factor 10] [--rounds 3]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    Run,
    machine_load,
    median_run,
    paired,
    record,
    resident_mb,
    resident_peak_mb,
    run_trondocs,
    size_arguments,
    timed,
    write_estates,
)
from trondocs.plan.loader import load_plan  # noqa: E402


def drift(folder: Path) -> Run:
    return run_trondocs(folder, "drift", "-i", "inventory", "--state", "state.json", "--no-baseline",
                        "--fail-on", "never")


def load(folder: Path) -> Run:
    before = resident_mb()
    (_, took), peak = resident_peak_mb(lambda: timed(lambda: load_plan(folder / "inventory")))
    return Run(wall=took.wall, cpu=took.cpu, peak_mb=peak - before, returncode=0)


def main() -> int:
    parser = size_arguments(__doc__.splitlines()[0], factor=10, rounds=3)
    parser.set_defaults(nodes=5_000)
    args = parser.parse_args()
    few, many = max(args.nodes // args.factor, 4), args.nodes
    with tempfile.TemporaryDirectory(prefix="bench-drift-") as tmp:
        small, large = write_estates(Path(tmp), (few, many))
        loads_s, loads_l, load_ratio = paired(lambda: load(small), lambda: load(large), args.rounds)
        runs_s, runs_l, ratio = paired(lambda: drift(small), lambda: drift(large), args.rounds)
    a, b = median_run(runs_s), median_run(runs_l)
    issue_sizes = (few, many) == (500, 5_000)  # the sizes issue 17's targets are stated for
    la, lb = median_run(loads_s), median_run(loads_l)
    print(f"drift {few:,} nodes:  {a.wall:6.2f} s wall {a.cpu:6.2f} s CPU, peak {a.peak_mb:5.0f} MB")
    print(f"drift {many:,} nodes: {b.wall:6.2f} s wall {b.cpu:6.2f} s CPU, peak {b.peak_mb:5.0f} MB")
    print(f"load plan {few:,} nodes: {la.wall:.2f} s wall {la.cpu:.2f} s CPU, +{max(la.peak_mb, 0):.0f} MB; "
          f"{many:,} nodes: {lb.wall:.2f} s wall {lb.cpu:.2f} s CPU, +{max(lb.peak_mb, 0):.0f} MB")
    print(f"ratios {many:,} / {few:,} nodes (median of {args.rounds} paired rounds, CPU): drift {ratio:.1f}, "
          f"load {load_ratio:.1f}")
    record("trondocs drift", small=f"{few:,}", large=f"{many:,} nodes",
           figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({a.wall:.1f} s → {b.wall:.1f} s wall), "
                  f"peak {a.peak_mb:.0f} MB at {few:,}", ratio=ratio, peak_mb=b.peak_mb,
           target="≤ 10 s at 5,000, ≤ 12x, ≤ 500 MB",
           met=(b.cpu <= 10 and ratio <= 12 and b.peak_mb <= 500) if issue_sizes else None)
    record("loading the plan", small=f"{few:,}", large=f"{many:,} nodes",
           figure=f"{la.cpu:.2f} s → {lb.cpu:.2f} s CPU ({la.wall:.2f} s → {lb.wall:.2f} s wall)",
           ratio=load_ratio, peak_mb=lb.peak_mb,
           target="≤ 0.5 s at 500", met=la.cpu <= 0.5 if issue_sizes else None)
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

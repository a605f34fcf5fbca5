"""Benchmark: ``trondocs build`` (drift + site + PDF) at 100 and 500 nodes, cold and warm, whole process.

The estates are bench/estate.py's on disk (inventory/*.yaml, state.json; 56 points a node, every
fifth node on EC2). Each run is the real command in a child process —
``trondocs build -i inventory --state state.json --no-history -o site -q`` — so the figure is
what a nightly job waits for, start-up included; there is no separate baseline: the tool's own
work is the subject. Cold: no site yet. Warm: the same inputs again (the site is kept by its
inputs' digest, the PDF by its content hash). Rounds interleave the sizes (small, large, then
large, small, …) and each ratio is the median of the rounds' CPU ratios large/small, so both
sizes of a round see the same machine load. Peak memory is each child's own maximum resident set:
the largest process of its tree (``trondocs build`` runs mkdocs in a child of its own, so the
figure is the larger of the two, not their sum; bench/RESULTS.md, branch build5k, gives the sum).
Run: .venv/bin/python bench/bench_build.py [--nodes 500] [--factor 5] [--rounds 1]
(``--nodes 5000 --factor 10 --rounds 1``: the 5,000-node build of issue 17, ≤ 2 GB.)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Run,
    machine_load,
    median_run,
    paired,
    record,
    run_trondocs,
    size_arguments,
    sizes_line,
    write_estates,
)


def build(folder: Path, *, cold: bool) -> Run:
    if cold:
        shutil.rmtree(folder / "site", ignore_errors=True)
    return run_trondocs(folder, "build", "-i", "inventory", "--state", "state.json", "--no-history",
                        "-o", "site", "-q")


def main() -> int:
    args = size_arguments(__doc__.splitlines()[0]).parse_args()
    sizes = (max(args.nodes // args.factor, 4), args.nodes)
    few, many = sizes
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        small, large = write_estates(Path(tmp), sizes)
        cold = paired(lambda: build(small, cold=True), lambda: build(large, cold=True), args.rounds)
        warm = paired(lambda: build(small, cold=False), lambda: build(large, cold=False), args.rounds)
    for name, (smalls, larges, ratio), target in (
        ("cold", cold, "≤ 60 s, ≤ 1 GB at 500; ≤ 2 GB at 5,000"),
        ("PDF unchanged", warm, "≤ 25 s at 500"),
    ):
        a, b = median_run(smalls), median_run(larges)
        print(sizes_line(f"build {name}", sizes, (a, b)))
        record(f"trondocs build, {name}", small=f"{few:,}", large=f"{many:,} nodes",
               figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({b.wall:.1f} s wall)", ratio=ratio,
               peak_mb=b.peak_mb, target=target)
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

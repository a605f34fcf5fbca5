"""The table ``make bench`` prints at the end: one row per question of issue 17, from the rows the
benches appended to $TRONDOCS_BENCH_RESULTS. Usage: python bench/summary.py RESULTS.jsonl

Every row of the issue's table is printed: one no bench recorded (a size not run by default, a
simulator not installed) shows as "not measured" with the command that measures it. A missed
target is a finding about trondocs, not a broken bench: the summary names the missed rows on a
"missed the target:" line and exits 0, so ``make bench`` succeeds whenever every bench ran.
It exits 1 only when there is nothing to summarise.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import reference_cpu

HEADERS = ("work", "sizes", "figure", "ratio", "peak", "target", "met", "load")
KEYS = ("row", "sizes", "figure", "ratio", "peak", "target", "met", "load")


def _named(name: str) -> Callable[[dict], bool]:
    return lambda r: r["row"] == name


def _build_at(nodes: str) -> Callable[[dict], bool]:
    return lambda r: r["row"] == "trondocs build, cold" and r["sizes"].endswith(f"{nodes} nodes")


# The issue's table, in its order: (work, which recorded row answers it, its target, how to measure it).
ISSUE_ROWS: tuple[tuple[str, Callable[[dict], bool], str, str], ...] = (
    ("evaluate", _named("evaluate"), "≤ 2 s at 10,000, ≤ 11x", "bench/bench_evaluate.py"),
    ("trondocs drift", _named("trondocs drift"), "≤ 10 s at 5,000, ≤ 12x, ≤ 500 MB", "bench/bench_drift.py"),
    ("trondocs build, cold", _build_at("500"), "≤ 60 s, ≤ 1 GB at 500", "bench/bench_build.py"),
    ("trondocs build, PDF unchanged", _named("trondocs build, PDF unchanged"), "≤ 25 s at 500",
     "bench/bench_build.py"),
    ("trondocs build, 5,000 nodes", _build_at("5,000"), "finishes, ≤ 2 GB",
     "bench/bench_build.py --nodes 5000 --factor 10"),
    ("site, same inputs again", _named("site, same inputs again"), "unchanged pages reused",
     "bench/bench_site.py"),
    ("loading the plan", _named("loading the plan"), "≤ 0.5 s at 500", "bench/bench_drift.py"),
    ("vSphere collector vs bare PropertyCollector", _named("vSphere collector vs bare PropertyCollector"),
     "≤ 1.3x, ≤ ceil(N/page) + 5", "bench/bench_vsphere.py (needs vcsim: scripts/build-vcsim)"),
)


def table(rows: list[dict]) -> list[dict]:
    """The recorded rows, then a "not measured" row for each row of the issue none of them answers."""
    for r in rows:  # rows of older benches have no "met" or "load"
        r.setdefault("load", "?")
        r.setdefault("met", "—")
    shown = list(rows)
    for work, answers, target, command in ISSUE_ROWS:
        if not any(answers(r) for r in rows):
            shown.append({"row": work, "sizes": "—", "figure": f"not measured (run {command})", "ratio": "—",
                          "peak": "—", "target": target, "met": "—", "load": "—"})
    return shown


def main() -> int:
    path = Path(sys.argv[1])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        print("no bench rows recorded")
        return 1
    shown = table(rows)
    print(f"this machine: the reference workload (bench/common.py reference_cpu) takes "
          f"{reference_cpu():.2f} s CPU; figures scale with it between machines")
    widths = [max(len(h), *(len(str(r.get(k, "—"))) for r in shown))
              for h, k in zip(HEADERS, KEYS, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(HEADERS, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in shown:
        print("  ".join(str(r.get(k, "—")).ljust(w) for k, w in zip(KEYS, widths, strict=True)))
    missed = [r["row"] for r in shown if r.get("met") == "NO"]
    if missed:
        print("missed the target: " + ", ".join(missed))
    return 0  # a missed target is in the table and on the line above: the benches did their job


if __name__ == "__main__":
    sys.exit(main())

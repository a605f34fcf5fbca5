"""The table ``make bench`` prints at the end: one row per question of issue 17, from the rows the
benches appended to $TRONDOCS_BENCH_RESULTS. Usage: python bench/summary.py RESULTS.jsonl"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    path = Path(sys.argv[1])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not rows:
        print("no bench rows recorded")
        return 1
    headers = ("work", "sizes", "figure", "ratio", "peak", "target", "met", "load")
    keys = ("row", "sizes", "figure", "ratio", "peak", "target", "met", "load")
    for r in rows:  # the machine's load average when the row was recorded: a busy machine inflates it
        r.setdefault("load", "?")
        r.setdefault("met", "—")  # rows of older benches have no "met"
    widths = [max(len(h), *(len(str(r[k])) for r in rows)) for h, k in zip(headers, keys, strict=True)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(r.get(k, "—")).ljust(w) for k, w in zip(keys, widths, strict=True)))
    missed = [r["row"] for r in rows if r.get("met") == "NO"]
    if missed:
        print("missed the target: " + ", ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

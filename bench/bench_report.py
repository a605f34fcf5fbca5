"""Benchmark: the PDF report of a 100- and a 500-node estate, against WeasyPrint rendering the same HTML.

For each size: trondocs' time (context + HTML + WeasyPrint + evidence attachments + atomic write,
``--detail auto``: the nodes in trouble in detail, the others by name), its page count, the
time WeasyPrint alone takes for the very same final HTML (the baseline: same work minus
trondocs; their ratio is trondocs' overhead), and a second run with unchanged inputs, which
must not re-render (content hash). Then the ratio of the two sizes (CPU, large/small) and this
process's peak memory. ``--detail all`` prints every node, as before issue 17.
Run: .venv/bin/python bench/bench_report.py [NODES] [--detail auto|problems|all]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_load, record, timed
from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate import evaluate
from trondocs.render.report import report_html
from trondocs.workflow.report import write_report

POINTS = 56  # restore points per node: a week of 6-hourly replicas, a fortnight of nightly backups
GROUP = 50  # nodes per Veeam job


def one(nodes: int, detail: str) -> tuple[float, int]:
    from weasyprint import HTML

    loaded, state = synthetic_estate(nodes, points_per_node=POINTS, group=GROUP)
    assessment, evaluated = timed(lambda: evaluate(loaded, state, as_of=AS_OF))
    trouble = sum(1 for n in assessment.nodes if n.status.value in ("fail", "unknown"))
    print(f"estate: {nodes} nodes ({trouble} failing or unknown), {len(state.restore_points):,} restore "
          f"points, {len(assessment.findings):,} rule results (evaluated in {evaluated.wall:.2f}s)")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        first, ours = timed(lambda: write_report(loaded, state, assessment, output, detail=detail))
        assert first.rendered
        pages = len(__import__("pypdf").PdfReader(output).pages)
        html, _, _ = report_html(loaded.plan, state, assessment, paper="a4", detail=detail)
        _, weasy = timed(lambda: HTML(string=html).write_pdf())
        mtime = output.stat().st_mtime_ns
        second, skipped = timed(lambda: write_report(loaded, state, assessment, output, detail=detail))
        assert not second.rendered and output.stat().st_mtime_ns == mtime, "unchanged input re-rendered"
    print(f"  trondocs report:          {ours.wall:7.2f}s wall {ours.cpu:7.2f}s CPU ({pages} pages)")
    print(f"  WeasyPrint, same HTML:    {weasy.wall:7.2f}s wall {weasy.cpu:7.2f}s CPU")
    print(f"  overhead ratio:           {ours.cpu / weasy.cpu:7.2f}x CPU (trondocs / WeasyPrint alone)")
    print(f"  unchanged input, 2nd run: {skipped.wall:7.2f}s (not re-rendered: content hash "
          f"{second.input_hash[:16]}… matches)")
    return ours.cpu, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("nodes", nargs="?", type=int, default=500)
    parser.add_argument("--detail", default="auto", choices=["auto", "problems", "all"])
    args = parser.parse_args()
    few, many = max(args.nodes // 5, 30), args.nodes
    small_cpu, small_pages = one(few, args.detail)
    large_cpu, large_pages = one(many, args.detail)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    record("PDF report", small=f"{few}", large=f"{many} nodes",
           figure=f"{small_pages} → {large_pages} pages, {small_cpu:.1f} s → {large_cpu:.1f} s CPU",
           ratio=large_cpu / small_cpu, peak_mb=peak, target="pages follow the failing nodes; ≤ 60 s build")
    print(f"({machine_load()})")


if __name__ == "__main__":
    main()

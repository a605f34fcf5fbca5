"""Benchmark: the PDF report of a 100- and a 500-node estate, against WeasyPrint rendering the same HTML.

Each size runs in a child process (``--worker``), so its peak memory is its own: trondocs'
time for ``write_report`` (context + HTML + WeasyPrint + evidence attachments + atomic write,
``--detail auto``: beyond 25 nodes a compact section per node in trouble, the others by
name), its page count, and
the baseline: WeasyPrint alone on the very same final HTML, ``HTML(string=html).write_pdf()``
(the same layout work minus trondocs; their ratio is trondocs' overhead). A second
``write_report`` with unchanged inputs must not re-render (content hash). Rounds interleave the
sizes (small, large, then large, small, …); the ratio between sizes is the median of the
rounds' CPU ratios large/small. ``--detail all`` prints every node's full section, as before issue 17.
Run: .venv/bin/python bench/bench_report.py [--nodes 500] [--factor 5] [--rounds 1] [--detail auto]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    EstateShape,
    Run,
    machine_load,
    median_run,
    paired,
    record,
    run_worker,
    size_arguments,
    sizes_line,
    timed,
    write_worker_result,
)


def worker(result_file: str, nodes: int, detail: str) -> None:
    """One size, in this (child) process: the figures ``main`` pairs."""
    import tempfile

    from pypdf import PdfReader
    from weasyprint import HTML

    from bench.estate import AS_OF, synthetic_estate
    from trondocs.evaluate import evaluate
    from trondocs.render.report import report_html
    from trondocs.workflow.report import write_report

    shape = EstateShape()
    loaded, state = synthetic_estate(nodes, points_per_node=shape.points_per_node, group=shape.group,
                                     aws_share=shape.aws_share)
    assessment = evaluate(loaded, state, as_of=AS_OF)
    trouble = sum(1 for n in assessment.nodes if n.status.value in ("fail", "unknown"))
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        first, ours = timed(lambda: write_report(loaded, state, assessment, output, detail=detail))
        assert first.rendered
        pages = len(PdfReader(output).pages)
        mtime = output.stat().st_mtime_ns
        second, again = timed(lambda: write_report(loaded, state, assessment, output, detail=detail))
        assert not second.rendered and output.stat().st_mtime_ns == mtime, "unchanged input re-rendered"
    html, _, _ = report_html(loaded.plan, state, assessment, paper="a4", detail=detail)
    _, weasy = timed(lambda: HTML(string=html).write_pdf())
    write_worker_result(result_file, {"cpu": ours.cpu, "wall": ours.wall, "pages": pages, "trouble": trouble,
                                      "weasy_cpu": weasy.cpu, "again_cpu": again.cpu})


def main() -> int:
    parser = size_arguments(__doc__.splitlines()[0], worker=True)
    from trondocs.render.report.detail import DetailLevel

    parser.add_argument("--detail", default=DetailLevel.AUTO.value, choices=[d.value for d in DetailLevel])
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.nodes, args.detail)
        return 0
    sizes = (max(args.nodes // args.factor, 30), args.nodes)
    seen: dict[int, list[dict]] = {n: [] for n in sizes}

    def one(nodes: int) -> Run:
        run, figures = run_worker(Path(__file__), "--nodes", str(nodes), "--detail", args.detail)
        seen[nodes].append(figures)
        # the report's own CPU time (not the child's estate building and baseline); the child's peak
        return Run(wall=figures["wall"], cpu=figures["cpu"], peak_mb=run.peak_mb, returncode=0)

    smalls, larges, ratio = paired(lambda: one(sizes[0]), lambda: one(sizes[1]), args.rounds)
    a, b = median_run(smalls), median_run(larges)
    print(sizes_line(f"PDF report (--detail {args.detail})", sizes, (a, b)))
    chosen = [next(f for f in seen[n] if f["cpu"] == r.cpu) for n, r in zip(sizes, (a, b), strict=True)]
    for nodes, run, figures in zip(sizes, (a, b), chosen, strict=True):
        print(f"  {nodes:,} nodes ({figures['trouble']} failing or unknown): {figures['pages']} pages; "
              f"WeasyPrint alone on the same HTML {figures['weasy_cpu']:.1f} s CPU "
              f"(overhead {run.cpu / figures['weasy_cpu']:.2f}x); unchanged inputs again "
              f"{figures['again_cpu']:.2f} s CPU (kept)")
    pages = [f["pages"] for f in chosen]
    record("PDF report", small=f"{sizes[0]:,}", large=f"{sizes[1]:,} nodes",
           figure=f"{pages[0]} → {pages[1]} pages, {a.cpu:.1f} s → {b.cpu:.1f} s CPU", ratio=ratio,
           peak_mb=b.peak_mb, target="pages follow the failing nodes")
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

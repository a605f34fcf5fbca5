"""Benchmark: the PDF report of a 500-node estate, against WeasyPrint rendering the same HTML directly.

Prints trondocs' time (context + HTML + WeasyPrint + evidence attachments + atomic write), the
time WeasyPrint alone takes for the very same final HTML, their ratio (trondocs' overhead), and
the time of a second run with unchanged inputs, which must not re-render (content hash).
Run: .venv/bin/python bench/bench_report.py [NODES]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_load, timed
from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate import evaluate
from trondocs.render.report import report_html
from trondocs.workflow.report import write_report

POINTS = 56  # restore points per node: a week of 6-hourly replicas, a fortnight of nightly backups
GROUP = 50  # nodes per Veeam job


def main() -> None:
    from weasyprint import HTML

    nodes = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    loaded, state = synthetic_estate(nodes, points_per_node=POINTS, group=GROUP)
    assessment, evaluated = timed(lambda: evaluate(loaded, state, as_of=AS_OF))
    print(
        f"estate: {nodes} nodes, {len(state.restore_points):,} restore points, "
        f"{len(assessment.findings):,} rule results (evaluated in {evaluated.wall:.2f}s)"
    )
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "report.pdf"
        first, ours = timed(lambda: write_report(loaded, state, assessment, output))
        assert first.rendered
        pages = len(__import__("pypdf").PdfReader(output).pages)

        html, _, _ = report_html(loaded.plan, state, assessment, paper="a4")
        _, weasy = timed(lambda: HTML(string=html).write_pdf())

        mtime = output.stat().st_mtime_ns
        second, skipped = timed(lambda: write_report(loaded, state, assessment, output))
        assert not second.rendered and output.stat().st_mtime_ns == mtime, "unchanged input re-rendered"

    print(f"trondocs report:            {ours.wall:7.2f}s  ({pages} pages, {output.name})")
    print(f"WeasyPrint, same HTML:      {weasy.wall:7.2f}s")
    print(f"overhead ratio:             {ours.wall / weasy.wall:7.2f}x  (trondocs / WeasyPrint alone)")
    print(
        f"unchanged input, 2nd run:   {skipped.wall:7.2f}s  (not re-rendered: content hash "
        f"{second.input_hash[:16]}… matches; {ours.wall / skipped.wall:.0f}x faster)"
    )
    print(f"({machine_load()})")


if __name__ == "__main__":
    main()

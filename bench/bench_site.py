"""Benchmark: the site of an estate of 500 nodes, against a plain ``mkdocs build`` of the same Markdown.

trondocs' site build = render every page context and template to Markdown + draw the SVGs +
``mkdocs build`` (strict, material, search, offline). The baseline, measured in the same run,
is ``mkdocs build`` alone over the very Markdown and mkdocs.yml trondocs generated, so the
ratio is trondocs' own overhead on top of the static-site generator (1.00 = none).
Evaluation is timed separately: it is not part of the site build.
Run: .venv/bin/python bench/bench_site.py [NODES]
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_load, record, timed
from bench.estate import AS_OF, synthetic_estate
from trondocs.evaluate import evaluate
from trondocs.evaluate.rules import catalogue
from trondocs.render.website import SiteData, build_site
from trondocs.render.website.build import run_mkdocs

AWS_SHARE = 0.2  # every fifth node on EC2, so the site has AWS pages and pictures too
POINTS = 56  # restore points per node (a week of 6-hourly replicas or snapshots)
GROUP = 50  # nodes per Veeam job


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    loaded, state = synthetic_estate(count, points_per_node=POINTS, group=GROUP, aws_share=AWS_SHARE)
    assessment, evaluated = timed(lambda: evaluate(loaded, state, as_of=AS_OF))
    data = SiteData(plan=loaded.plan, state=state, assessment=assessment,
                    rules=[r.info for r in catalogue()], trondocs_version="bench")
    # Import mkdocs, the theme and its plugins before timing: neither run pays for them.
    for module in ("mkdocs.commands.build", "material.plugins.search.plugin",
                   "material.plugins.offline.plugin",
                   "pymdownx.superfences"):
        importlib.import_module(module)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        result, site = timed(lambda: build_site(data, root / "site", markdown_dir=root / "md"))
        # the same Markdown, mkdocs alone
        _, plain = timed(lambda: run_mkdocs(root / "md" / "mkdocs.yml", root / "plain"))
    print(f"estate: {count} nodes, {len(state.restore_points)} restore points, "
          f"{len(assessment.findings)} findings; evaluate {evaluated.wall:.2f}s (not part of the site build)")
    # CPU time is the steadier figure on a shared machine; wall time is what a user waits.
    print(f"trondocs site build: {site.wall:6.2f}s wall {site.cpu:6.2f}s CPU  "
          f"({result.pages} pages, {result.pictures} SVGs)")
    print(f"plain mkdocs build:  {plain.wall:6.2f}s wall {plain.cpu:6.2f}s CPU  "
          "(same Markdown and mkdocs.yml)")
    print(f"ratio: {site.cpu / plain.cpu:.2f}x CPU, {site.wall / plain.wall:.2f}x wall "
          f"(trondocs overhead {site.cpu - plain.cpu:.2f}s CPU)")
    record("site, cold", small="mkdocs alone", large=f"trondocs, {count} nodes",
           figure=f"{plain.cpu:.1f} s → {site.cpu:.1f} s CPU ({result.pages} pages)",
           ratio=site.cpu / plain.cpu, peak_mb=None, target="unchanged pages reused (not yet: see issue 17)")
    print(f"({machine_load()})")


if __name__ == "__main__":
    main()

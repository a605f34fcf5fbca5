"""Benchmark: the site of a 100- and a 500-node estate — cold, with one page changed, and with
unchanged inputs — against a plain ``mkdocs build`` of the same Markdown.

Each size runs in a child process (``--worker``, its own peak memory). trondocs' site build =
render every page context and template to Markdown + draw the SVGs + ``mkdocs build`` (strict,
material, search, offline) into a staging folder swapped in whole. The baseline, in the same
child, is ``mkdocs build`` alone over the very Markdown and mkdocs.yml trondocs generated (the
same static-site work minus trondocs). Then the same site again: with one page's input changed
(the report appears: the downloads page), only the pages whose Markdown changed are converted
(``page_cache.py``); with unchanged inputs the built site is kept whole. Evaluation is not
timed. Rounds interleave the sizes (small, large, then large, small, …); the ratio between
sizes is the median of the rounds' CPU ratios large/small of the cold build.
Run: .venv/bin/python bench/bench_site.py [--nodes 500] [--factor 5] [--rounds 1]
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
    paired_ratio,
    record,
    run_worker,
    size_arguments,
    sizes_line,
    timed,
    write_worker_result,
)


def worker(result_file: str, nodes: int) -> None:
    """One size, in this (child) process: the figures ``main`` pairs."""
    import importlib
    import tempfile
    from dataclasses import replace

    from bench.estate import AS_OF, synthetic_estate
    from trondocs.evaluate import evaluate
    from trondocs.evaluate.rules import catalogue
    from trondocs.render.website import SiteData, build_site
    from trondocs.render.website.build import run_mkdocs

    shape = EstateShape()
    loaded, state = synthetic_estate(nodes, points_per_node=shape.points_per_node, group=shape.group,
                                     aws_share=shape.aws_share)
    data = SiteData(plan=loaded.plan, state=state, assessment=evaluate(loaded, state, as_of=AS_OF),
                    rules=[r.info for r in catalogue()], trondocs_version="bench")
    # Import mkdocs, the theme and its plugins before timing: neither run pays for them.
    for module in ("mkdocs.commands.build", "material.plugins.search.plugin",
                   "material.plugins.offline.plugin", "pymdownx.superfences"):
        importlib.import_module(module)
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        cold, site = timed(lambda: build_site(data, root / "site", markdown_dir=root / "md"))
        _, plain = timed(lambda: run_mkdocs(root / "md" / "mkdocs.yml", root / "plain"))
        changed, one = timed(lambda: build_site(replace(data, report_pdf=True), root / "site"))
        assert not changed.reused
        same, again = timed(lambda: build_site(replace(data, report_pdf=True), root / "site"))
        assert same.reused, "unchanged inputs built again"
    write_worker_result(result_file, {"cpu": site.cpu, "wall": site.wall, "pages": cold.pages,
                                      "plain_cpu": plain.cpu, "changed_cpu": one.cpu,
                                      "kept": changed.pages_kept, "again_cpu": again.cpu})


def main() -> int:
    parser = size_arguments(__doc__.splitlines()[0], worker=True)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.nodes)
        return 0
    sizes = (max(args.nodes // args.factor, 4), args.nodes)
    seen: dict[int, dict] = {}  # id of a Run → the figures its child wrote

    def one(nodes: int) -> Run:
        child, figures = run_worker(Path(__file__), "--nodes", str(nodes))
        run = Run(wall=figures["wall"], cpu=figures["cpu"], peak_mb=child.peak_mb, returncode=0)
        seen[id(run)] = figures
        return run

    smalls, larges, ratio = paired(lambda: one(sizes[0]), lambda: one(sizes[1]), args.rounds)
    a, b = median_run(smalls), median_run(larges)
    print(sizes_line("site, cold", sizes, (a, b)))
    small = next(seen[id(r)] for r in smalls if r.cpu == a.cpu)
    large = next(seen[id(r)] for r in larges if r.cpu == b.cpu)
    for nodes, f in zip(sizes, (small, large), strict=True):
        print(f"  {nodes:,} nodes, {f['pages']} pages: plain mkdocs on the same Markdown "
              f"{f['plain_cpu']:.1f} s CPU (trondocs {f['cpu'] / f['plain_cpu']:.2f}x); one page changed "
              f"{f['changed_cpu']:.1f} s CPU ({f['kept']} pages kept); unchanged inputs "
              f"{f['again_cpu']:.1f} s CPU (site kept)")

    def ratio_of(name: str) -> float:  # the same round's figures of both sizes
        return paired_ratio(smalls, larges, lambda run: seen[id(run)][name])

    record("site, cold", small=f"{sizes[0]:,}", large=f"{sizes[1]:,} nodes",
           figure=f"{a.cpu:.1f} s → {b.cpu:.1f} s CPU ({b.cpu / large['plain_cpu']:.2f}x mkdocs alone)",
           ratio=ratio, peak_mb=b.peak_mb, target="—")
    record("site, one page changed", small=f"{sizes[0]:,}", large=f"{sizes[1]:,} nodes",
           figure=f"{small['changed_cpu']:.1f} s → {large['changed_cpu']:.1f} s CPU "
                  f"({large['kept']} of {large['pages']} pages kept)",
           ratio=ratio_of("changed_cpu"), peak_mb=b.peak_mb, target="unchanged pages reused")
    record("site, same inputs again", small=f"{sizes[0]:,}", large=f"{sizes[1]:,} nodes",
           figure=f"{small['again_cpu']:.1f} s → {large['again_cpu']:.1f} s CPU (site kept)",
           ratio=ratio_of("again_cpu"), peak_mb=b.peak_mb, target="unchanged pages reused")
    print(f"({machine_load()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

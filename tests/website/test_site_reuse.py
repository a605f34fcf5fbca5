"""A site built again from the same inputs is kept as it is; any change rebuilds it."""

from __future__ import annotations

from dataclasses import replace

from tests.website.conftest import LATER, example_data
from trondocs.evaluate import evaluate
from trondocs.plan import load_plan
from trondocs.render.website import build_site
from trondocs.render.website.reuse import INPUTS_FILE


def _files(site):
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def test_unchanged_inputs_reuse_the_site_and_a_change_rebuilds_it(tmp_path, data):
    site = tmp_path / "site"
    first = build_site(data, site)
    assert not first.reused and (site / INPUTS_FILE).is_file()
    before = _files(site)
    (site / "report.pdf").write_bytes(b"%PDF- written by the report step")

    again = build_site(data, site, keep=("report.pdf",))
    assert again.reused and again.pages == first.pages
    after = _files(site)
    assert {k: v for k, v in after.items() if k != "report.pdf"} == before  # not one page rewritten
    assert (site / "report.pdf").read_bytes().startswith(b"%PDF- written")

    removed = site / "nodes" / "witness-a.html"
    removed.unlink()  # a damaged site is rebuilt even with the same inputs
    repaired = build_site(data, site, keep=("report.pdf",))
    assert not repaired.reused and removed.is_file()
    before = _files(site)

    later = example_data()
    from tests.conftest import EXAMPLE_INVENTORY
    loaded = load_plan(EXAMPLE_INVENTORY, today=LATER.date())
    changed = replace(later, assessment=evaluate(loaded, later.state, as_of=LATER))
    rebuilt = build_site(changed, site, keep=("report.pdf",))
    assert not rebuilt.reused
    now = _files(site)
    assert now["index.html"] != before["index.html"]  # rendered again
    assert (site / INPUTS_FILE).read_text() != ""
    assert (site / "report.pdf").is_file()  # a later step's file is still carried over

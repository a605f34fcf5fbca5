"""A site built again from the same inputs is kept as it is; any change rebuilds it."""

from __future__ import annotations

import datetime as dt
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


def _html(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".svg")}


def test_a_change_converts_only_the_pages_it_changed_and_gives_the_site_a_cold_build_gives(tmp_path, data):
    site = tmp_path / "site"
    first = build_site(data, site)
    assert first.pages_kept == 0  # a first build converts every page
    # The PDF appears: the downloads page changes (and whatever links it); the rest stays.
    changed = replace(data, report_pdf=True)
    again = build_site(changed, site, keep=("report.pdf",))
    assert not again.reused and 0 < again.pages_kept < again.pages
    cold = build_site(changed, tmp_path / "cold")
    assert cold.pages_kept == 0
    assert _html(site) == _html(tmp_path / "cold")  # kept pages, search index and all: byte for byte
    # A page's own change converts it again: the dashboard of another evaluation
    later = example_data()
    later = replace(later, report_pdf=True, assessment=later.assessment.model_copy(
        update={"as_of": later.assessment.as_of + dt.timedelta(days=1)}))
    third = build_site(later, site, keep=("report.pdf",))
    assert third.pages_kept < third.pages  # the pages that show the time were converted again
    assert _html(site) == _html(build_site(later, tmp_path / "cold-later").output)


def test_a_damaged_page_cache_converts_every_page(tmp_path, data):
    from trondocs.render.website.page_cache import CACHE_FILE

    site = tmp_path / "site"
    build_site(data, site)
    (site / CACHE_FILE).write_bytes(b"not gzip")
    changed = replace(data, report_pdf=True)
    rebuilt = build_site(changed, site)
    assert rebuilt.pages_kept == 0 and not rebuilt.reused
    assert _html(site) == _html(build_site(changed, tmp_path / "cold").output)

"""The PDF at print size: no nearly blank pages, legible charts, tagged, the history chart."""

from __future__ import annotations

import datetime as dt
import re

from PIL import Image
from pypdf import PdfReader

from tests.report.pdftools import render_pngs
from trondocs.evaluate.models import Verdict
from trondocs.render.report import evidence_files, input_hash, report_html
from trondocs.render.svg import ReadinessPoint
from trondocs.resources import templates_dir

# A4 at 40 dpi: the page's body lies between the 20 mm top and 18 mm bottom margins.
TOP_MM, BOTTOM_MM, PAGE_MM = 20, 18, 297
INK = 235  # grey level under which a pixel counts as printed


def body_fill(png) -> tuple[float, float]:
    """(share of the body's pixels printed, how far down the body the content reaches)."""
    with Image.open(png) as image:
        grey = image.convert("L")
        width, height = grey.size
        top, bottom = round(height * TOP_MM / PAGE_MM), round(height * (1 - BOTTOM_MM / PAGE_MM))
        body = grey.crop((0, top, width, bottom))
        pixels = body.load()
        inked_rows = [y for y in range(body.height) if any(pixels[x, y] < INK for x in range(body.width))]
        inked = sum(1 for y in inked_rows for x in range(body.width) if pixels[x, y] < INK)
        reach = (max(inked_rows) + 1) / body.height if inked_rows else 0.0
        return inked / (body.width * body.height), reach


def test_no_page_but_the_last_is_nearly_blank(signed_report, tmp_path):
    # A page ending a short chapter may be part empty; one with a few lines at the top is not.
    pngs = render_pngs(signed_report, tmp_path)
    fills = [body_fill(p) for p in pngs]
    sparse = [(n + 1, round(ink, 4), round(reach, 2)) for n, (ink, reach) in enumerate(fills[:-1])
              if ink < 0.02 or reach < 0.2]
    assert sparse == [], "nearly blank pages (page, ink, reach)"


def test_the_pdf_is_tagged_for_screen_readers(signed_report):
    catalog = PdfReader(signed_report).trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert str(catalog.get("/Lang", "")).startswith("en")


def test_charts_print_their_labels_at_seven_points_or_more():
    css = (templates_dir() / "report" / "report.css").read_text()
    width_mm = float(re.search(r"\.chart \{[^}]*width: (\d+)mm", css).group(1))
    # The SVG charts are 640 px wide with 10–11 px labels.
    points = 10 * (width_mm / 640) / 25.4 * 72
    assert points >= 7, f"{points:.1f} pt"


def points(n: int) -> list[ReadinessPoint]:
    start = dt.datetime(2026, 11, 18, tzinfo=dt.UTC)
    return [ReadinessPoint(at=start + dt.timedelta(hours=6 * i), verdict=Verdict.NOT_READY, failing=30 - i,
                           ages=(("witness-a", dt.timedelta(hours=i)), ("witness-b", None)))
            for i in range(n)]


def test_the_readiness_history_is_in_the_report_for_delegators(loaded, state, assessment):
    html, _, digest = report_html(loaded.plan, state, assessment, history=points(3))
    assert "Readiness over time" in html and "The last 3 snapshots" in html
    assert 'class="chart history" src="data:image/svg+xml;base64,' in html
    plain, _, plain_digest = report_html(loaded.plan, state, assessment)
    assert "Readiness over time" not in plain
    # A new snapshot in the history makes a new report; none keeps the hash it always had.
    files = evidence_files(state, assessment)
    assert digest != plain_digest
    assert plain_digest == input_hash(files, paper="a4", pdf_variant=None, key=None)


def test_one_snapshot_draws_no_history_chart(loaded, state, assessment):
    html, _, _ = report_html(loaded.plan, state, assessment, history=points(1))
    assert "Readiness over time" not in html

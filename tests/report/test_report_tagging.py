"""The tagged PDF costs the same per page at any length: WeasyPrint's tagger reads the page
references once per tagged element, and rebuilding them over every page on each read made a
300-page report's tagging quadratic (a fifth of its CPU)."""

from __future__ import annotations

import contextlib
import io

import pydyf
from pypdf import PdfReader

from trondocs.render.report import pdf as report_pdf

PAGES = 12
HTML = "<html lang='en'><body>" + "".join(
    f"<section style='break-before: page'><h2>Node {i}</h2><p>Some text.</p>"
    "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table></section>"
    for i in range(PAGES)) + "</body></html>"


def test_page_references_are_built_once_per_page_not_once_per_tagged_element(monkeypatch):
    builds = []
    built = pydyf.PDF.page_references
    monkeypatch.setattr(pydyf.PDF, "page_references",
                        property(lambda pdf: builds.append(1) or built.fget(pdf)))
    document = report_pdf.html_to_pdf(HTML)
    assert len(PdfReader(io.BytesIO(document)).pages) == PAGES
    # without keeping them: one build per tagged element (headings, paragraphs, cells…), > 100 here
    assert len(builds) <= PAGES + 1
    assert pydyf.PDF.__name__ == "PDF"  # the class WeasyPrint creates is swapped back


def test_kept_page_references_write_the_same_bytes(monkeypatch):
    kept = report_pdf.html_to_pdf(HTML, identifier=b"0" * 16)
    monkeypatch.setattr(report_pdf, "_page_references_kept", contextlib.nullcontext)
    assert report_pdf.html_to_pdf(HTML, identifier=b"0" * 16) == kept

"""Work a long report does not repeat: WeasyPrint's tagger reads the page references once per
tagged element, and rebuilding them over every page on each read made a 300-page report's
tagging quadratic (a fifth of its CPU); the evidence files are serialised once per report."""

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


def test_writing_a_report_serialises_the_evidence_once(tmp_path, monkeypatch, loaded, state, assessment):
    """The embedded state and assessment (35 MB at 500 nodes) are hashed and attached as the same bytes."""
    import trondocs.render.report as report
    import trondocs.workflow.report as workflow

    calls = []
    serialise = report.evidence_files

    def counted(*args):
        calls.append(1)
        return serialise(*args)

    monkeypatch.setattr(report, "evidence_files", counted)
    monkeypatch.setattr(workflow, "evidence_files", counted)
    outcome = workflow.write_report(loaded, state, assessment, tmp_path / "report.pdf")
    assert outcome.rendered and len(calls) == 1
    assert workflow.verify_report(tmp_path / "report.pdf").ok


def test_an_unchanged_report_is_read_back_once(tmp_path, monkeypatch, loaded, state, assessment):
    """Checking that the PDF is kept reads it once: each read parses a tagged report's object streams."""
    import pypdf

    import trondocs.workflow.report as workflow

    output = tmp_path / "report.pdf"
    assert workflow.write_report(loaded, state, assessment, output).rendered
    readers = []
    reader = pypdf.PdfReader

    def counted(*args, **kwargs):
        readers.append(1)
        return reader(*args, **kwargs)

    monkeypatch.setattr(pypdf, "PdfReader", counted)
    assert not workflow.write_report(loaded, state, assessment, output).rendered
    assert len(readers) == 1

"""Final HTML → tagged PDF bytes with WeasyPrint: attachments, metadata, optional PDF/A-3b; reading back."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager

PDF_VARIANTS = ("pdf/a-3b",)
INPUT_HASH_KEY = "/trondocsinputhash"  # WeasyPrint keeps only letters and digits of custom meta names
ATTACHMENT_DESCRIPTIONS = {
    "state.json": "Discovered state the report was built from (trondocs State JSON)",
    "assessment.json": "The evaluation the report shows (trondocs Assessment JSON)",
    "trondocs-evidence.json": "SHA-256 digests of the attached files and, when signed, an Ed25519 signature",
}


def _fetcher():
    from weasyprint.urls import URLFetcher

    # Everything the report shows is inline or a data: URI; nothing may be fetched.
    return URLFetcher(allowed_protocols={"data"})


def _unique_associated_files(document, pdf) -> None:
    """WeasyPrint lists each PDF/A-3 associated file twice in the catalogue's /AF; once is right."""
    associated = pdf.catalog.get("AF")
    if associated:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


@contextmanager
def _page_references_kept() -> Iterator[None]:
    """While WeasyPrint writes a PDF, the pydyf document it creates keeps its page references.

    WeasyPrint's tagger (``pdf_tags``) reads ``pydyf.PDF.page_references`` once per tagged
    element, and pydyf builds that tuple anew over every page on each read: elements × pages,
    a fifth of the CPU of a 300-page report (124,000 reads at 500 nodes, profiled). The
    document here builds it again only when a page was added since the last read, so the
    bytes written are the same. WeasyPrint creates its document as ``pydyf.PDF()``; the class
    is swapped back when the PDF is written.
    """
    import pydyf

    original = pydyf.PDF

    class KeptReferencesPDF(original):  # type: ignore[misc, valid-type]
        _kept: tuple[int, tuple[bytes, ...]] = (-1, ())

        @property
        def page_references(self) -> tuple[bytes, ...]:
            pages = len(self.pages["Kids"])
            if self._kept[0] != pages:
                self._kept = (pages, super().page_references)
            return self._kept[1]

    pydyf.PDF = KeptReferencesPDF
    try:
        yield
    finally:
        pydyf.PDF = original


def html_to_pdf(
    html: str,
    *,
    attachments: dict[str, bytes] | None = None,
    created: dt.datetime | None = None,
    pdf_variant: str | None = None,
    identifier: bytes | None = None,
) -> bytes:
    """Render ``html`` (self-contained) to PDF bytes; the same inputs give the same bytes."""
    from weasyprint import HTML, Attachment

    fetcher = _fetcher()
    files = [
        Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            url_fetcher=fetcher,
            description=ATTACHMENT_DESCRIPTIONS.get(name),
            created=created,
            modified=created,
            relationship="Data",
        )
        for name, data in (attachments or {}).items()
    ]
    document = HTML(string=html, url_fetcher=fetcher, base_url=None)
    with _page_references_kept():
        return document.write_pdf(
            finisher=_unique_associated_files,
            attachments=files,
            custom_metadata=True,
            pdf_variant=pdf_variant,
            # A tagged PDF (structure tree, reading order, /Lang, image alt text) for screen readers.
            # WeasyPrint documents this as experimental ("--pdf-tags: tag PDF for accessibility");
            # it does not claim PDF/UA conformance, and neither does trondocs.
            pdf_tags=True,
            pdf_identifier=identifier,
            uncompressed_pdf=False,
        )

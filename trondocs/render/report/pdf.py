"""Final HTML → tagged PDF bytes with WeasyPrint: attachments, metadata, optional PDF/A-3b; reading back."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

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
    return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
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


def recorded_input_hash(path: Path) -> str | None:
    """The input hash stored in an existing report's metadata, or None (missing, unreadable, older)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        metadata = PdfReader(path).metadata
    except (OSError, PdfReadError, ValueError):
        return None
    value = metadata.get(INPUT_HASH_KEY) if metadata else None
    return str(value) if value else None

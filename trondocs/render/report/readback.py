"""Read a report back: its attachments and the digests printed in its text, then verify them."""

from __future__ import annotations

import io
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from trondocs.render.report.attestation import EVIDENCE_FILES, MANIFEST_NAME, Verification, verify_evidence
from trondocs.userfiles import MAX_PDF_BYTES, MAX_STATE_BYTES, read_bytes

DIGESTS_HEADING = "Evidence digests"
EXPECTED = (*EVIDENCE_FILES, MANIFEST_NAME)


class NotAReport(ValueError):
    """The file is not a readable PDF."""


def _quiet_pypdf() -> None:
    # pypdf logs its repairs of damaged files ("EOF marker not found"); our verdict says it once.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


@contextmanager
def _evidence_sized_streams() -> Iterator[None]:
    """pypdf decompresses at most 75 MB a stream (its guard against compression bombs); the
    evidence of a 5,000-node estate is larger (state.json 197 MB). Bounded still: a stream as
    large as a state trondocs reads (``MAX_STATE_BYTES``), in a file of at most ``MAX_PDF_BYTES``."""
    import pypdf
    from pypdf import filters

    apply = getattr(pypdf, "apply_configuration", None)
    if apply is not None:  # pypdf ≥ 7: the limits are a configuration
        with apply(zlib_maximum_output_length=MAX_STATE_BYTES, maximum_declared_stream_length=MAX_PDF_BYTES):
            yield
        return
    saved = filters.ZLIB_MAX_OUTPUT_LENGTH  # older pypdf: a module constant
    filters.ZLIB_MAX_OUTPUT_LENGTH = MAX_STATE_BYTES
    try:
        yield
    finally:
        filters.ZLIB_MAX_OUTPUT_LENGTH = saved


def attachments(path: Path) -> dict[str, list[bytes]]:
    """Every embedded file by name; a name may (suspiciously) carry several files."""
    return read_report(path)[1]


def read_report(path: Path) -> tuple[str | None, dict[str, list[bytes]]]:
    """The input hash in the report's metadata (None: none recorded) and its embedded files.

    One reader for both: a tagged report keeps its metadata and catalogue in object streams of
    tens of thousands of objects, and parsing them is most of the cost of reading it back.
    """
    from pypdf import PdfReader

    from trondocs.render.report.pdf import INPUT_HASH_KEY

    _quiet_pypdf()

    data = read_bytes(path, what="PDF", limit=MAX_PDF_BYTES)  # a regular file, bounded
    try:
        with _evidence_sized_streams():
            reader = PdfReader(io.BytesIO(data))
            metadata = reader.metadata
            recorded = metadata.get(INPUT_HASH_KEY) if metadata else None
            return (str(recorded) if recorded else None,
                    {name: list(contents) for name, contents in reader.attachments.items()})
    except Exception as exc:  # an altered file can break pypdf in many ways; all mean "damaged"
        raise NotAReport(f"{path} is not a readable PDF (damaged or altered): {exc}") from None


def printed_digest_text(path: Path, *, max_pages: int = 6) -> str | None:
    """Text of the appendix's digest section (the report's last pages), without whitespace.

    Digests are printed in groups of eight; removing whitespace joins them back. None when the
    section cannot be found (then only the manifest and signature are checked).
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(read_bytes(path, what="PDF", limit=MAX_PDF_BYTES)))
    except Exception:  # already reported by attachments()
        return None
    collected = []
    for page in reversed(reader.pages[-max_pages:]):
        text = page.extract_text() or ""
        collected.insert(0, text)
        if DIGESTS_HEADING in text:
            joined = "".join(collected)
            return re.sub(r"\s+", "", joined[joined.rfind(DIGESTS_HEADING) :])
    return None


def verify_report_file(path: Path, *, public_key: Ed25519PublicKey | None = None) -> Verification:
    """Re-hash the attachments and check them against the manifest, the printed digests and the signature."""
    path = Path(path)
    if path.is_dir():
        raise FileNotFoundError(f"{path} is a folder, not a report")
    if not os.path.lexists(path):  # anything else that is not a regular file: the bounded reader says
        raise FileNotFoundError(f"{path} does not exist")
    try:
        found = attachments(path)
    except NotAReport as exc:
        return Verification(problems=[str(exc)])
    # Two files under one name would let a viewer show one and a verifier check the other.
    doubled = [f"attachment {name} appears {len(files)} times: one was added" for name, files in
               sorted(found.items()) if len(files) > 1]
    extra = [f"unexpected attachment {name}: trondocs embeds only {', '.join(EXPECTED)}"
             for name in sorted(found) if name not in EXPECTED]
    result = verify_evidence({name: files[-1] for name, files in found.items() if files},
                             printed_text=printed_digest_text(path), public_key=public_key)
    result.problems[:0] = doubled + extra
    return result

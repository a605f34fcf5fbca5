"""The PDF audit report: context as data → Jinja HTML + print CSS → WeasyPrint, with embedded evidence.

``render_report`` is pure apart from WeasyPrint itself: the workflow (``trondocs.workflow.report``)
loads keys, decides whether to re-render, and writes the file atomically.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from trondocs import __version__
from trondocs.evaluate.models import Assessment
from trondocs.plan.models import PaperSize, Plan
from trondocs.render.report.attestation import (
    ASSESSMENT_NAME,
    MANIFEST_NAME,
    STATE_NAME,
    fingerprint,
    make_manifest,
    manifest_bytes,
    sha256,
)
from trondocs.render.report.charts import data_uri
from trondocs.render.report.context import ChartFunction, build_context
from trondocs.render.report.html import render_html, templates_digest
from trondocs.render.report.pdf import PDF_VARIANTS, html_to_pdf
from trondocs.render.svg import ReadinessPoint, readiness_chart
from trondocs.state.io import assessment_json_bytes, state_json_bytes
from trondocs.state.models import State

__all__ = ["PDF_VARIANTS", "RenderedReport", "evidence_files", "input_hash", "render_report", "report_html"]

_CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    html: str
    input_hash: str
    fingerprint: str | None


def evidence_files(state: State, assessment: Assessment) -> dict[str, bytes]:
    """The files embedded in the report, as the bytes that are hashed."""
    return {
        STATE_NAME: state_json_bytes(state),
        ASSESSMENT_NAME: assessment_json_bytes(assessment),
    }


def _code_digest() -> str:
    """The renderer's own code and the shared SVG charts: a new trondocs re-renders."""
    digest = hashlib.sha256(__version__.encode())
    for folder in (_CODE, _CODE.parent / "svg"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def history_digest(history: Sequence[ReadinessPoint]) -> str:
    """The readiness chart's points as text: a new snapshot in the history re-renders."""
    lines = [f"{p.at.isoformat()} {p.verdict} {p.failing} "
             + ",".join(f"{n}={a.total_seconds() if a is not None else '?'}" for n, a in p.ages)
             for p in history]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def input_hash(
    files: dict[str, bytes], *, paper: PaperSize, pdf_variant: str | None, key: Ed25519PrivateKey | None,
    detail: str = "auto",
    history: Sequence[ReadinessPoint] = (),
) -> str:
    """What decides the PDF: assessment JSON, state digest, templates, options, renderer code,
    and the evidence history's points when it has any."""
    parts = [
        "trondocs-report/1",
        sha256(files[ASSESSMENT_NAME]),
        sha256(files[STATE_NAME]),
        templates_digest(),
        _code_digest(),
        f"paper={paper}",
        f"variant={pdf_variant or ''}",
        f"detail={detail}",
        f"signer={fingerprint(key.public_key()) if key else ''}",
    ]
    if history:  # reports built without a history keep the hash they always had
        parts.append(f"history={history_digest(history)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def report_html(
    plan: Plan,
    state: State,
    assessment: Assessment,
    *,
    paper: PaperSize = PaperSize.A4,
    key: Ed25519PrivateKey | None = None,
    pdf_variant: str | None = None,
    chart: ChartFunction | None = None,
    detail: str = "auto",
    history: Sequence[ReadinessPoint] = (),
    files: dict[str, bytes] | None = None,
) -> tuple[str, dict[str, bytes], str]:
    """Final HTML, the attachments (with the manifest) and the input hash. ``files``: the
    evidence files when the caller already has them (``evidence_files``: 35 MB at 500 nodes)."""
    files = files if files is not None else evidence_files(state, assessment)
    manifest = make_manifest(files, key)
    digest = input_hash(files, paper=paper, pdf_variant=pdf_variant, key=key, detail=detail,
                        history=history)
    extra = {} if chart is None else {"chart": chart}
    context = build_context(plan, state, assessment, manifest, paper=paper, detail=detail, **extra)
    context = context.model_copy(
        update={
            "meta": context.meta.model_copy(update={"input_hash": digest}),
            "extra": {"version": __version__},
            "history_chart": data_uri(readiness_chart(history)) if len(history) >= 2 else None,
            "history_snapshots": len(history),
        }
    )
    return render_html(context), {**files, MANIFEST_NAME: manifest_bytes(manifest)}, digest


def render_report(
    plan: Plan,
    state: State,
    assessment: Assessment,
    *,
    paper: PaperSize = PaperSize.A4,
    key: Ed25519PrivateKey | None = None,
    pdf_variant: str | None = None,
    chart: ChartFunction | None = None,
    detail: str = "auto",
    history: Sequence[ReadinessPoint] = (),
    files: dict[str, bytes] | None = None,
) -> RenderedReport:
    html, attachments, digest = report_html(
        plan, state, assessment, paper=paper, key=key, pdf_variant=pdf_variant, chart=chart, detail=detail,
        history=history, files=files,
    )
    pdf = html_to_pdf(
        html,
        attachments=attachments,
        created=assessment.as_of,
        pdf_variant=pdf_variant,
        identifier=bytes.fromhex(digest[:32]),
    )
    return RenderedReport(
        pdf=pdf, html=html, input_hash=digest, fingerprint=fingerprint(key.public_key()) if key else None
    )

"""report: plan + state + assessment → site/report.pdf (skipped when nothing changed); verify a report."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trondocs.diagnostics import Diagnostic, Level, PlanError
from trondocs.evaluate.models import Assessment
from trondocs.fsutil import write_atomic
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.models import PaperSize
from trondocs.render.report import PDF_VARIANTS, evidence_files, input_hash, render_report
from trondocs.render.report.attestation import (
    KeyFileError,
    Verification,
    load_private_key,
    load_public_key,
)
from trondocs.render.report.attestation import fingerprint as key_fingerprint
from trondocs.render.report.detail import DETAIL_CHOICES
from trondocs.render.report.readback import NotAReport, read_report, verify_report_file
from trondocs.render.svg import ReadinessPoint
from trondocs.state.models import State
from trondocs.workflow.inputs import load_saved
from trondocs.workflow.outcome import ExitCode

SIGN_KEY_ENV = "TRONDOCS_SIGN_KEY"


@dataclass(frozen=True)
class ReportOutcome:
    path: Path
    rendered: bool  # False: the existing PDF was built from the same inputs and was kept
    input_hash: str
    fingerprint: str | None = None
    exit_code: ExitCode = ExitCode.OK


def _usage(code: str, message: str, hint: str) -> PlanError:
    return PlanError([Diagnostic(level=Level.ERROR, code=code, message=message, hint=hint)])


def _signing_key(sign_key: Path | str | None):
    path = sign_key or os.environ.get(SIGN_KEY_ENV) or None
    if path is None:
        return None
    try:
        return load_private_key(Path(path))
    except KeyFileError as exc:
        raise _usage(
            "bad-sign-key",
            str(exc),
            f"pass an Ed25519 PEM private key with --sign-key or "
            f"{SIGN_KEY_ENV}, or neither for an unsigned report",
        ) from None


def write_report(
    loaded: LoadedPlan,
    state: State,
    assessment: Assessment,
    output: Path,
    *,
    paper: str | None = None,
    sign_key: Path | str | None = None,
    pdf_variant: str | None = None,
    detail: str = "auto",
    history: Sequence[ReadinessPoint] = (),
) -> ReportOutcome:
    """Render the PDF to ``output`` atomically, unless the PDF there was built from the same inputs.

    ``detail``: which nodes get an evidence section (auto, problems or all; see
    ``trondocs.render.report.detail``)."""
    chosen = (paper or loaded.plan.settings.paper).lower()
    if chosen not in set(PaperSize):
        raise _usage("bad-paper", f"unknown paper size {chosen!r}", f"use {' or '.join(PaperSize)}")
    paper = PaperSize(chosen)
    if pdf_variant is not None and pdf_variant.lower() not in PDF_VARIANTS:
        raise _usage(
            "bad-pdf-variant",
            f"unsupported PDF variant {pdf_variant!r}",
            f"use {' or '.join(PDF_VARIANTS)}, or leave it out for a plain PDF",
        )
    pdf_variant = pdf_variant.lower() if pdf_variant else None
    if detail not in DETAIL_CHOICES:
        raise _usage("bad-detail", f"unknown --detail {detail!r}", f"use {', '.join(DETAIL_CHOICES)}")
    key = _signing_key(sign_key)
    output = Path(output)
    files = evidence_files(state, assessment)
    expected = input_hash(files, paper=paper, pdf_variant=pdf_variant, key=key, detail=detail,
                          history=history)
    fingerprint = key_fingerprint(key.public_key()) if key is not None else None
    if _unchanged(output, expected, files):
        return ReportOutcome(path=output, rendered=False, input_hash=expected, fingerprint=fingerprint)
    report = render_report(loaded.plan, state, assessment, paper=paper, key=key, pdf_variant=pdf_variant,
                           detail=detail, history=history, files=files)
    write_atomic(output, report.pdf)
    return ReportOutcome(path=output, rendered=True, input_hash=report.input_hash, fingerprint=fingerprint)


def _unchanged(output: Path, expected: str, files: dict[str, bytes]) -> bool:
    """The PDF at ``output`` was built from these inputs and still carries them untouched."""
    if not output.is_file():
        return False
    try:
        recorded, embedded = read_report(output)
    except (NotAReport, PlanError):  # unreadable, or too large to be one of ours: written anew
        return False
    if recorded != expected:
        return False
    # A report edited after it was written is rebuilt, not kept.
    return all(embedded.get(name, [])[-1:] == [data] for name, data in files.items())


def build_report(loaded: LoadedPlan, state: State, assessment: Assessment, output: Path,
                 **options: Any) -> Path:
    """Write the PDF audit report (``trondocs build`` calls this); returns its path.

    ``options`` are ``write_report``'s: ``paper`` (default: the plan's ``settings.paper``),
    ``sign_key`` (default: ``$TRONDOCS_SIGN_KEY``), ``pdf_variant``, ``detail`` and
    ``history`` (the readiness chart's points: the evidence history as evaluated).
    """
    return write_report(loaded, state, assessment, output, **options).path


def verify_report(path: Path, *, public_key: Path | None = None) -> Verification:
    """Check a report's embedded evidence. Unusable inputs raise PlanError (exit 2)."""
    try:
        expected = load_public_key(public_key) if public_key is not None else None
        return verify_report_file(Path(path), public_key=expected)
    except KeyFileError as exc:
        raise _usage("bad-public-key", str(exc), "pass the signer's Ed25519 public key in PEM") from None
    except FileNotFoundError as exc:
        raise _usage("no-report", str(exc), "pass the PDF written by 'trondocs report'") from None


def run_report(
    inventory: Path,
    state_file: Path,
    output: Path,
    *,
    as_of: dt.datetime | None = None,
    paper: str | None = None,
    sign_key: Path | str | None = None,
    pdf_variant: str | None = None,
    detail: str = "auto",
) -> ReportOutcome:
    """Load the plan and a saved state, evaluate at ``as_of``, write the PDF."""
    from trondocs.evaluate import evaluate

    loaded, state, as_of = load_saved(inventory, state_file, as_of)
    assessment = evaluate(loaded, state, as_of=as_of)
    return write_report(
        loaded, state, assessment, output, paper=paper, sign_key=sign_key, pdf_variant=pdf_variant,
        detail=detail,
    )


@dataclass(frozen=True)
class ReportRequest:
    inventory: Path
    state_file: Path
    output: Path = Path("site/report.pdf")
    as_of: dt.datetime | None = None  # None: when the state was collected
    paper: str | None = None  # None: the plan's settings.paper
    sign_key: Path | None = None  # None: $TRONDOCS_SIGN_KEY, else unsigned
    pdf_variant: str | None = None
    detail: str = "auto"


def run(request: ReportRequest) -> ReportOutcome:
    """``trondocs report``."""
    return run_report(request.inventory, request.state_file, request.output, as_of=request.as_of,
                      paper=request.paper, sign_key=request.sign_key, pdf_variant=request.pdf_variant,
                      detail=request.detail)


@dataclass(frozen=True)
class VerifyRequest:
    pdf: Path
    public_key: Path | None = None  # the report must be signed by exactly this key


@dataclass(frozen=True)
class VerifyOutcome:
    verification: Verification
    exit_code: ExitCode  # 1 when anything was altered


def run_verify(request: VerifyRequest) -> VerifyOutcome:
    """``trondocs verify``: unusable inputs raise PlanError (exit 2), altered evidence exits 1."""
    verification = verify_report(request.pdf, public_key=request.public_key)
    return VerifyOutcome(verification=verification,
                         exit_code=ExitCode.OK if verification.ok else ExitCode.FINDINGS)

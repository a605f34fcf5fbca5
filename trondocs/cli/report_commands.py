"""report, verify: the PDF audit report for delegators and checking its embedded evidence."""

from __future__ import annotations

from pathlib import Path

import click

from trondocs.cli import choices
from trondocs.cli.common import handles_user_errors, inventory_option, parse_as_of


@click.command()
@inventory_option
@click.option("--state", "state_file", type=click.Path(path_type=Path), metavar="FILE", required=True,
              help="Saved state (state.json[.gz]) written by 'trondocs collect'.")
@click.option("--as-of", "as_of", metavar="TIME",
              help="Judge the state at this time (ISO 8601, a date, or 'now'). "
                   "Default: when it was collected.")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("site/report.pdf"),
              show_default=True, help="Where to write the PDF (written atomically).")
@click.option("--paper", type=choices.PAPER,
              help="Paper size. Default: settings.paper in the plan (a4).")
@click.option("--sign-key", type=click.Path(path_type=Path), metavar="FILE", envvar="TRONDOCS_SIGN_KEY",
              help="Ed25519 private key (PEM) to sign the evidence digests; or $TRONDOCS_SIGN_KEY.")
@click.option("--pdf-variant", type=choices.PDF_VARIANT,
              help="Write an archival PDF/A-3b file (the evidence stays attached).")
@click.option("--detail", type=choices.DETAIL, default="auto", show_default=True,
              help=choices.DETAIL_HELP)
@handles_user_errors
def report(inventory: Path, state_file: Path, as_of: str | None, output: Path, paper: str | None,
           sign_key: Path | None, pdf_variant: str | None, detail: str) -> None:
    """Write the PDF audit report for delegators.

    Page one answers, in plain words, whether the SR can keep producing blocks through a
    disaster. The state and the assessment are attached to the PDF with their SHA-256
    digests (and an Ed25519 signature with --sign-key), so 'trondocs verify' can prove the
    evidence was not altered. An unchanged input does not re-render the PDF.

    \b
    Examples:
      trondocs report --state state.json                 → site/report.pdf
      trondocs report --state state.json --sign-key ops-ed25519.pem --paper letter
      trondocs report --state state.json --pdf-variant pdf/a-3b -o archive/2026-11.pdf
    """
    from trondocs.workflow.report import ReportRequest, run

    outcome = run(ReportRequest(inventory=inventory, state_file=state_file, output=output,
                                as_of=parse_as_of(as_of), paper=paper, sign_key=sign_key,
                                pdf_variant=pdf_variant, detail=detail))
    verb = "wrote" if outcome.rendered else "unchanged (same inputs), kept"
    click.echo(f"{verb} {outcome.path}")
    if outcome.fingerprint:
        click.echo(f"signed; public-key fingerprint {outcome.fingerprint}")
    raise SystemExit(outcome.exit_code)


@click.command()
@click.argument("pdf", type=click.Path(path_type=Path))
@click.option("--public-key", type=click.Path(path_type=Path), metavar="FILE",
              help="The signer's Ed25519 public key (PEM): the report must be signed by exactly this key.")
@handles_user_errors
def verify(pdf: Path, public_key: Path | None) -> None:
    """Check a report's embedded evidence: digests, printed digests and signature.

    Exit 0 when intact, 1 when anything was altered (each problem is named), 2 when the
    file or key cannot be read.

    \b
    Examples:
      trondocs verify site/report.pdf
      trondocs verify report.pdf --public-key carpathian-nodes.pub.pem
    """
    from trondocs.workflow.report import VerifyRequest, run_verify

    outcome = run_verify(VerifyRequest(pdf=pdf, public_key=public_key))
    if outcome.verification.ok:
        for line in outcome.verification.checked:
            click.echo(f"ok: {line}")
        click.echo(f"{pdf}: intact")
    else:
        for problem in outcome.verification.problems:
            click.echo(click.style("altered", fg="red", bold=True) + f": {problem}", err=True)
        click.echo(f"{pdf}: the evidence does NOT verify", err=True)
    raise SystemExit(outcome.exit_code)


COMMANDS = [report, verify]

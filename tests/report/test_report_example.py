"""The demo's report: the example inventory + example_state() evaluated, through `trondocs report`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import AS_OF, example_state
from tests.report.conftest import write_key
from tests.report.pdftools import outline, page_texts, pixel_stddev, render_pngs, squash
from trondocs.cli import cli
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, Status
from trondocs.evaluate.rules import catalogue
from trondocs.plan import load_plan
from trondocs.render.report.formatting import plain_duration, when
from trondocs.state.io import save_state


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`trondocs report` run once on the example: (pdf, public key, CLI result, folder)."""
    folder = tmp_path_factory.mktemp("demo")
    save_state(example_state(), folder / "state.json")
    private, public = write_key(folder)
    result = CliRunner().invoke(
        cli,
        [
            "report",
            "-i",
            str(EXAMPLE_INVENTORY),
            "--state",
            str(folder / "state.json"),
            "-o",
            str(folder / "site" / "report.pdf"),
            "--sign-key",
            str(private),
        ],
        catch_exceptions=False,
    )
    return folder / "site" / "report.pdf", public, result, folder


@pytest.fixture(scope="module")
def evaluated() -> Assessment:
    loaded = load_plan(EXAMPLE_INVENTORY, today=AS_OF.date(), known_rules={r.id for r in catalogue()})
    return evaluate(loaded, example_state(), as_of=AS_OF)


def test_report_command_writes_a_signed_pdf(demo):
    pdf, _, result, _ = demo
    assert result.exit_code == 0, result.output
    assert f"wrote {pdf}" in result.stdout and "signed; public-key fingerprint" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_embedded_assessment_is_the_evaluation_of_the_example(demo, evaluated):
    pdf = demo[0]
    embedded = Assessment.model_validate_json(PdfReader(pdf).attachments["assessment.json"][0])
    assert embedded == evaluated


def test_figures_match_the_evaluated_assessment(demo, evaluated):
    texts = page_texts(demo[0])
    text = " ".join(" ".join(texts).split())
    marks = {title: page for _, title, page in outline(demo[0])}
    for node in evaluated.nodes:
        section = " ".join(texts[marks[node.node] - 1].split())
        assert node.node in section
        if node.rpo.newest is not None:
            assert f"{when(node.rpo.newest)} ({plain_duration(node.rpo.newest_age)} old)" in section
        assert f"Target (longest the node may be down) {plain_duration(node.rto.target)}" in text
    producer = evaluated.node("witness-a")
    first = " ".join(texts[0].split())
    assert f"cost up to {producer.impact.blocks_at_risk} blocks" in first
    assert producer.rto.latest is None
    assert "off the network for 30 minutes (its RTO target: never measured)" in first
    # witness-b's TRD503 fails: no promise of a takeover
    assert "The standby witness (witness-b) would not take over as planned" in first
    # The SR's record from the chain is on page one.
    record = evaluated.witness.record
    assert f"{record.produced:,} blocks produced" in first and "Is the SR producing its blocks now?" in first
    failing = [f for f in evaluated.findings if f.status is not Status.PASS]
    counts = evaluated.summary.by_status
    assert (
        f"Fail Unknown Waived Pass {counts['fail']} {counts['unknown']} {counts['waived']} {counts['pass']}"
        in text
    )
    findings_pages = squash("".join(texts[marks["Findings"] - 1 : marks["Waivers"]]))
    for f in failing:
        assert squash(f"{f.rule} {f.severity.value} {f.status.value}") in findings_pages
    assert sum(
        findings_pages.count(squash(f"{r.id} {s}"))
        for r in evaluated.rules
        for s in ("low", "medium", "high", "critical")
    ) >= len(failing)


def test_demo_pages_render_and_page_one_is_not_blank(demo, tmp_path):
    pngs = render_pngs(demo[0], tmp_path)
    assert len(pngs) == len(PdfReader(demo[0]).pages) >= 10
    assert pixel_stddev(pngs[0]) > 20


def test_verify_and_rerun_through_the_cli(demo, run_cli):
    pdf, public, _, folder = demo
    result = run_cli("verify", pdf, "--public-key", public)
    assert result.exit_code == 0 and result.stdout.rstrip().endswith("intact")
    before = pdf.stat().st_mtime_ns
    again = run_cli(
        "report",
        "-i",
        EXAMPLE_INVENTORY,
        "--state",
        folder / "state.json",
        "-o",
        pdf,
        "--sign-key",
        folder / "sign.pem",
    )
    assert again.exit_code == 0 and f"unchanged (same inputs), kept {pdf}" in again.stdout
    assert pdf.stat().st_mtime_ns == before


def test_report_usage_errors_are_one_clear_line(run_cli, tmp_path):
    result = run_cli(
        "report", "-i", EXAMPLE_INVENTORY, "--state", tmp_path / "none.json", "-o", tmp_path / "r.pdf"
    )
    assert result.exit_code == 2 and "the state file does not exist" in result.stderr
    save_state(example_state(), tmp_path / "s.json")
    result = run_cli(
        "report",
        "-i",
        EXAMPLE_INVENTORY,
        "--state",
        tmp_path / "s.json",
        "--as-of",
        "yesterday",
        "-o",
        tmp_path / "r.pdf",
    )
    assert result.exit_code == 2 and "--as-of 'yesterday' is not a time" in result.stderr
    result = run_cli(
        "report",
        "-i",
        EXAMPLE_INVENTORY,
        "--state",
        tmp_path / "s.json",
        "-o",
        tmp_path / "r.pdf",
        "--sign-key",
        tmp_path / "missing.pem",
    )
    assert result.exit_code == 2 and "cannot read the signing key" in result.stderr
    assert "Traceback" not in result.output and not (tmp_path / "r.pdf").exists()

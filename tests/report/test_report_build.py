"""build_report: content hash (no re-render for unchanged inputs), atomic output, determinism, PDF/A-3b."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from pypdf import PdfReader

from tests.report.builders import example_assessment
from tests.report.conftest import write_key
from trondocs.diagnostics import PlanError
from trondocs.render.report.html import templates_digest
from trondocs.resources import templates_dir
from trondocs.workflow.report import build_report, verify_report, write_report


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch):
    monkeypatch.delenv("TRONDOCS_SIGN_KEY", raising=False)


def test_unchanged_inputs_do_not_re_render(loaded, state, assessment, tmp_path):
    output = tmp_path / "site" / "report.pdf"
    first = write_report(loaded, state, assessment, output)
    assert first.rendered and output.is_file()
    os.utime(output, ns=(1_000_000_000, 1_000_000_000))  # any rewrite would move the mtime
    before = output.read_bytes()
    second = write_report(loaded, state, assessment, output)
    assert not second.rendered and second.input_hash == first.input_hash
    assert output.stat().st_mtime_ns == 1_000_000_000 and output.read_bytes() == before
    assert PdfReader(output).metadata["/trondocsinputhash"] == first.input_hash
    # Deterministic: rendering the same inputs elsewhere gives the same bytes.
    assert build_report(loaded, state, assessment, tmp_path / "again.pdf").read_bytes() == before


def test_any_changed_input_re_renders(loaded, state, assessment, tmp_path):
    output = tmp_path / "report.pdf"
    seen = {write_report(loaded, state, assessment, output).input_hash}
    later = example_assessment(as_of=assessment.as_of + dt.timedelta(hours=1))
    for change in (
        {"assessment": later},
        {"paper": "letter"},
        {"state": state.model_copy(update={"witness": None})},
    ):
        args = {"loaded": loaded, "state": state, "assessment": assessment, "output": output} | change
        paper = args.pop("paper", None)
        outcome = write_report(**args, paper=paper)
        assert outcome.rendered, change
        assert outcome.input_hash not in seen
        assert PdfReader(output).metadata["/trondocsinputhash"] == outcome.input_hash
        seen.add(outcome.input_hash)


def test_a_changed_template_changes_the_hash(tmp_path):
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir() / "report", copy / "report")
    before = templates_digest(copy)
    assert before == templates_digest(templates_dir())
    css = copy / "report" / "report.css"
    css.write_text(css.read_text() + "\n/* tweak */\n")
    assert templates_digest(copy) != before


def test_a_damaged_existing_file_is_replaced_and_no_temporary_file_is_left(
    loaded, state, assessment, tmp_path
):
    output = tmp_path / "report.pdf"
    output.write_bytes(b"half a PDF from a crashed run")
    outcome = write_report(loaded, state, assessment, output)
    assert outcome.rendered and output.read_bytes().startswith(b"%PDF-")
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_signing_key_from_the_environment(loaded, state, assessment, tmp_path, monkeypatch):
    private, public = write_key(tmp_path)
    monkeypatch.setenv("TRONDOCS_SIGN_KEY", str(private))
    outcome = write_report(loaded, state, assessment, tmp_path / "r.pdf")
    assert outcome.fingerprint and verify_report(outcome.path, public_key=public).ok


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "cannot read the signing key"),
        (b"garbage", "is not an unencrypted PEM private key"),
    ],
)
def test_unusable_signing_key_is_a_clear_error(loaded, state, assessment, tmp_path, content, message):
    key = tmp_path / "key.pem"
    if content is not None:
        key.write_bytes(content)
    with pytest.raises(PlanError) as caught:
        build_report(loaded, state, assessment, tmp_path / "r.pdf", sign_key=key)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.code == "bad-sign-key" and message in diagnostic.message
    assert not (tmp_path / "r.pdf").exists()


def test_an_rsa_key_is_refused(loaded, state, assessment, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = tmp_path / "ec.pem"
    key.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(PlanError, match="signed with Ed25519"):
        build_report(loaded, state, assessment, tmp_path / "r.pdf", sign_key=key)


def test_pdf_a_3b_keeps_the_evidence_and_identifies_itself(loaded, state, assessment, tmp_path, keys):
    path = build_report(
        loaded, state, assessment, tmp_path / "archive.pdf", pdf_variant="pdf/a-3b", sign_key=keys[0]
    )
    reader = PdfReader(path)
    raw = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in raw or "<pdfaid:part>3</pdfaid:part>" in raw
    assert 'pdfaid:conformance="B"' in raw or "<pdfaid:conformance>B</pdfaid:conformance>" in raw
    assert reader.pdf_header == "%PDF-1.7"
    assert "/OutputIntents" in reader.trailer["/Root"]  # sRGB output intent, required by PDF/A
    assert len(reader.trailer["/Root"]["/AF"]) == 3  # associated files: PDF/A-3's way to attach
    assert {ef.name: ef.associated_file_relationship for ef in reader.attachment_list} == {
        "assessment.json": "/Data",
        "state.json": "/Data",
        "trondocs-evidence.json": "/Data",
    }
    assert reader.metadata.title == "Disaster-recovery audit report — Carpathian Nodes"
    assert verify_report(path, public_key=keys[1]).ok


def test_unknown_variant_or_paper_is_a_usage_error(loaded, state, assessment, tmp_path):
    with pytest.raises(PlanError, match="unsupported PDF variant 'pdf/x-4'"):
        build_report(loaded, state, assessment, tmp_path / "r.pdf", pdf_variant="pdf/x-4")
    with pytest.raises(PlanError, match="unknown paper size 'a5'"):
        build_report(loaded, state, assessment, tmp_path / "r.pdf", paper="a5")


def test_a_report_altered_after_writing_is_rebuilt_not_kept(loaded, state, assessment, tmp_path):
    from tests.report.pdftools import rewrite_attachments

    output = tmp_path / "report.pdf"
    write_report(loaded, state, assessment, output)
    edited = tmp_path / "edited.pdf"
    def edit(files):
        return {**files, "state.json": files["state.json"].replace(b"vcenter", b"vC")}

    rewrite_attachments(output, edited, edit)
    edited.replace(output)
    assert not verify_report(output).ok
    assert write_report(loaded, state, assessment, output).rendered
    assert verify_report(output).ok

"""trondocs verify: the untouched report verifies; every kind of tampering fails with a clear message."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.report.conftest import write_key
from tests.report.pdftools import rewrite_attachments
from trondocs.render.report.attestation import make_manifest, manifest_bytes, sha256

MANIFEST = "trondocs-evidence.json"


def flip_byte(data: bytes, index: int = 100) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def test_untouched_signed_report_verifies_with_its_public_key(signed_report, keys, run_cli):
    result = run_cli("verify", signed_report, "--public-key", keys[1])
    assert result.exit_code == 0, result.output
    assert "ok: state.json sha256" in result.stdout
    assert "ok: Ed25519 signature valid (key fingerprint" in result.stdout
    assert result.stdout.rstrip().endswith(f"{signed_report}: intact")


def test_untouched_report_verifies_without_a_key(signed_report, run_cli):
    assert run_cli("verify", signed_report).exit_code == 0


def tampered(signed_report, tmp_path, edit):
    target = tmp_path / "tampered.pdf"
    rewrite_attachments(signed_report, target, edit)
    return target


def test_a_changed_byte_in_an_attachment_fails(signed_report, keys, tmp_path, run_cli):
    pdf = tampered(signed_report, tmp_path, lambda f: {**f, "state.json": flip_byte(f["state.json"])})
    result = run_cli("verify", pdf, "--public-key", keys[1])
    assert result.exit_code == 1
    assert "altered: digest mismatch for state.json: the attachment was altered or swapped" in result.stderr
    assert "does NOT verify" in result.stderr
    assert "assessment.json" not in result.stderr  # only what changed is named


def test_a_swapped_attachment_fails(signed_report, tmp_path, run_cli):
    def swap(files):
        return {**files, "assessment.json": files["state.json"], "state.json": files["assessment.json"]}

    result = run_cli("verify", tampered(signed_report, tmp_path, swap))
    assert result.exit_code == 1
    assert "digest mismatch for assessment.json" in result.stderr
    assert "digest mismatch for state.json" in result.stderr


def test_a_removed_attachment_fails(signed_report, tmp_path, run_cli):
    pdf = tampered(signed_report, tmp_path, lambda f: {k: v for k, v in f.items() if k != "state.json"})
    result = run_cli("verify", pdf)
    assert result.exit_code == 1
    assert "missing attachment state.json: it was removed from the report" in result.stderr


def test_a_stripped_signature_fails_when_a_public_key_is_expected(signed_report, keys, tmp_path, run_cli):
    def strip(files):
        manifest = json.loads(files[MANIFEST])
        del manifest["signature"]
        return {**files, MANIFEST: manifest_bytes(manifest)}

    pdf = tampered(signed_report, tmp_path, strip)
    result = run_cli("verify", pdf, "--public-key", keys[1])
    assert result.exit_code == 1
    assert (
        "signature stripped: the report carries no signature, but --public-key expects one" in result.stderr
    )
    # Without a key to expect, an unsigned report is just that: the digests still hold.
    assert run_cli("verify", pdf).exit_code == 0


def test_altered_state_with_a_recomputed_manifest_breaks_the_signature(signed_report, tmp_path, run_cli):
    def forge(files):
        state = flip_byte(files["state.json"])
        manifest = json.loads(files[MANIFEST])
        manifest["files"]["state.json"]["sha256"] = sha256(state)
        return {**files, "state.json": state, MANIFEST: manifest_bytes(manifest)}

    result = run_cli("verify", tampered(signed_report, tmp_path, forge))
    assert result.exit_code == 1
    assert "bad signature: the digests in trondocs-evidence.json were changed after signing" in result.stderr
    assert "the digest printed in the report does not match the attachment" in result.stderr


def test_resigning_with_another_key_is_caught_by_the_expected_key(signed_report, keys, tmp_path, run_cli):
    from trondocs.render.report.attestation import load_private_key

    other, _ = write_key(tmp_path, "attacker")

    def resign(files):
        state = flip_byte(files["state.json"])
        files = {**files, "state.json": state}
        manifest = make_manifest({k: v for k, v in files.items() if k != MANIFEST}, load_private_key(other))
        return {**files, MANIFEST: manifest_bytes(manifest)}

    pdf = tampered(signed_report, tmp_path, resign)
    result = run_cli("verify", pdf, "--public-key", keys[1])
    assert result.exit_code == 1
    assert "signed by a different key" in result.stderr
    # The digests printed in the text were not (cannot be) changed with the attachments.
    assert "the digest printed in the report does not match" in result.stderr


def test_an_unsigned_report_still_catches_a_consistently_edited_manifest(
    loaded, state, assessment, tmp_path, run_cli
):
    from trondocs.workflow.report import build_report

    pdf = build_report(loaded, state, assessment, tmp_path / "unsigned.pdf")
    assert run_cli("verify", pdf).exit_code == 0

    def forge(files):
        body = files["assessment.json"].replace(b'"verdict": "not-ready"', b'"verdict": "ready"')
        assert body != files["assessment.json"]
        manifest = make_manifest({"state.json": files["state.json"], "assessment.json": body})
        return {**files, "assessment.json": body, MANIFEST: manifest_bytes(manifest)}

    result = run_cli("verify", tampered(pdf, tmp_path, forge))
    assert result.exit_code == 1
    assert (
        "digest mismatch for assessment.json: the digest printed in the report does not match the attachment"
    ) in result.stderr


def test_a_damaged_file_fails_and_a_missing_one_is_a_usage_error(signed_report, tmp_path, run_cli):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\nnot really\n")
    result = run_cli("verify", damaged)
    assert result.exit_code == 1 and "is not a readable PDF (damaged or altered)" in result.stderr
    result = run_cli("verify", tmp_path / "absent.pdf")
    assert result.exit_code == 2 and "absent.pdf does not exist" in result.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a key", "is not a PEM public key"),
    ],
)
def test_an_unusable_public_key_is_a_usage_error(signed_report, tmp_path, run_cli, content, message):
    key = tmp_path / "key.pub"
    key.write_bytes(content)
    result = run_cli("verify", signed_report, "--public-key", key)
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output


def test_verify_leaves_the_report_untouched(signed_report, keys, tmp_path, run_cli):
    copy = tmp_path / "copy.pdf"
    shutil.copy(signed_report, copy)
    before = copy.read_bytes()
    run_cli("verify", copy, "--public-key", keys[1])
    assert copy.read_bytes() == before


def test_an_added_attachment_fails(signed_report, tmp_path, run_cli):
    pdf = tampered(signed_report, tmp_path, lambda f: {**f, "invoice.pdf.exe": b"MZ..."})
    result = run_cli("verify", pdf)
    assert result.exit_code == 1
    assert "unexpected attachment invoice.pdf.exe: trondocs embeds only state.json" in result.stderr


def test_a_second_file_under_the_same_name_fails(signed_report, tmp_path, run_cli):
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(signed_report))
    writer.add_attachment("state.json", b'{"forged": true}')
    target = tmp_path / "doubled.pdf"
    with open(target, "wb") as handle:
        writer.write(handle)
    result = run_cli("verify", target)
    assert result.exit_code == 1
    assert "attachment state.json appears 2 times: one was added" in result.stderr


def _pdf_with_attachment(path, size: int) -> None:
    """A PDF whose state.json (compressed, as trondocs embeds it) is ``size`` bytes."""
    from trondocs.render.report.pdf import html_to_pdf

    data = b"{" + b" " * (size - 2) + b"}"  # compresses to a few hundred KB
    path.write_bytes(html_to_pdf("<p>x</p>", attachments={"state.json": data}))
    assert path.stat().st_size < size // 50


def test_an_attachment_larger_than_pypdfs_default_limit_is_read_back(tmp_path):
    """A 5,000-node state is ~200 MB: beyond pypdf's 75 MB a stream, within MAX_STATE_BYTES."""
    from trondocs.render.report.readback import read_report

    path = tmp_path / "large.pdf"
    _pdf_with_attachment(path, 80_000_000)
    _, files = read_report(path)
    assert [len(data) for data in files["state.json"]] == [80_000_000]


def test_an_attachment_beyond_the_state_limit_is_not_read_whole(tmp_path, monkeypatch):
    """The limit is raised, not lifted: a compression bomb is refused or cut short at the limit
    (pypdf does either, depending on how much input is left), never decompressed whole."""
    from trondocs.render.report import readback

    monkeypatch.setattr(readback, "MAX_STATE_BYTES", 1_000_000)
    path = tmp_path / "bomb.pdf"
    _pdf_with_attachment(path, 2_000_000)
    try:
        _, files = readback.read_report(path)
    except readback.NotAReport:
        return
    assert max(len(data) for data in files["state.json"]) <= 1_000_000

"""The example report read back with pypdf and poppler: figures, outline, metadata, attachments, pages."""

from __future__ import annotations

import base64
import json
import re

from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader

from tests.report.pdftools import outline, page_texts, pixel_stddev, render_pngs, squash
from trondocs.evaluate.models import Assessment
from trondocs.render.report.attestation import fingerprint, load_public_key, sha256
from trondocs.state.io import dumps_state


def test_page_one_tells_a_delegator_the_answers(signed_report):
    first = " ".join(page_texts(signed_report)[0].split())
    for expected in (
        "Carpathian Nodes",
        "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt",
        "Overall verdict: Not ready",
        "Can this SR keep producing blocks through a disaster?",
        "Not reliably",
        "Is the SR producing its blocks now?",
        "412,332 blocks produced",
        "Up to 1 block",
        "cost up to 18 blocks",
        "14 Jul 2026 · 24 minutes 10 seconds",
        "3 of 5 nodes within target",
        "2 days 3 hours old against a target of 15 minutes",
        "Period covered: 13 Nov 2026 – 20 Nov 2026",
    ):
        assert expected in first, expected


def test_figures_in_the_body_match_the_assessment(signed_report, assessment):
    text = " ".join(" ".join(page_texts(signed_report)).split())
    for node in assessment.nodes:
        assert node.node in text
    # RPO/RTO values per node, as the node sections print them
    assert "20 Nov 2026 05:22 UTC (38 minutes old)" in text  # witness-a, newest 38m before as_of
    assert "18 Nov 2026 03:00 UTC (2 days 3 hours old)" in text  # witness-b
    assert "Latest measured outage (recovery + catch-up) 24 minutes 10 seconds" in text
    assert "Latest measured outage (recovery + catch-up) 21 seconds" in text
    # the methodology states what is computed: java-tron's takeover window and the worked example
    assert "that is 33 to 42 seconds (11 to 14 intervals)" in text
    assert "off the network for 8 minutes: up to 6 blocks" in text
    # findings: every non-passing result is listed once in the findings table
    page = {title: number for _, title, number in outline(signed_report)}["Findings"]
    findings_page = squash(page_texts(signed_report)[page - 1])
    failing = [f for f in assessment.findings if f.status.value != "pass"]
    assert len(failing) == 4
    for f in failing:
        assert findings_page.count(squash(f"{f.rule} {f.severity.value} {f.status.value} {f.node}")) == 1
    assert "TRD301" not in findings_page  # passing results are not findings
    # the executive summary's counts come straight from the summary
    counts = assessment.summary.by_status
    assert f"Fail Unknown Waived Pass {counts['fail']} 0 {counts['waived']} {counts['pass']}" in text


def test_outline_has_chapters_nodes_and_appendix(signed_report, assessment):
    marks = outline(signed_report)
    top = [title for depth, title, _ in marks if depth == 0]
    assert top == [
        "Carpathian Nodes",
        "Contents",
        "Executive summary",
        "Scorecard",
        "Evidence per node",
        "Findings and waivers",
        "DR test history",
        "Methodology",
        "Appendix",
    ]
    evidence = next(i for i, (_, title, _) in enumerate(marks) if title == "Evidence per node")
    children = [title for depth, title, _ in marks[evidence + 1 : evidence + 1 + len(assessment.nodes)]]
    assert children == [n.node for n in assessment.nodes]
    appendix = [t for d, t, _ in marks[[t for _, t, _ in marks].index("Appendix") + 1 :] if d == 1]
    assert appendix == ["Rule catalogue", "Controls evidenced", "Full evidence tables", "Evidence digests"]


def test_table_of_contents_page_numbers_match_the_bookmarks(signed_report):
    pages = {title: page for _, title, page in outline(signed_report)}
    toc = page_texts(signed_report)[1]
    listed = dict(re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)$", toc, flags=re.M))
    assert len(listed) >= 12
    for title, number in listed.items():
        assert pages[title.strip()] == int(number), title


def test_every_page_has_page_x_of_y_and_the_running_header(signed_report):
    texts = page_texts(signed_report)
    total = len(texts)
    assert total >= 10
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "SR TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt" in text
        if number > 1:  # the cover carries no running header
            assert "Carpathian Nodes · DR audit report · 20 Nov 2026" in text


def test_document_metadata(signed_report):
    reader = PdfReader(signed_report)
    meta = reader.metadata
    assert meta.title == "Disaster-recovery audit report — Carpathian Nodes"
    assert meta.author == "Carpathian Nodes"
    assert meta.subject.startswith("Can Carpathian Nodes (TRON SR TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt) keep")
    assert (
        "disaster recovery" in meta["/Keywords"] and "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt" in meta["/Keywords"]
    )
    assert meta["/CreationDate"] == "D:20261120060000Z"  # the as_of time: same inputs, same document
    assert meta.creator == "trondocs 0.1.0"
    assert re.fullmatch(r"[0-9a-f]{64}", meta["/trondocsinputhash"])
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4, the plan's settings.paper


def test_attachments_are_the_state_and_assessment_with_their_digests_printed(
    signed_report, state, assessment, keys
):
    files = {name: data[0] for name, data in PdfReader(signed_report).attachments.items()}
    assert set(files) == {"state.json", "assessment.json", "trondocs-evidence.json"}
    assert files["state.json"].decode() == dumps_state(state)
    assert Assessment.model_validate_json(files["assessment.json"]) == assessment
    manifest = json.loads(files["trondocs-evidence.json"])
    appendix = squash(page_texts(signed_report)[-1])
    for name in ("state.json", "assessment.json"):
        digest = sha256(files[name])
        assert manifest["files"][name] == {"sha256": digest, "size": len(files[name])}
        assert f"{name}{len(files[name]):,}bytes{digest}" in appendix
    public = load_public_key(keys[1])
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert base64.b64decode(manifest["signature"]["public_key"]) == raw
    assert manifest["signature"]["fingerprint"] == fingerprint(public) == sha256(raw)
    assert fingerprint(public) in appendix


def test_pages_render_to_png_and_page_one_is_not_blank(signed_report, tmp_path):
    pngs = render_pngs(signed_report, tmp_path)
    assert len(pngs) == len(PdfReader(signed_report).pages)
    assert pixel_stddev(pngs[0]) > 20  # text and coloured panels, not an empty page
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (100, 100), 255).save(blank)
    assert pixel_stddev(blank) == 0


def test_letter_paper_on_request(loaded, state, assessment, tmp_path):
    from trondocs.workflow.report import build_report

    path = build_report(loaded, state, assessment, tmp_path / "letter.pdf", paper="letter")
    page = PdfReader(path).pages[3]
    assert (round(float(page.mediabox[2])), round(float(page.mediabox[3]))) == (612, 792)


def test_long_tables_split_across_pages_with_their_header_repeated(loaded, state, tmp_path):
    from tests.report.builders import default_findings, example_assessment, finding
    from trondocs.evaluate.models import Status
    from trondocs.workflow.report import build_report

    many = [
        finding("TRD302", "witness-a", Status.FAIL, f"restore point gap number {i} over the window")
        for i in range(90)
    ]
    path = build_report(
        loaded, state, example_assessment(findings=default_findings() + many), tmp_path / "r.pdf"
    )
    marks = {title: page for _, title, page in outline(path)}
    pages = page_texts(path)[marks["Findings"] - 1 : marks["Waivers"]]
    assert len(pages) >= 3  # the table really spans pages
    header = "Rule Severity Status Node Title What was found What to do / waiver"
    for text in pages:
        assert header in " ".join(text.split())
    rows = sum(len(re.findall(r"restore point gap number \d+ ", " ".join(t.split()))) for t in pages)
    assert rows == 90  # every row once: none lost or split in two at a page break

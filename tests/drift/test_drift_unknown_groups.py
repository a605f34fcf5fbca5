"""UNKNOWN findings grouped by cause in text and Markdown; every one, in full, in JSON."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import AS_OF, example_state
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.plan import load_plan
from trondocs.render.drift import json as json_format
from trondocs.render.drift import markdown, text
from trondocs.render.drift.grouping import REASON_LIMIT, one_line, unknown_causes

HTML_ERROR = ("502 Bad Gateway: <html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
              + "<center><h1>502 Bad Gateway</h1></center>\n" * 8
              + "<hr><center>nginx</center>\n</body></html>")


def _assessment():
    state = example_state(failed_sources=("veeam",))
    state.collection.sources[:] = [s.model_copy(update={"error": HTML_ERROR}) if not s.ok else s
                                   for s in state.collection.sources]
    return evaluate(load_plan(EXAMPLE_INVENTORY, today=AS_OF.date()), state, as_of=AS_OF)


def test_one_line_per_failed_source_with_how_many_checks_and_a_short_reason():
    assessment = _assessment()
    unknown = assessment.summary.count(Status.UNKNOWN)
    assert unknown > 5
    causes = unknown_causes(assessment)
    veeam = [c for c in causes if c.label.startswith("source 'veeam' (veeam) failed: ")]
    assert len(veeam) == 1
    assert len(veeam[0].findings) > 5
    reason = veeam[0].label.split("failed: ", 1)[1]
    assert len(reason) <= REASON_LIMIT and "\n" not in reason and "<" not in reason
    assert reason.startswith("502 Bad Gateway: 502 Bad Gateway")

    out = text.render(assessment)
    assert f"UNKNOWN — {unknown} checks without the evidence to judge, by cause" in out
    line = next(line for line in out.splitlines() if "source 'veeam' (veeam) failed" in line)
    assert f"{len(veeam[0].findings)} checks" in line
    assert out.count("source 'veeam' (veeam) failed") == 1, "said once, not once per check"
    assert not any(line.startswith("UNKNOWN ") and "TRD" in line[:40] for line in out.splitlines())
    assert "nginx" not in out and "<html>" not in out


def test_markdown_groups_them_in_a_table():
    assessment = _assessment()
    out = markdown.render(assessment)
    assert out.count("source 'veeam' (veeam) failed") == 1
    assert "| Checks | Cause | Rules |" in out
    assert "<html>" not in out and "&lt;html>" not in out


def test_json_keeps_every_unknown_finding_with_its_full_message():
    assessment = _assessment()
    document = json.loads(json_format.render(assessment))
    unknown = [f for f in document["findings"] if f["status"] == "unknown"]
    assert len(unknown) == assessment.summary.count(Status.UNKNOWN)
    assert any("nginx" in f["message"] for f in unknown)


def test_one_line_cuts_and_flattens():
    assert one_line("a\n  b\t<b>c</b>") == "a b c"
    cut = one_line("x" * 500)
    assert len(cut) == REASON_LIMIT and cut.endswith("…")

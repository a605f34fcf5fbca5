"""text: the terminal table — worst first, waivers explained, summary last, colour only when asked."""

from __future__ import annotations

import re

from tests.drift.builders import finding, make_assessment
from trondocs.evaluate.models import Status
from trondocs.render.drift import RenderOptions, text


def _rows(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STATUS"))
    rows = []
    for line in lines[start + 1:]:
        if not line.strip():
            break
        rows.append(line)
    return rows


def test_rows_worst_first_and_passing_left_out(mixed):
    rows = _rows(text.render(mixed))
    assert [row.split()[:3] for row in rows] == [
        ["FAIL", "critical", "TRD503"], ["FAIL", "high", "TRD301"], ["FAIL", "medium", "TRD205"],
        ["FAIL", "low", "TRD601"], ["WAIVED", "medium", "TRD403"]]
    assert not any("PASS" in row for row in rows)
    # UNKNOWN findings are not rows: they are counted under their cause below the table
    assert "UNKNOWN — 1 check without the evidence to judge, by cause" in text.render(mixed)


def test_columns_line_up(mixed):
    output = text.render(mixed)
    header = next(line for line in output.splitlines() if line.startswith("STATUS"))
    column = header.index("RULE")
    for row in _rows(output):
        assert row[column:column + 3] == "TRD"


def test_waived_row_shows_reason_expiry_and_approver(mixed):
    row = next(r for r in _rows(text.render(mixed)) if r.startswith("WAIVED"))
    assert "waived until 2027-03-31: chain data is public, re-sync: from peers" in row
    assert "approved by Ioana Marin (CTO)" in row


def test_plan_wide_findings_name_their_subject_and_new_ones_are_marked(mixed):
    rows = _rows(text.render(mixed))
    assert "Replicate TRON nodes" in next(r for r in rows if "TRD205" in r)
    assert "NEW newest restore point" in next(r for r in rows if "TRD301" in r)


def test_a_multi_line_message_stays_on_one_row(mixed):
    row = next(r for r in _rows(text.render(mixed)) if "TRD301" in r)
    assert row.endswith("a,b:c second line")
    assert "\nsecond line" not in text.render(mixed)


def test_summary_is_the_last_line(mixed):
    last = text.render(mixed).rstrip("\n").splitlines()[-1]
    assert last == ("not-ready: 4 failing (1 critical, 1 high, 1 medium, 1 low), 1 unknown, 1 waived, "
                    "2 passing; since 2026-11-19T06:00:00Z: 1 new, 1 resolved (as of 2026-11-20T06:00:00Z)")


def test_resolved_and_failed_sources_are_listed(mixed):
    output = text.render(mixed)
    assert "Resolved since the baseline (1):\n  TRD701  solidity-01  Node unreachable" in output
    assert "aws (aws): connection refused" in output


def test_no_colour_unless_asked(mixed):
    plain = text.render(mixed)
    assert "\033[" not in plain
    coloured = text.render(mixed, RenderOptions(color=True))
    assert "\033[1;31mFAIL  \033[0m" in coloured
    assert "\033[1;31mnot-ready\033[0m:" in coloured.splitlines()[-1]
    # Stripping the colour codes gives the plain table back.
    assert re.sub(r"\033\[[0-9;]*m", "", coloured) == plain


def test_all_clear(clean):
    output = text.render(clean)
    assert "No failing, unknown or waived findings." in output
    assert output.rstrip().splitlines()[-1] == ("ready: 0 failing, 0 unknown, 0 waived, 2 passing "
                                                "(as of 2026-11-20T06:00:00Z)")


def test_fail_outranks_unknown_whatever_the_severity():
    assessment = make_assessment([finding("TRD701", Status.UNKNOWN), finding("TRD601", Status.FAIL)])
    out = text.render(assessment)
    assert [r.split()[0] for r in _rows(out)] == ["FAIL"]
    assert out.index("FAIL ") < out.index("UNKNOWN — 1 check")


def test_times_for_people_drop_fractions_of_a_second(clean):
    odd = clean.model_copy(update={"as_of": clean.as_of.replace(microsecond=46868)})
    assert text.render(odd).rstrip().endswith("(as of 2026-11-20T06:00:00Z)")

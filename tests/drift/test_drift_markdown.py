"""markdown: a PR comment / job summary — verdict and counts first, failing table, the rest folded."""

from __future__ import annotations

from tests.drift.builders import finding, make_assessment
from trondocs.evaluate.models import Status
from trondocs.render.drift import markdown


def test_verdict_and_summary_come_first(mixed):
    lines = markdown.render(mixed).splitlines()
    assert lines[0] == "## trondocs drift: ❌ Not ready"
    assert lines[2] == ("**Carpathian Nodes SRL** · as of 2026-11-20T06:00:00Z · "
                        "compared with 2026-11-19T06:00:00Z")
    assert lines[4] == "| Failing | Unknown | Waived | Passing | New | Resolved |"
    assert lines[6] == "| **4** (1 critical, 1 high, 1 medium, 1 low) | 1 | 1 | 2 | 1 | 1 |"


def test_failing_table_lists_only_failures_worst_first(mixed):
    output = markdown.render(mixed)
    section = output.split("### Failing findings", 1)[1].split("<details>", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ❌")]
    assert [row.split(" | ")[2] for row in rows] == ["`TRD503`", "`TRD301`", "`TRD205`", "`TRD601`"]
    assert rows[1].startswith("| ❌ fail 🆕 | high | `TRD301` | witness-b |")
    assert rows[1].endswith("| `inventory/nodes.yaml:12` |")


def test_table_cells_are_escaped(mixed):
    output = markdown.render(mixed)
    assert "standby replica is stale \\| &lt;b>not&lt;/b> ready" in output
    assert "a,b:c<br>second line" in output
    for line in output.splitlines():
        if line.startswith("| "):
            assert line.endswith(" |")


def test_details_are_folded(mixed):
    output = markdown.render(mixed)
    assert output.count("<details>") == output.count("</details>") == 5
    # UNKNOWN findings: one row per cause (here the failed aws source), not one per check
    unknown = output.split("<summary>Unknown: 1 check without evidence, by cause</summary>", 1)[1]
    unknown = unknown.split("</details>", 1)[0]
    assert "| 1 |" in unknown and "`TRD701`" not in unknown and "TRD701" in unknown
    waived = output.split("<summary>Waived findings (1)</summary>", 1)[1].split("</details>", 1)[0]
    assert ("_waived until 2027-03-31: chain data is public, re-sync: from peers "
            "(approved by Ioana Marin (CTO))_") in waived
    assert "| 2d 3h / 15m |" in output.split("Evidence per node", 1)[1]
    assert "| witness-a | witness | ✅ pass | 38m / 15m | 24m 10s / 1h | 3 copies, 2 media, 2 offsite | " \
           "11 (1 with standby) |" in output


def test_new_and_resolved_since_the_baseline(mixed):
    output = markdown.render(mixed)
    changes = output.split("<summary>Since the baseline: 1 new, 1 resolved</summary>", 1)[1]
    changes = changes.split("</details>")[0]
    assert "| 🆕 new | `TRD301` | witness-b |" in changes
    assert "| ✔️ resolved | `TRD701` | solidity-01 | Node unreachable |" in changes


def test_failed_sources_are_named(mixed):
    expected = "**Sources not read** (their checks are unknown): aws: connection refused"
    assert expected in markdown.render(mixed)


def test_all_clear_without_baseline(clean):
    output = markdown.render(clean)
    assert output.startswith("## trondocs drift: ✅ Ready\n")
    assert "### Failing findings\n\nNone." in output
    assert "Since the baseline" not in output and "<details>" not in output


def test_long_tables_are_cut_to_fit_a_comment():
    many = [finding("TRD301", Status.FAIL, f"node-{i:03d}", line=i + 1) for i in range(400)]
    output = markdown.render(make_assessment(many))
    assert "_250 more rows not shown: see the JSON output._" in output
    assert len(output) < 65536

"""trondocs rules' renderer: the catalogue as a text table, Markdown with anchors, or JSON."""

from __future__ import annotations

import json

import pytest

from tests.drift.builders import RULES, rule_info
from trondocs.compliance import CONTROLS
from trondocs.evaluate.rules import catalogue
from trondocs.render.drift.catalogue import render_rules
from trondocs.render.rule_docs import paragraphs, prose

INFOS = [rule_info(r) for r in reversed(sorted(RULES))]


def test_text_table_sorted_by_id_with_aligned_columns():
    lines = render_rules(INFOS).splitlines()
    assert lines[0].split() == ["RULE", "SEVERITY", "FAMILY", "TITLE"]
    assert [line.split()[0] for line in lines[1:8]] == sorted(RULES)
    assert lines[3] == "TRD301  high      rpo        Newest restore point older than the RPO"
    title_column = lines[0].index("TITLE")
    assert all(line[title_column - 2:title_column] == "  " for line in lines[1:8])
    assert lines[-1] == "7 rules. Details: trondocs rules --format markdown"


def test_markdown_has_a_table_and_a_section_per_rule():
    output = render_rules(INFOS, "markdown")
    assert output.startswith("| Rule | Severity | Family | Title |\n|---|---|---|---|\n")
    assert "| [`TRD503`](#trd503) | critical | failover | Standby witness not ready |" in output
    section = output.split("### TRD301", 1)[1].split("### ", 1)[0]
    assert "**Newest restore point older than the RPO** — severity high, family rpo" in section
    assert "**Why:** Why TRD301 matters" in section and "**Fix:** How to fix TRD301." in section


def test_markdown_documents_every_rule_of_the_registry_from_its_docstring():
    """What a rule decides is written once, in its check's docstring: the Markdown shows it,
    with the rule's rationale, fix and the controls it evidences."""
    infos = [r.info for r in catalogue()]
    output = render_rules(infos, "markdown")
    for rule in infos:
        section = output.split(f"### {rule.id}\n", 1)[1].split("\n### ", 1)[0]
        how, *more = paragraphs(rule.doc)
        assert f"**How it decides:** {prose(how, gfm=True)}" in section, rule.id
        assert all(prose(p, gfm=True) in section for p in more), rule.id
        assert f"**Why:** {prose(rule.rationale, gfm=True)}" in section, rule.id
        assert all(f"- `{key}` {CONTROLS[key]}" in section for key in rule.controls), rule.id


def test_docstring_literals_become_code_and_markup_is_neutralised():
    doc = "Reads ``enabled: false``; three_two_one *is* [not] a link."
    section = render_rules([rule_info("TRD301").model_copy(update={"doc": doc})], "markdown")
    expected = r"**How it decides:** Reads `enabled: false`; three\_two\_one \*is\* \[not\] a link."
    assert expected in section


def test_json_is_a_sorted_list_of_rules():
    rules = json.loads(render_rules(INFOS, "json"))
    assert [r["id"] for r in rules] == sorted(RULES)
    assert rules[0] == {"id": "TRD101", "title": "Declared node not found in any source",
                        "family": "inventory", "severity": "high",
                        "rationale": "Why TRD101 matters: declared node not found in any source.",
                        "remediation": "How to fix TRD101.", "doc": "", "needs": [], "monotone_in": [],
                        "controls": []}


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="choose from text, markdown, json"):
        render_rules(INFOS, "html")

"""The rule catalogue as text, Markdown or JSON (``trondocs rules``): generated from the rules themselves."""

from __future__ import annotations

import json

from trondocs.evaluate.models import RuleInfo
from trondocs.render.drift.markdown import cell
from trondocs.render.rule_docs import rule_body
from trondocs.wording import count_noun

RULE_FORMATS = ("text", "markdown", "json")


def render_rules(rules: list[RuleInfo], fmt: str = "text") -> str:
    rules = sorted(rules, key=lambda r: r.id)
    if fmt == "json":
        return json.dumps([{"id": r.id, "title": r.title, "family": r.family, "severity": r.severity.value,
                            "rationale": r.rationale, "remediation": r.remediation, "doc": r.doc,
                            "needs": [n.value for n in r.needs],
                            "monotone_in": [n.value for n in r.monotone_in],
                            "controls": list(r.controls)} for r in rules],
                          indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = ["| Rule | Severity | Family | Title |", "|---|---|---|---|"]
        lines += [f"| [`{r.id}`](#{r.id.lower()}) | {r.severity.value} | {cell(r.family)} | {cell(r.title)} |"
                  for r in rules]
        for r in rules:
            lines += ["", f"### {r.id}", "", f"**{cell(r.title)}** — severity {r.severity.value}, "
                      f"family {cell(r.family)}", "", *rule_body(r, gfm=True)]
        return "\n".join(lines) + "\n"
    if fmt != "text":
        raise ValueError(f"unknown rules format {fmt!r}; choose from {', '.join(RULE_FORMATS)}")
    width = max((len(r.family) for r in rules), default=6)
    lines = [f"{'RULE':7} {'SEVERITY':8}  {'FAMILY':{width}}  TITLE"]
    lines += [f"{r.id:7} {r.severity.value:8}  {r.family:{width}}  {r.title}" for r in rules]
    lines.append(f"\n{count_noun(len(rules), 'rule')}. Details: trondocs rules --format markdown")
    return "\n".join(lines) + "\n"

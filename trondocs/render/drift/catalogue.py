"""The rule catalogue as text, Markdown or JSON (``trondocs rules``): generated from the rules themselves."""

from __future__ import annotations

import json
from collections.abc import Callable

from trondocs.evaluate.models import RuleInfo
from trondocs.render.drift.markdown import cell
from trondocs.render.rule_docs import rule_body
from trondocs.wording import count_noun


def _json(rules: list[RuleInfo]) -> str:
    return json.dumps([{"id": r.id, "title": r.title, "family": r.family, "severity": r.severity.value,
                        "rationale": r.rationale, "remediation": r.remediation, "doc": r.doc,
                        "needs": [n.value for n in r.needs],
                        "monotone_in": [n.value for n in r.monotone_in],
                        "controls": list(r.controls)} for r in rules],
                      indent=2, ensure_ascii=False) + "\n"


def _markdown(rules: list[RuleInfo]) -> str:
    lines = ["| Rule | Severity | Family | Title |", "|---|---|---|---|"]
    lines += [f"| [`{r.id}`](#{r.id.lower()}) | {r.severity.value} | {cell(r.family)} | {cell(r.title)} |"
              for r in rules]
    for r in rules:
        lines += ["", f"### {r.id}", "", f"**{cell(r.title)}** — severity {r.severity.value}, "
                  f"family {cell(r.family)}", "", *rule_body(r, gfm=True)]
    return "\n".join(lines) + "\n"


def _text(rules: list[RuleInfo]) -> str:
    width = max((len(r.family) for r in rules), default=6)
    lines = [f"{'RULE':7} {'SEVERITY':8}  {'FAMILY':{width}}  TITLE"]
    lines += [f"{r.id:7} {r.severity.value:8}  {r.family:{width}}  {r.title}" for r in rules]
    lines.append(f"\n{count_noun(len(rules), 'rule')}. Details: trondocs rules --format markdown")
    return "\n".join(lines) + "\n"


# Format name → renderer; ``trondocs rules --format`` offers these names (cli/choices.py).
RULE_RENDERERS: dict[str, Callable[[list[RuleInfo]], str]] = {"text": _text, "markdown": _markdown,
                                                               "json": _json}
RULE_FORMATS = tuple(RULE_RENDERERS)


def render_rules(rules: list[RuleInfo], fmt: str = "text") -> str:
    renderer = RULE_RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown rules format {fmt!r}; choose from {', '.join(RULE_FORMATS)}")
    return renderer(sorted(rules, key=lambda r: r.id))

"""A rule's documentation, generated from its metadata and its docstring.

The site's rules page and ``trondocs rules --format markdown`` both show this (sqlfluff
generates its rule reference the same way): what a rule decides is written once, in the
docstring of its check, next to the code that decides it.
"""

from __future__ import annotations

import re

from trondocs.compliance import CONTROLS
from trondocs.evaluate.models import RuleInfo
from trondocs.render.escape import markdown_text, one_line
from trondocs.wording import evidence_sentence

# Docstrings mark code as reStructuredText does (``enabled: false``); Markdown has code spans.
_LITERAL = re.compile(r"``(.+?)``")


def paragraphs(text: str) -> list[str]:
    """A dedented docstring's paragraphs (separated by blank lines), each on one line."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def prose(text: str, *, gfm: bool) -> str:
    """One paragraph as one line of Markdown: markup in it neutralised, its ``literals`` as
    code spans."""
    parts = _LITERAL.split(one_line(text))  # even: prose, odd: literal
    return "".join(_escaped(part, gfm) if i % 2 == 0 else f"`{part.replace('`', '')}`"
                   for i, part in enumerate(parts))


def _escaped(part: str, gfm: bool) -> str:
    """``markdown_text`` keeping the spaces that separate ``part`` from a literal beside it."""
    before, after = " " * part.startswith(" "), " " * (part.endswith(" ") and part.strip() != "")
    return before + markdown_text(part, gfm=gfm) + after if part.strip() else part


def rule_body(rule: RuleInfo, *, gfm: bool) -> list[str]:
    """Markdown lines documenting ``rule`` below its heading: why it matters, how it decides
    (its docstring), how to fix it, what it judges from and the controls it evidences.

    ``gfm``: escape for GitHub-flavoured Markdown (a RULES.md) rather than the site's mkdocs."""
    how = paragraphs(rule.doc)
    lines = [f"**Why:** {prose(rule.rationale, gfm=gfm)}", ""]
    if how:
        lines += [f"**How it decides:** {prose(how[0], gfm=gfm)}", ""]
        for more in how[1:]:
            lines += [prose(more, gfm=gfm), ""]
    lines += [f"**Fix:** {prose(rule.remediation, gfm=gfm)}", "",
              f"**Evidence:** {prose(evidence_sentence(rule.needs, rule.monotone_in), gfm=gfm)}"]
    if rule.controls:
        lines += ["", "**Controls evidenced:**", ""]
        lines += [f"- `{key}` {prose(CONTROLS[key], gfm=gfm)}" for key in rule.controls]
    return lines

"""Names from the plan or a source are text in every output: one escaping helper per output kind.

A VM, job, site or node name can hold anything its system allows — markup, a ``javascript:``
link, line breaks that start a GitHub workflow command (``::error …``), terminal escapes. Each
renderer passes every such value through the helper of its kind, never through ad-hoc replaces:

- ``one_line``: plain text on one line (terminal, GitHub annotation titles, SARIF messages);
- ``text_lines``: plain text that keeps its line breaks (GitHub annotation and JUnit messages);
- ``html_text``: text inside HTML (or a title a theme inserts as HTML);
- ``markdown_text``: text inside Markdown that becomes HTML (the site, a pull-request comment);
- ``no_commands``: a whole text output in which no line starts a GitHub workflow command.
"""

from __future__ import annotations

import re

from markupsafe import escape

# C0 and C1 controls, DEL, Unicode line/paragraph separators and the bidirectional overrides
# (which reorder what a reader sees): none of them belongs in a name shown on one line.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Markdown markup inside running text: code, emphasis, links/images, table cells, escapes.
_MARKDOWN = re.compile(r"([\\`*_\[\]|])")
# GitHub-flavoured Markdown escapes any ASCII punctuation; these also make strikethrough,
# autolinks and footnotes (GitHub renders pull-request comments and job summaries with it).
_GFM = re.compile(r"([\\`*_\[\]|~!#])")
_COMMAND = re.compile(r"^(\s*):(?=:)", re.M)


def one_line(value: object) -> str:
    """``value`` as plain text on one line: control characters become spaces, runs of spaces one."""
    return " ".join(CONTROLS.sub(" ", str(value)).split())


def text_lines(value: object) -> str:
    """Plain text that may keep its line breaks: each line flattened, none starting a workflow
    command (for formats whose readers may print it line by line, such as JUnit messages)."""
    return no_commands("\n".join(one_line(line) for line in str(value).splitlines()))


def html_text(value: object) -> str:
    """One line of text for an HTML context (also attribute values): markup escaped."""
    return str(escape(one_line(value)))


def markdown_text(value: object, *, gfm: bool = False) -> str:
    """One line of text for Markdown rendered to HTML: HTML escaped and Markdown markup neutralised.

    ``gfm`` escapes for GitHub-flavoured Markdown (any ASCII punctuation may be escaped there);
    without it, only what Python-Markdown (mkdocs) both reads as markup and lets be escaped.
    """
    text = one_line(value)
    if gfm:
        return _GFM.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))
    return _MARKDOWN.sub(r"\\\1", str(escape(text)))


def markdown_code(value: object) -> str:
    """One line for a Markdown code span inside a table cell: no backtick, pipes escaped."""
    return one_line(value).replace("`", "'").replace("|", "\\|")


def no_commands(text: str) -> str:
    """No line of ``text`` starts a GitHub workflow command (the runner trims leading spaces)."""
    return _COMMAND.sub(r"\1: ", text)

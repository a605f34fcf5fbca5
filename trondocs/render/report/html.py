"""Context → the report's final HTML (Jinja, autoescaped). One self-contained document: CSS inline."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from trondocs.render.escape import CONTROLS
from trondocs.render.report.model import ReportContext
from trondocs.resources import templates_dir

TEMPLATE = "report/report.html.j2"
_CSS_UNSAFE = set("\"\\'<>&")


def css_string(value: str) -> Markup:
    """Text for a CSS string literal inside <style>: characters that could end the string or the
    element become CSS escapes (HTML escaping does not apply inside <style>)."""
    return Markup("".join(f"\\{ord(c):x} " if c in _CSS_UNSAFE else c for c in value.replace("\n", " ")))


def _no_controls(value: object) -> object:
    """Every value printed into the report: control characters of names (terminal escapes, NUL,
    bidirectional overrides…) become spaces; no font has a glyph for them."""
    if isinstance(value, str) and CONTROLS.search(value):
        cleaned = CONTROLS.sub(lambda m: m[0] if m[0] == "\n" else " ", value)
        return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


@cache
def environment(root: Path | None = None) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(root or templates_dir())),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
        keep_trailing_newline=True,
        finalize=_no_controls,
    )
    env.filters["css_string"] = css_string
    return env


def render_html(context: ReportContext, *, root: Path | None = None) -> str:
    data = {name: getattr(context, name) for name in type(context).model_fields}
    return environment(root).get_template(TEMPLATE).render(**data)


def templates_digest(root: Path | None = None) -> str:
    """SHA-256 over the report's template files (names and bytes): part of the content hash."""
    folder = Path(root or templates_dir()) / "report"
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()

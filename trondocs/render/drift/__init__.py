"""Drift outputs: each format is a module with a pure ``render(assessment, options) -> str``.

Writing is the caller's job (trondocs.workflow.drift). To add a format: write a module with
``render``, ``MEDIA_TYPE`` and ``SUFFIX``, and add one line to FORMATS. A format whose text
grows with the estate also has ``render_pieces`` (the same text in pieces, to write as they come).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from trondocs.evaluate.models import Assessment
from trondocs.render.drift import github, junit, markdown, prometheus, sarif, text
from trondocs.render.drift import json as json_format
from trondocs.render.drift.common import RenderOptions

FORMATS: dict[str, ModuleType] = {
    "text": text,
    "json": json_format,
    "markdown": markdown,
    "sarif": sarif,
    "junit": junit,
    "github": github,
    "prometheus": prometheus,
}



def render_pieces(format_name: str, assessment: Assessment, options: RenderOptions) -> Iterable[str]:
    """The format's text in pieces: its ``render_pieces`` where it has one, else its whole text."""
    module = FORMATS[format_name]
    pieces = getattr(module, "render_pieces", None)
    return pieces(assessment, options) if pieces is not None else [module.render(assessment, options)]


__all__ = ["FORMATS", "RenderOptions", "render_pieces"]

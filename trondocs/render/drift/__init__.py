"""Drift outputs: each format is a module with a pure ``render(assessment, options) -> str``.

Writing is the caller's job (trondocs.workflow.drift). To add a format: write a module with
``render``, ``MEDIA_TYPE`` and ``SUFFIX``, and add one line to FORMATS.
"""

from __future__ import annotations

from types import ModuleType

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

__all__ = ["FORMATS", "RenderOptions"]

"""The source types trondocs can read. Adding a source: one module, one line here."""

from __future__ import annotations

import importlib
from types import ModuleType

SOURCE_TYPES: dict[str, str] = {
    "snapshot": "trondocs.collectors.snapshot",
    "vsphere": "trondocs.collectors.vsphere",
    "n2ws": "trondocs.collectors.n2ws",
    "java-tron": "trondocs.collectors.javatron",
    "aws": "trondocs.collectors.aws",
    "veeam": "trondocs.collectors.veeam",
    "veeam-em": "trondocs.collectors.veeam_em",
}


def source_module(source_type: str) -> ModuleType:
    return importlib.import_module(SOURCE_TYPES[source_type])

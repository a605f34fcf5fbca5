"""An inventory for CLI tests: the starter plan (`trondocs init`) with a sources.yaml of our choosing."""

from __future__ import annotations

import json
from pathlib import Path

from trondocs.starter.inventory import write_starter


def inventory_with_sources(folder: Path, sources: list[dict]) -> Path:
    write_starter(folder, force=True)
    # JSON is YAML: the loader reads it like any sources.yaml.
    (folder / "sources.yaml").write_text(json.dumps({"sources": sources}, indent=2) + "\n")
    return folder

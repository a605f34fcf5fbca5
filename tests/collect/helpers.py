"""An inventory for CLI tests: the example SR's plan with a sources.yaml of the test's choosing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"


def inventory_with_sources(folder: Path, sources: list[dict]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for plan_file in EXAMPLE.glob("*.yaml"):
        if plan_file.name != "sources.yaml":
            shutil.copy(plan_file, folder / plan_file.name)
    # JSON is YAML: the loader reads it like any sources.yaml.
    (folder / "sources.yaml").write_text(json.dumps({"sources": sources}, indent=2) + "\n")
    return folder

"""``trondocs init``: a commented starter inventory for a new SR."""

from __future__ import annotations

import json
from pathlib import Path

from trondocs.diagnostics import Diagnostic, Level, PlanError
from trondocs.fsutil import write_atomic
from trondocs.plan.models import ProtectionSystem
from trondocs.plan.schema import plan_json_schema
from trondocs.resources import templates_dir
from trondocs.systems import SOURCE_TYPES

SCHEMA_FILE = "trondocs-plan.schema.json"
# Where the starter plan lists the protection systems it may name (from the systems table).
SYSTEMS_PLACEHOLDER = "{{ protection_systems }}"
SOURCES_SCHEMA_FILE = "trondocs-sources.schema.json"
# The line of the starter sources.yaml that the commented examples of each source type replace.
SOURCES_PLACEHOLDER = "# {{ source_examples }}"


def write_starter(directory: Path, *, force: bool = False) -> list[Path]:
    """Copy the starter files into ``directory``; refuse to overwrite unless ``force``."""
    directory = Path(directory)
    starter = templates_dir() / "init"
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(starter.glob("*.yaml"))}
    files["plan.yaml"] = files["plan.yaml"].replace(SYSTEMS_PLACEHOLDER, " | ".join(ProtectionSystem))
    files["sources.yaml"] = files["sources.yaml"].replace(SOURCES_PLACEHOLDER, source_examples())
    files[SCHEMA_FILE] = json.dumps(plan_json_schema(), indent=2) + "\n"
    from trondocs.collectors.schema import sources_json_schema

    files[SOURCES_SCHEMA_FILE] = json.dumps(sources_json_schema(), indent=2) + "\n"
    existing = [directory / name for name in files if (directory / name).exists()]
    if existing and not force:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="would-overwrite",
            message=f"{', '.join(str(p) for p in existing)} already exist(s)",
            hint="choose an empty folder, or pass --force to overwrite",
        )])
    written = []
    for name, text in files.items():
        write_atomic(directory / name, text)
        written.append(directory / name)
    return written


def source_examples() -> str:
    """A commented example of each external source type, from the systems table: what its account
    needs, the settings it must have and the variables its credentials are read from."""
    blocks = []
    for row in SOURCE_TYPES:
        if row.access is None:  # a state snapshot file: the starter is for live sources
            continue
        needs = row.access if row.credentials else f"{row.access}; credentials: {row.credentials_note}"
        lines = [f"# {row.title}: {needs.replace('*', '').replace('`', '')}",
                 f"#  - name: {row.name}", f"#    type: {row.name}"]
        lines += [f"#    {key}: {value}" for key, value in row.starter.items()]
        lines += [f"#    {f'{c.setting}: {c.default}':<44} # default" for c in row.credentials]
        blocks.append("\n".join(lines))
    return "\n#\n".join(blocks)

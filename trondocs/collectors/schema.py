"""JSON Schema of ``sources.yaml``, beside the plan's (``trondocs schema --sources``)."""

from __future__ import annotations

from typing import Any

from trondocs import __version__
from trondocs.collectors.registry import SOURCE_TYPES, source_module


def sources_json_schema() -> dict[str, Any]:
    """One branch per source type: its Config's fields, with ``type`` fixed to that type."""
    definitions: dict[str, Any] = {}
    branches = []
    for kind in sorted(SOURCE_TYPES):
        config = source_module(kind).Config
        schema = config.model_json_schema(mode="validation", ref_template="#/$defs/{model}")
        definitions.update(schema.pop("$defs", {}))
        schema["properties"]["type"] = {"const": kind, "description": "the kind of source"}
        schema["title"] = f"{kind} source"
        schema.setdefault("required", [])
        if "type" not in schema["required"]:
            schema["required"].append("type")
        branches.append(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://trondocs.dev/schema/sources-{__version__}.json",
        "title": "trondocs sources.yaml",
        "description": "Which sources trondocs reads and how to reach them. Never secrets: each "
                       "*_env key names the environment variable that holds one.",
        "type": "object",
        "additionalProperties": False,
        "properties": {"sources": {"type": "array", "items": {"oneOf": branches}}},
        "$defs": definitions,
    }

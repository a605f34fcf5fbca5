"""JSON Schema of one plan file, for editors (yaml-language-server) and CI."""

from __future__ import annotations

from typing import Any

from trondocs import __version__
from trondocs.plan.checks import NODE_NAME_PATTERN
from trondocs.plan.models import PlanFile


def plan_json_schema() -> dict[str, Any]:
    schema = PlanFile.model_json_schema(mode="validation")
    node_name = schema["$defs"]["Node"]["properties"]["name"]  # checked in checks.py, shown to editors
    node_name.update(pattern=NODE_NAME_PATTERN, maxLength=64,
                     description="an identifier: letters, digits, '-', '_' and '.' (like witness-a)")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://trondocs.dev/schema/plan-{__version__}.json"
    schema["title"] = "trondocs plan file"
    schema["description"] = (
        "One YAML file of a trondocs inventory. A plan may be split over several files; "
        "list sections (sites, nodes, protection, …) are concatenated across files."
    )
    return schema

"""``trondocs schema``: the JSON Schema of a plan file or of sources.yaml, printed or written."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from trondocs.workflow.outcome import ExitCode


@dataclass(frozen=True)
class SchemaRequest:
    output: Path | None = None  # None: the text goes to standard output
    of_sources: bool = False  # sources.yaml's schema instead of a plan file's


@dataclass(frozen=True)
class SchemaOutcome:
    text: str  # the schema, for standard output when nothing was written
    written: Path | None  # the file written (atomically), if any
    exit_code: ExitCode = ExitCode.OK


def run(request: SchemaRequest) -> SchemaOutcome:
    if request.of_sources:
        from trondocs.collectors.schema import sources_json_schema as make_schema
    else:
        from trondocs.plan.schema import plan_json_schema as make_schema

    text = json.dumps(make_schema(), indent=2) + "\n"
    if request.output:
        from trondocs.fsutil import write_atomic

        write_atomic(request.output, text)
    return SchemaOutcome(text=text, written=request.output)

"""Reading and writing state snapshots (JSON, optionally gzip-compressed)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError

from trondocs.diagnostics import Diagnostic, Level, Location, PlanError
from trondocs.fsutil import write_atomic
from trondocs.gcpause import gc_paused
from trondocs.state.models import SCHEMA_VERSION, RestorePoint, State
from trondocs.userfiles import MAX_STATE_BYTES, gunzip, read_bytes

# A state is a handful of levels deep (state → restore point → copy → tags); anything far
# deeper is not a state, and would exhaust the parser's recursion instead of failing clearly.
MAX_DEPTH = 32


def dumps_state(state: State) -> str:
    """Stable JSON: the same state always gives the same text."""
    return state.model_dump_json(indent=2) + "\n"


def model_json_bytes(model: BaseModel) -> bytes:
    """``model.model_dump_json(indent=2) + "\n"`` encoded, straight from pydantic's serialiser:
    no text and its encoding held at once (each ~300 MB for a 5,000-node state)."""
    return model.__pydantic_serializer__.to_json(model, indent=2) + b"\n"


def state_json_bytes(state: State) -> bytes:
    """``dumps_state(state).encode()``: the state file's bytes."""
    return model_json_bytes(state)


def assessment_json_bytes(assessment: BaseModel) -> bytes:
    """The assessment as the site (findings.json) and the PDF (assessment.json) carry it."""
    return model_json_bytes(assessment)


def save_state(state: State, path: Path) -> None:
    data = state_json_bytes(state)
    write_atomic(Path(path), gzip.compress(data, mtime=0) if str(path).endswith(".gz") else data)


def _problem(path: Path, message: str, hint: str, line: int = 1, column: int = 1) -> PlanError:
    return PlanError([Diagnostic(level=Level.ERROR, code="bad-state", message=message, hint=hint,
                                 location=Location(file=str(path), line=line, column=column))])


def _too_deep(path: Path) -> PlanError:
    return _problem(path, f"not a trondocs state: JSON nested more than {MAX_DEPTH} levels deep",
                    "pass a file written by 'trondocs collect'")


def _depth(document: object) -> int:
    """How deeply ``document`` nests, without recursion (it may be deeper than the stack)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return deepest


# The restore points of a state as dumps_state writes it (indent 2). A JSON string never holds a
# raw newline, so a newline and exactly this indentation is structure: the key of the top-level
# object, the line closing its array (the points are indented deeper), and one point's closing
# brace followed by the next one's opening.
_POINTS_OPEN = b'\n  "restore_points": [\n'
_POINTS_CLOSE = b"\n  ]"
_BETWEEN_POINTS = b"\n    },\n    {"
# About 4,500 points of a bench state a part: larger or smaller parts validated no faster.
BYTES_PER_PART = 3_000_000
_POINT_LIST = TypeAdapter(list[RestorePoint])


def _valid_state(raw: bytes) -> State | None:
    """A valid state straight from its bytes: no dict tree and no second JSON text of a large file.

    The restore points (nearly all of a large state) are validated a few megabytes at a time:
    validating the whole text at once first parses all of it into one JSON tree, which for a
    5,000-node state held more memory than the state itself. None when anything is wrong;
    the careful path below then words the problem.
    """
    try:
        with gc_paused():  # millions of acyclic objects: see trondocs.gcpause
            state = _state_in_parts(raw) or State.model_validate_json(raw)
    except (ValidationError, ValueError):
        return None
    return state if state.schema_version == SCHEMA_VERSION else None


def _state_in_parts(raw: bytes) -> State | None:
    """The state with its restore points validated in parts; None when the text is not laid out
    as dumps_state writes it (the caller then validates it whole)."""
    start = raw.find(_POINTS_OPEN)
    if start < 0:
        return None
    first = start + len(_POINTS_OPEN)
    end = raw.find(_POINTS_CLOSE, first)
    if end < 0:
        return None
    others = raw[:start] + b'\n  "restore_points": []' + raw[end + len(_POINTS_CLOSE):]
    if others.count(b'"restore_points"') != 1:  # a key given twice: let the whole text decide
        return None
    rest = State.model_validate_json(others)
    del others
    view = memoryview(raw)
    points: list[RestorePoint] = []
    part = first
    while True:
        # The first boundary between points past the part's size: one search a part, not one a
        # point (280,000 searches at 5,000 nodes, 0.2 s of the load).
        gap = raw.find(_BETWEEN_POINTS, part + BYTES_PER_PART, end)
        stop = end if gap < 0 else gap + len(b"\n    }")
        points += _POINT_LIST.validate_json(b"[" + view[part:stop] + b"]")
        if gap < 0:
            break
        part = gap + len(_BETWEEN_POINTS) - 1  # at the next point's "{"
    # The same State as validating the whole text gives: the points are its only change.
    return rest.model_copy(update={"restore_points": points})


def load_state(path: Path) -> State:
    """Load a state file; every problem becomes a PlanError naming the file."""
    path = Path(path)
    if not os.path.lexists(path):
        raise _problem(path, "the state file does not exist",
                       "check the path, or write one with 'trondocs collect -o FILE'")
    # Bounded: only a regular file, at most MAX_STATE_BYTES read and (gzip) decompressed.
    raw = read_bytes(path, what="state file", limit=MAX_STATE_BYTES)
    if raw[:2] == b"\x1f\x8b":
        raw = gunzip(raw, what="state file", limit=MAX_STATE_BYTES, display=str(path))
    fast = _valid_state(raw)  # the usual case: valid, validated straight from its bytes
    if fast is not None:
        return fast
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line, col = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        raise _problem(path, f"not JSON: {exc}", "the file must be a state written by "
                       "'trondocs collect'", line, col) from None
    except RecursionError:
        raise _too_deep(path) from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise _problem(path, f"not a usable JSON value: {str(exc)[:120]}",
                       "the file must be a state written by 'trondocs collect'") from None
    if _depth(document) > MAX_DEPTH:
        raise _too_deep(path)
    if not isinstance(document, dict):
        raise _problem(path, "not a trondocs state (top level is not an object)",
                       "pass a file written by 'trondocs collect'")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise _problem(
            path, f"state schema_version {version!r} is not supported (this trondocs reads "
                  f"version {SCHEMA_VERSION})",
            "collect the state again with this trondocs version, or use the trondocs "
            "version that wrote it")
    try:
        return State.model_validate_json(json.dumps(document))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        raise _problem(path, f"invalid state at {where}: {first['msg']} "
                             f"({exc.error_count()} problem(s))",
                       "the file was edited or is damaged; collect it again") from None

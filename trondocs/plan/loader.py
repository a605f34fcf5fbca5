"""Load the inventory: every plan YAML file → one validated Plan, or every problem at once."""

from __future__ import annotations

import datetime as dt
import os
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from trondocs.credentials import has_userinfo
from trondocs.diagnostics import Diagnostic, Level, Location, PlanError, did_you_mean
from trondocs.gcpause import gc_paused
from trondocs.plan.checks import check_plan
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.models import Plan, PlanFile
from trondocs.plan.yamlsource import SourceMap, read_yaml

# Files in the inventory folder that are not part of the plan.
NON_PLAN_FILES = {"sources.yaml", "sources.yml"}
LIST_SECTIONS = ("sites", "nodes", "protection", "failover_plans", "waivers", "drills")
SINGLE_SECTIONS = ("organization", "settings", "objectives", "three_two_one")


def plan_files(inventory: Path) -> list[Path]:
    """The plan's YAML files in an inventory folder, in a stable order."""
    inventory = Path(inventory)
    if not inventory.is_dir():  # one file, or something the bounded reader will report on
        return [inventory]
    found = sorted([*inventory.glob("*.yaml"), *inventory.glob("*.yml")])
    return [p for p in found if p.name not in NON_PLAN_FILES and not p.name.startswith(".")]


def load_plan(
    inventory: Path,
    *,
    today: dt.date | None = None,
    known_rules: set[str] | None = None,
) -> LoadedPlan:
    """Load and validate the plan in ``inventory`` (a folder or one file).

    Raises PlanError carrying every error (and the warnings) when the plan is unusable.
    """
    with gc_paused():  # a large plan is millions of acyclic objects: see trondocs.gcpause
        return _load_plan(Path(inventory), today, known_rules)


def _load_plan(inventory: Path, today: dt.date | None, known_rules: set[str] | None) -> LoadedPlan:
    if not inventory.exists() and not os.path.lexists(inventory):
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="no-inventory", message=f"{inventory} does not exist",
            hint="pass the folder holding the plan's YAML files with -i/--inventory, "
                 "or create one with 'trondocs init DIR'",
        )])
    files = plan_files(inventory)
    if not files:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="no-plan-files", message=f"{inventory} holds no *.yaml plan files",
            hint="create one with 'trondocs init DIR', or point -i at the right folder",
        )])
    diagnostics: list[Diagnostic] = []
    parsed: list[tuple[PlanFile, SourceMap]] = []
    for path in files:
        shown = _display(path)
        try:
            document, source = read_yaml(path, shown)
        except PlanError as exc:
            diagnostics.extend(exc.diagnostics)
            continue
        if document is None:
            continue  # an empty file adds nothing
        if not isinstance(document, dict):
            diagnostics.append(Diagnostic(
                level=Level.ERROR, code="not-a-mapping",
                message=f"the file holds a {type(document).__name__}, not sections of a plan",
                hint="start the file with section keys such as 'organization:' or 'nodes:'",
                location=source.locate(()),
            ))
            continue
        leaks = _credentials_in_urls(document, source)
        if leaks:
            diagnostics.extend(leaks)
            continue
        try:
            parsed.append((PlanFile.model_validate(document), source))
        except ValidationError as exc:
            diagnostics.extend(_from_validation(exc, source, document))
    if any(d.level is Level.ERROR for d in diagnostics):
        raise PlanError(diagnostics)

    merged, source_map, merge_problems = _merge(parsed, files)
    diagnostics.extend(merge_problems)
    if any(d.level is Level.ERROR for d in diagnostics):
        raise PlanError(diagnostics)
    try:
        plan = Plan.model_validate(merged)
    except ValidationError as exc:
        raise PlanError([*diagnostics, *_from_validation(exc, source_map, merged)]) from None
    loaded = LoadedPlan(plan=plan, source_map=source_map, files=files)
    diagnostics.extend(check_plan(loaded, today=today or dt.date.today(), known_rules=known_rules))
    if any(d.level is Level.ERROR for d in diagnostics):
        raise PlanError(diagnostics)
    from trondocs.plan.placeholders import placeholder_warnings

    diagnostics.extend(placeholder_warnings(files, display=_display))
    loaded.warnings = diagnostics
    return loaded


def _display(path: Path) -> str:
    # abspath, not resolve(): resolving follows symlinks, and a symlink loop must reach the
    # bounded reader (which reports it against this name), not raise here.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _credentials_in_urls(value: Any, source: SourceMap, path: tuple = ()) -> list[Diagnostic]:
    """A URL such as a node's endpoint with ``user:password@``: refused, and never echoed.

    The plan is committed to git and every URL in it reaches the site, the PDF and the state.
    """
    if isinstance(value, str):
        if not has_userinfo(value):
            return []
        return [Diagnostic(
            level=Level.ERROR, code="credentials-in-url",
            message=f"{_dotted(path)}: the URL carries a user name or password (user:…@host); "
                    "it is not shown here, and credentials never go in the plan",
            hint="remove the 'user:password@' part of the URL", location=source.locate(path))]
    if isinstance(value, dict):
        return [d for key, item in value.items() for d in _credentials_in_urls(item, source, (*path, key))]
    if isinstance(value, list):
        return [d for i, item in enumerate(value) for d in _credentials_in_urls(item, source, (*path, i))]
    return []


def _merge(
    parsed: list[tuple[PlanFile, SourceMap]], files: list[Path]
) -> tuple[dict[str, Any], SourceMap, list[Diagnostic]]:
    """Concatenate list sections across files; a single section may be declared only once."""
    merged: dict[str, Any] = {}
    source_map = SourceMap()
    problems: list[Diagnostic] = []
    if parsed:
        source_map.entries[()] = parsed[0][1].locate(())
    first_seen: dict[str, Location | None] = {}
    for plan_file, source in parsed:
        given = plan_file.model_fields_set  # the sections the file declares (no dump of the whole file)
        copied: set[str] = set()  # single sections whose locations this file contributes
        offsets: dict[str, int] = {}  # where this file's items start in each merged list
        for section in SINGLE_SECTIONS:
            if section not in given:
                continue
            here = source.locate((section,))
            if section in merged:
                problems.append(Diagnostic(
                    level=Level.ERROR, code="duplicate-section",
                    message=f"'{section}' is declared in more than one file "
                            f"(first at {first_seen[section]})",
                    hint=f"keep one '{section}' section and remove the other", location=here,
                ))
                continue
            merged[section] = getattr(plan_file, section)
            first_seen[section] = here
            copied.add(section)
        for section in LIST_SECTIONS:
            target = merged.setdefault(section, [])
            if section in given:
                source_map.entries.setdefault((section,), source.locate((section,)))
            offsets[section] = len(target)
            target.extend(getattr(plan_file, section))
        _copy_locations(source, copied, offsets, source_map)
    if "organization" not in merged:
        problems.append(Diagnostic(
            level=Level.ERROR, code="missing-organization",
            message="no file of the inventory declares 'organization'",
            hint="add 'organization: {name: ..., sr_address: T...}' to one plan file",
            location=Location(file=_display(files[0]), line=1, column=1) if files else None,
        ))
    return merged, source_map, problems


def _copy_locations(source: SourceMap, single: set[str], offsets: dict[str, int], into: SourceMap) -> None:
    """One pass over a file's locations: a single section's keep their path, a list item's move
    to its place in the merged list (linear; a scan of every entry per item was quadratic)."""
    entries = into.entries
    for path, location in source.entries.items():
        if not path:
            continue
        section = path[0]
        if section in single:
            entries[path] = location
        elif len(path) > 1 and section in offsets and isinstance(path[1], int):
            entries[(section, offsets[section] + path[1], *path[2:])] = location


def _from_validation(
    exc: ValidationError, source: SourceMap, document: Any
) -> list[Diagnostic]:
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        hint = ""
        where = _dotted(loc)
        if kind == "extra_forbidden":
            key = loc[-1]
            allowed = _fields_at(PlanFile, loc[:-1])
            message = f"unknown key '{key}'" + (f" in {_dotted(loc[:-1])}" if loc[:-1] else "")
            hint = did_you_mean(str(key), allowed) or (
                "allowed keys: " + ", ".join(sorted(allowed)) if allowed else "remove it"
            )
        elif kind == "missing":
            message = f"{_dotted(loc[:-1]) or 'the file'} is missing required key '{loc[-1]}'"
            hint = f"add '{loc[-1]}: ...'"
        elif kind == "enum":
            expected = error.get("ctx", {}).get("expected", "")
            value = _value_at(document, loc)
            choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
            message = f"{where}: {value!r} is not one of {expected}"
            hint = did_you_mean(str(value), choices) or f"use one of {expected}"
        elif kind.endswith("_type") or kind in ("model_type", "dataclass_type"):
            value = _value_at(document, loc)
            message = f"{where}: {message} (got {type(value).__name__} {value!r})"[:300]
            hint = "check the value's type: quote text, use a list '- item' or a mapping 'key: value'"
        else:
            message = f"{where}: {message}" if where else message
            hint = _hint_from_message(message)
        out.append(Diagnostic(level=Level.ERROR, code=kind.replace("_", "-"), message=message,
                              hint=hint, location=source.locate(loc)))
    return out


def _hint_from_message(message: str) -> str:
    # Our validators phrase their fix after a ';' ("… is not a duration; write a duration like …").
    if "; " in message:
        return message.split("; ", 1)[1]
    return "see 'trondocs schema' for the expected format"


def _dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _value_at(document: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model found by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[X]``, ``X | None``, ``Annotated[X, …]``."""
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if origin in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None

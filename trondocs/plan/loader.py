"""Load the inventory: every plan YAML file → one validated Plan, or every problem at once."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from trondocs.credentials import paths_with_userinfo
from trondocs.diagnostics import (
    Diagnostic,
    Level,
    Location,
    PlanError,
    by_place,
    dotted,
    from_validation_error,
)
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
    unvalidated = Unvalidated()
    unreadable = False
    for path in files:
        shown = _display(path)
        try:
            document, source = read_yaml(path, shown)
        except PlanError as exc:
            diagnostics.extend(exc.diagnostics)
            unreadable = True
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
            unreadable = True
            continue
        plan_file, source, problems = _validated_file(document, source, unvalidated)
        diagnostics.extend(problems)
        if plan_file is None:
            unreadable = True
        else:
            parsed.append((plan_file, source))
    # A file that could not be read declares what nobody knows: checking names and references
    # without it would report every reference into it. Every other problem is reported at once:
    # an item with an error is left out of what is checked next, its name still counted as declared.
    if unreadable:
        raise PlanError(sorted(diagnostics, key=by_place))

    merged, source_map, merge_problems = _merge(parsed, files, unvalidated)
    diagnostics.extend(merge_problems)
    from trondocs.plan.placeholders import placeholder_warnings

    diagnostics.extend(placeholder_warnings(files, display=_display))
    if "organization" not in merged:  # missing or invalid: no plan to check references in
        raise PlanError(sorted(diagnostics, key=by_place))
    try:
        plan = Plan.model_validate(merged)
    except ValidationError as exc:
        raise PlanError(sorted([*diagnostics, *_validation_problems(exc, source_map, merged)],
                               key=by_place)) from None
    loaded = LoadedPlan(plan=plan, source_map=source_map, files=files)
    checked = check_plan(loaded, today=today or dt.date.today(), known_rules=known_rules,
                         unvalidated=unvalidated.names)
    if unvalidated.names or unvalidated.sections:
        # Warnings that count what the plan holds ("no standby witness") would be about a plan
        # with items left out: they come back, if still true, once the errors are fixed.
        checked = [d for d in checked if d.level is Level.ERROR]
    diagnostics.extend(checked)
    diagnostics.sort(key=by_place)
    if any(d.level is Level.ERROR for d in diagnostics):
        raise PlanError(diagnostics)
    loaded.warnings = diagnostics
    return loaded


@dataclass
class Unvalidated:
    """What failed validation and was left out: the names of list items (per section) and the
    single sections, so that later checks do not report them again as missing."""

    names: dict[str, set[str]] = field(default_factory=dict)
    sections: set[str] = field(default_factory=set)


def _validated_file(document: dict, source: SourceMap, unvalidated: Unvalidated
                    ) -> tuple[PlanFile | None, SourceMap, list[Diagnostic]]:
    """The file as a PlanFile, with its problems; each item, section or key that has one is
    left out (and recorded in ``unvalidated``) so the rest is still validated and checked."""
    problems = [_credentials_problem(path, source) for path in paths_with_userinfo(document)]
    left_out = {_unit(path) for path in paths_with_userinfo(document)}
    for _ in range(3):  # what is left after dropping the failing units is valid; bounded all the same
        if left_out:
            document, source = _without(document, source, left_out, unvalidated)
        try:
            return PlanFile.model_validate(document), source, problems
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, source, document))
            left_out = {_unit(tuple(error["loc"])) for error in exc.errors(include_url=False)}
            if () in left_out:
                break
    return None, source, problems


def _unit(loc: tuple) -> tuple:
    """What to leave out for an error at ``loc``: a list item, else the section or key."""
    if len(loc) > 1 and loc[0] in LIST_SECTIONS and isinstance(loc[1], int):
        return loc[:2]
    return loc[:1]


def _without(document: dict, source: SourceMap, units: set[tuple], unvalidated: Unvalidated
             ) -> tuple[dict, SourceMap]:
    """The document without ``units``, and its source map with the later items' indexes moved up."""
    kept = {key: value for key, value in document.items() if (key,) not in units}
    unvalidated.sections.update(key for (key, *_rest) in units if key in SINGLE_SECTIONS)
    shift: dict[str, list[int]] = {}  # section → the old index of each kept item
    for section in LIST_SECTIONS:
        items = kept.get(section)
        if not isinstance(items, list):
            continue
        dropped = {unit[1] for unit in units if len(unit) == 2 and unit[0] == section}
        for index in sorted(dropped):
            name = items[index].get("name") if isinstance(items[index], dict) else None
            if isinstance(name, str):
                unvalidated.names.setdefault(section, set()).add(name)
        shift[section] = [i for i in range(len(items)) if i not in dropped]
        kept[section] = [items[i] for i in shift[section]]
    moved = SourceMap()
    for path, location in source.entries.items():
        if path and (path[0],) in units:
            continue
        if len(path) > 1 and path[0] in shift and isinstance(path[1], int):
            if path[1] not in shift[path[0]]:
                continue
            path = (path[0], shift[path[0]].index(path[1]), *path[2:])
        moved.entries[path] = location
    return kept, moved


def _validation_problems(exc: ValidationError, source: SourceMap, document: Any) -> list[Diagnostic]:
    return from_validation_error(exc, model=PlanFile, document=document, locate=source.locate)


def _display(path: Path) -> str:
    # abspath, not resolve(): resolving follows symlinks, and a symlink loop must reach the
    # bounded reader (which reports it against this name), not raise here.
    try:
        return str(Path(os.path.abspath(path)).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def _credentials_problem(path: tuple, source: SourceMap) -> Diagnostic:
    """A URL such as a node's endpoint with ``user:password@``: refused, and never echoed.

    The plan is committed to git and every URL in it reaches the site, the PDF and the state.
    """
    return Diagnostic(
        level=Level.ERROR, code="credentials-in-url",
        message=f"{dotted(path)}: the URL carries a user name or password (user:…@host); "
                "it is not shown here, and credentials never go in the plan",
        hint="remove the 'user:password@' part of the URL", location=source.locate(path))


def _merge(
    parsed: list[tuple[PlanFile, SourceMap]], files: list[Path], unvalidated: Unvalidated
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
    if "organization" not in merged and "organization" not in unvalidated.sections:
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

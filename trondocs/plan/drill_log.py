"""The plan's drill log: DR test results appended to the plan YAML, comments kept."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml import YAML

from trondocs.diagnostics import Diagnostic, Level, PlanError, did_you_mean
from trondocs.fsutil import write_atomic
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.loader import _display, load_plan, plan_files
from trondocs.plan.models import Drill
from trondocs.userfiles import read_text

DEFAULT_DRILL_FILE = "drills.yaml"


def drill_file(inventory: Path) -> Path:
    """The plan file that holds ``drills:`` (else a new drills.yaml beside the others)."""
    inventory = Path(inventory)
    yaml = YAML(typ="safe")
    for path in plan_files(inventory):
        try:
            document = yaml.load(read_text(path, what="YAML file"))
        except Exception:  # a broken (or refused) file is reported by load_plan
            continue
        if isinstance(document, dict) and "drills" in document:
            return path
    return (inventory if inventory.is_dir() else inventory.parent) / DEFAULT_DRILL_FILE


def record_drill(inventory: Path, drill: dict, *, today: dt.date | None = None,
                 known_rules: set[str] | None = None) -> tuple[Path, LoadedPlan]:
    """Append ``drill`` to the drill log, only if the whole plan stays valid afterwards."""
    current = load_plan(inventory, today=today, known_rules=known_rules)
    problems = _unknown_names(current, drill)  # reported together with the entry's own problems
    entry = None
    try:
        entry = Drill.model_validate({k: v for k, v in drill.items() if v is not None})
    except ValidationError as exc:
        problems += [
            Diagnostic(level=Level.ERROR, code="bad-drill",
                       message=f"{'.'.join(map(str, e['loc'])) or 'drill'}: "
                               + str(e["msg"]).removeprefix("Value error, "),
                       hint="see 'trondocs drill record --help'")
            for e in exc.errors(include_url=False)
        ]
    if problems or entry is None:
        raise PlanError(problems)
    target = drill_file(inventory)
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap the operator's lines
    # load_plan above read the target already (bounded, aliases limited): it is a sound plan file.
    document = yaml.load(read_text(target, what="YAML file")) if target.exists() else None
    if document is None:
        document = {}
    if document.get("drills") is None:
        document["drills"] = []
    document["drills"].append(_as_yaml(entry))
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    text = _blank_line_before_sections(buffer.getvalue())
    # Validate the plan as it would be, in a scratch copy: a bad entry writes nothing.
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(inventory)
        copy = Path(scratch) / "inventory"
        # Only the plan's files: anything else in the folder (a FIFO, a huge file) is none of ours.
        copy.mkdir()
        for path in plan_files(source):
            shutil.copyfile(path, copy / path.name)
        (copy / target.name).write_text(text, encoding="utf-8")
        try:
            load_plan(copy, today=today, known_rules=known_rules)
        except PlanError as exc:
            raise PlanError([d.model_copy(update={"location": None, "message": f"{_display(target)}: "
                                                  + d.message}) if d.location else d
                             for d in exc.diagnostics]) from None
    write_atomic(target, text)
    return target, load_plan(inventory, today=today, known_rules=known_rules)


def _unknown_names(current: LoadedPlan, drill: dict) -> list[Diagnostic]:
    problems = []
    for key, section, what in (("plan", "failover_plans", "failover plan"), ("node", "nodes", "node")):
        name = drill.get(key)
        names = [item.name for item in getattr(current.plan, section)]
        if name and name not in names:
            problems.append(Diagnostic(
                level=Level.ERROR, code=f"unknown-{what.replace(' ', '-')}",
                message=f"unknown {what} '{name}'",
                hint=did_you_mean(name, names) or f"{what}s in the plan: {', '.join(names) or 'none'}"))
    return problems


def _blank_line_before_sections(text: str) -> str:
    """Keep a blank line before each top-level section, as people write them."""
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        previous = out[-1].strip() if out else ""
        if re.match(r"[A-Za-z_][\w-]*:", line) and previous and not previous.startswith("#"):
            out.append("\n")
        out.append(line)
    return "".join(out)


def _as_yaml(drill: Drill) -> dict:
    out: dict = {}
    for key in ("plan", "node", "scenario"):
        if getattr(drill, key):
            out[key] = getattr(drill, key)
    out["started"] = drill.started.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["finished"] = drill.finished.strftime("%Y-%m-%dT%H:%M:%SZ")
    if drill.caught_up is not None:
        out["caught_up"] = drill.caught_up.strftime("%Y-%m-%dT%H:%M:%SZ")
    out["result"] = drill.result.value
    for key in ("notes", "by"):
        if getattr(drill, key):
            out[key] = getattr(drill, key)
    return out

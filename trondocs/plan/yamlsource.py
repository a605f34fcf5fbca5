"""Read YAML keeping the file, line and column of every key, so errors point at the plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from trondocs.diagnostics import Diagnostic, Level, Location, PlanError
from trondocs.plan.fastyaml import fast_parse
from trondocs.plan.yamlscalar import MAX_VALUES, plain_scalar
from trondocs.userfiles import MAX_YAML_BYTES, read_text

Path_ = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each value of a document came from: path → location of its key or list item."""

    entries: dict[Path_, Location] = field(default_factory=dict)

    def locate(self, path: Path_) -> Location | None:
        """The location of ``path``, or of its closest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.entries:
                return self.entries[path]
            path = path[:-1]
        return self.entries.get(())


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


class _Budget:
    """How many more values may be produced (aliases expanded included)."""

    def __init__(self, values: int) -> None:
        self.left = values

    def spend(self, path: Path_) -> None:
        self.left -= 1
        if self.left < 0:
            raise _TooLarge(path)


def _plain(node: Any, file: str, path: Path_, out: SourceMap, seen: set[int],
           budget: _Budget) -> Any:
    """ruamel's round-trip objects → plain Python, recording locations on the way."""
    budget.spend(path)
    if isinstance(node, dict):
        if id(node) in seen:
            raise _AliasCycle(path)
        seen = seen | {id(node)}
        result = {}
        for key, value in node.items():
            child = (*path, key if isinstance(key, str | int) else str(key))
            try:
                line, col = node.lc.key(key)
                out.entries[child] = Location(file=file, line=line + 1, column=col + 1)
            except (AttributeError, KeyError, TypeError):
                pass
            result[child[-1]] = _plain(value, file, child, out, seen, budget)
        return result
    if isinstance(node, list):
        if id(node) in seen:
            raise _AliasCycle(path)
        seen = seen | {id(node)}
        items = []
        for index, value in enumerate(node):
            child = (*path, index)
            try:
                line, col = node.lc.item(index)
                out.entries[child] = Location(file=file, line=line + 1, column=col + 1)
            except (AttributeError, KeyError, TypeError):
                pass
            items.append(_plain(value, file, child, out, seen, budget))
        return items
    return plain_scalar(node)


class _AliasCycle(Exception):
    def __init__(self, path: Path_):
        self.path = path


class _TooLarge(Exception):
    def __init__(self, path: Path_):
        self.path = path


def read_yaml(path: Path, display_name: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one YAML file; raise PlanError with the place of a syntax error."""
    name = display_name or str(path)
    source = SourceMap()
    source.entries[()] = Location(file=name, line=1, column=1)
    text = read_text(Path(path), what="YAML file", limit=MAX_YAML_BYTES, display=name)
    fast = fast_parse(text, name)  # plain block YAML through libyaml; None: ruamel decides
    if fast is not None:
        source.entries.update(fast[1])
        return fast[0], source
    try:
        document = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(file=name, line=(mark.line + 1) if mark else 1,
                         column=(mark.column + 1) if mark else 1)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "fix the YAML syntax here (indentation, quoting, a missing ':')"
        if "duplicate key" in str(problem) or "duplicate key" in str(exc):
            problem, hint = "a key appears twice in the same mapping", "remove or rename one of them"
        raise PlanError([Diagnostic(level=Level.ERROR, code="yaml-syntax",
                                    message=str(problem), hint=hint, location=where)]) from None
    except RecursionError:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-too-deep", message="the document is nested too deeply to read",
            hint="flatten the structure", location=Location(file=name, line=1, column=1),
        )]) from None
    except (YAMLError, ValueError, TypeError) as exc:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-syntax", message=f"cannot read YAML: {exc}",
            hint="check the YAML syntax of this file", location=Location(file=name, line=1, column=1),
        )]) from None
    try:
        plain = _plain(document, name, (), source, set(), _Budget(MAX_VALUES))
    except _AliasCycle as cycle:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-alias-cycle", message="an alias refers to itself",
            hint="replace the recursive *alias with the values it stands for",
            location=source.locate(cycle.path),
        )]) from None
    except _TooLarge as large:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-too-large",
            message=f"the document expands to more than {MAX_VALUES:,} values (YAML aliases "
                    "that repeat aliases, a 'billion laughs')",
            hint="write the values out, or use fewer nested *aliases",
            location=source.locate(large.path),
        )]) from None
    except RecursionError:
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-too-deep", message="the document is nested too deeply",
            hint="flatten the structure", location=Location(file=name, line=1, column=1),
        )]) from None
    return plain, source

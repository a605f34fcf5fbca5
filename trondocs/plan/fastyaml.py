"""The plain YAML of a plan, parsed by libyaml (C), with the same values and locations as ruamel.

ruamel's round-trip loader is pure Python: a 5,000-node plan took seconds to parse. Most plans
are plain block YAML — mappings, lists and scalars, no anchors, tags, merge keys or directives.
For those, libyaml composes the node tree (each node carries its line and column) and every
plain scalar is resolved and constructed by ruamel's own YAML 1.2 resolver and constructor, so
values are exactly what ruamel gives (``02:00`` stays text, ``yes`` stays text, timestamps
become datetimes). An alias stands for its anchor's values and locations, as with ruamel. A
document with aliases is bounded as on ruamel's path: past ``MAX_VALUES`` values, aliases
expanded included, ruamel's path refuses it in words (a document without aliases has no such
bound on either path). Anything else — a recursive alias, a tag, a merge key, a duplicate
key, a directive, a non-text key, a syntax error, a parser without libyaml — returns ``None``
and the caller parses with ruamel as before, which also words every error.
"""

from __future__ import annotations

from typing import Any

from trondocs.diagnostics import Diagnostic, Level, Location, PlanError
from trondocs.plan.yamlscalar import MAX_VALUES, plain_scalar

try:  # PyYAML with libyaml; without it the caller keeps using ruamel
    import yaml
    from yaml import CBaseLoader as _Loader  # libyaml; no YAML 1.1 tag resolution (ruamel resolves)
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode
except ImportError:  # pragma: no cover - PyYAML comes with mkdocs
    yaml = None  # type: ignore[assignment]

Path_ = tuple[str | int, ...]
_STR = "tag:yaml.org,2002:str"
_UNSAFE = ("!", "\x85", "\u2028", "\u2029")  # tags; line breaks YAML 1.1 and 1.2 disagree on


class _Fallback(Exception):
    """Something only ruamel should decide."""


class _BadScalar(Exception):
    """A plain scalar YAML resolves to a type it cannot be (a date with no such day)."""

    def __init__(self, node: Any, text: str, reason: str):
        super().__init__(reason)
        self.node, self.text, self.reason = node, text, reason


def fast_parse(text: str, file: str) -> tuple[Any, dict[Path_, Location]] | None:
    """(plain document, path → location) like ``yamlsource``'s ruamel path, or None to use that path."""
    if yaml is None or any(mark in text for mark in _UNSAFE) or _has_directive(text):
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None  # ruamel words the error (or accepts YAML 1.2 that libyaml does not)
    except (ValueError, TypeError, RecursionError):
        return None
    entries: dict[Path_, Location] = {}
    builder = _Builder(file, entries)
    try:
        plain = builder.value(root, ()) if root is not None else None
    except (_Fallback, RecursionError):
        return None  # also past the values budget: ruamel's path words the refusal
    except _BadScalar as bad:  # e.g. 2026-02-30: YAML reads it as a date, and there is no such day
        raise PlanError([Diagnostic(
            level=Level.ERROR, code="yaml-bad-value", message=f"cannot read {bad.text!r}: {bad.reason}",
            hint="correct it (dates are YYYY-MM-DD, times ISO 8601), or quote it to keep it as text",
            location=builder.location(bad.node))]) from None
    return plain, entries


def _has_directive(text: str) -> bool:
    return text.startswith("%") or "\n%" in text


class _Builder:
    def __init__(self, file: str, entries: dict[Path_, Location]):
        from ruamel.yaml import YAML
        from ruamel.yaml.nodes import ScalarNode as RuamelScalar

        loader = YAML(typ="rt")
        self._resolve = loader.resolver.resolve
        # ruamel resolves a plain scalar by the implicit resolvers of its first character (and
        # those for any character): text starting with none of those is text, without a regex.
        table = loader.resolver.versioned_resolver
        self._first = frozenset(k for k in table if k is not None)
        self._any = bool(table.get(None))
        self._construct = loader.constructor.construct_object
        self._ruamel_scalar = RuamelScalar
        self._file = file
        self._entries = entries
        self._open: set[int] = set()  # the containers being converted: an alias to one is a cycle
        self._seen: set[int] = set()  # the containers converted so far: one seen again is an alias
        self._aliased = False
        self._values_left = MAX_VALUES  # aliases expand: a "billion laughs" must stop early
        self._scalars: dict[str, Any] = {}  # plain scalar text → value (values are immutable)

    def location(self, node: Any) -> Location:
        mark = node.start_mark  # two ints from libyaml: no validation needed
        return Location.model_construct(file=self._file, line=mark.line + 1, column=mark.column + 1)

    def value(self, node: Any, path: Path_) -> Any:
        self._values_left -= 1
        if self._values_left < 0 and self._aliased:
            raise _Fallback
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self._open:
            raise _Fallback  # a recursive alias: ruamel words it
        if id(node) in self._seen:
            self._aliased = True
        self._seen.add(id(node))
        self._open.add(id(node))
        try:
            return self._container(node, path)
        finally:
            self._open.discard(id(node))

    def _container(self, node: Any, path: Path_) -> Any:
        if isinstance(node, SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                child = (*path, index)
                self._entries[child] = self.location(item)
                items.append(self.value(item, child))
            return items
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    raise _Fallback
                if not key_node.style and key_node.value == "<<":
                    raise _Fallback  # a merge key
                key = self.scalar(key_node)
                if not isinstance(key, str) or key in result:
                    raise _Fallback  # a non-text key, or a duplicate: ruamel's error
                child = (*path, key)
                self._entries[child] = self.location(key_node)
                result[key] = self.value(value_node, child)
            return result
        raise _Fallback

    def scalar(self, node: Any) -> Any:
        text = node.value
        if node.style:  # quoted or block: text (plain is "")
            return str(text)
        if text in self._scalars:
            return self._scalars[text]
        if text and text[0] not in self._first and not self._any:
            self._scalars[text] = str(text)
            return self._scalars[text]
        tag = self._resolve(self._ruamel_scalar, text, (True, False))
        if tag == _STR:
            value: Any = str(text)
        else:
            try:
                value = plain_scalar(self._construct(self._ruamel_scalar(tag, text), deep=True))
            except (ValueError, TypeError, OverflowError) as exc:
                raise _BadScalar(node, str(text), str(exc)) from None
        self._scalars[text] = value
        return value

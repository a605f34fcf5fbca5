"""Look-ups by name on immutable models, indexed once per model instead of scanned per call.

``plan.node(name)`` and ``assessment.findings_for(node)`` are asked once per node by the checks
and renderers: a scan each time is quadratic in the estate. The index lives beside the model
(keyed by its identity, dropped with it) rather than in it, so model equality, copies and
serialisation are untouched; it is rebuilt when the list it indexes is replaced or changes length.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_CACHE: dict[tuple[int, str], tuple[weakref.ref, int, int, Any]] = {}


def _cached(owner: object, name: str, items: Sequence, build: Callable[[], Any]) -> Any:
    key = (id(owner), name)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is owner and hit[1] == id(items) and hit[2] == len(items):
        return hit[3]
    value = build()
    ref = weakref.ref(owner, lambda _gone, key=key: _CACHE.pop(key, None))
    _CACHE[key] = (ref, id(items), len(items), value)
    return value


def first_by(owner: object, name: str, items: Sequence[T], key: Callable[[T], Hashable]) -> dict[Hashable, T]:
    """``{key(item): item}``, the first item winning (what ``next(x for x in items if …)`` finds)."""
    def build() -> dict[Hashable, T]:
        index: dict[Hashable, T] = {}
        for item in items:
            index.setdefault(key(item), item)
        return index
    return _cached(owner, name, items, build)


def grouped_by(owner: object, name: str, items: Sequence[T], key: Callable[[T], Hashable]
               ) -> dict[Hashable, list[T]]:
    """``{key: [items with that key, in order]}``."""
    def build() -> dict[Hashable, list[T]]:
        index: dict[Hashable, list[T]] = {}
        for item in items:
            index.setdefault(key(item), []).append(item)
        return index
    return _cached(owner, name, items, build)

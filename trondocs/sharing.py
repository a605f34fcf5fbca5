"""Memory that many model instances can share instead of each holding a copy."""

from __future__ import annotations

from pydantic import BaseModel

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def shared_fields_set(model: BaseModel) -> None:
    """Give a frozen model the one set object of its given field names that its peers share.

    pydantic keeps a set of the given field names in every instance: for a restore point with
    all 27 fields, 2 KB, more than the point's values. A state of a million points holds a
    handful of distinct sets; sharing them keeps memory bounded by the values (frozen models
    never change the set).
    """
    given = model.__pydantic_fields_set__
    key = frozenset(given)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        if len(_FIELDS_SETS) > 4096:  # arbitrary field combinations: stop sharing, stay bounded
            return
        shared = _FIELDS_SETS[key] = set(given)
    object.__setattr__(model, "__pydantic_fields_set__", shared)

"""Memory that many model instances can share instead of each holding a copy."""

from __future__ import annotations

from pydantic import BaseModel

_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def shared_fields_set(model: BaseModel) -> None:
    """Give a frozen model the one set object of its given field names that its peers share.

    pydantic keeps a set of the given field names in every instance: 700 B to 2 KB, more than
    many small models' values. An Assessment of hundreds of thousands of them holds a handful of
    distinct sets; sharing them keeps memory bounded by the values (frozen models never change
    the set). Restore points, the bulk of a state, are slotted dataclasses and hold no such set.
    """
    given = model.__pydantic_fields_set__
    key = frozenset(given)
    shared = _FIELDS_SETS.get(key)
    if shared is None:
        if len(_FIELDS_SETS) > 4096:  # arbitrary field combinations: stop sharing, stay bounded
            return
        shared = _FIELDS_SETS[key] = set(given)
    object.__setattr__(model, "__pydantic_fields_set__", shared)

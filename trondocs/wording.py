"""Small wording helpers every layer shares: counts with the right plural."""

from __future__ import annotations

# Plurals that adding an "s" gets wrong.
_PLURALS = {"copy": "copies", "medium": "media", "independent copy": "independent copies",
            "off-site copy": "off-site copies", "immutable copy": "immutable copies",
            "failover plan": "failover plans", "policy": "policies"}


def count_noun(count: int, noun: str, plural: str | None = None) -> str:
    """``1 copy``, ``2 copies``, ``1 failover plan``, ``3 media``."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {plural or _PLURALS.get(noun) or noun + 's'}"

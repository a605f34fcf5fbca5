"""Whether a restore point counts at all: the one test chains and the rules both apply.

A leaf module of its own so chains.py and rpo.py need not import each other for it.
"""

from __future__ import annotations

import datetime as dt

from trondocs.state.models import RestorePoint

USABLE_STATUSES = frozenset({"ok", "success", "completed", "available"})  # collectors say "ok"


def usable(point: RestorePoint, as_of: dt.datetime) -> bool:
    """A point one could restore from at ``as_of``: finished fine and already created."""
    return finished_fine(point.status) and point.created <= as_of


def finished_fine(status: str) -> bool:
    """The half of :func:`usable` a point's status decides (chains decide it once per status)."""
    return status.lower() in USABLE_STATUSES

"""Distinct instants of restore points: what a chain's timeline (chains) and a node's RPO
figures (rpo) are both made of, so it lives in neither."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable

_IN_UTC = operator.methodcaller("astimezone", dt.UTC)


def instants(times: Iterable[dt.datetime]) -> list[dt.datetime]:
    """Distinct instants, oldest first, in UTC (any input order or zone)."""
    return sorted(set(map(_IN_UTC, times)))  # map: converted in C, one call per restore point

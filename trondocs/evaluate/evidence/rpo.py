"""Achieved RPO: how old the newest usable restore point is, and the worst gap over a window.

The largest gap is the most data a disaster at any moment of the window would have lost:
``max(t - newest point at or before t)`` for ``t`` in ``[as_of - window, as_of]``, counted
from the first point trondocs can see (history older than the retention is not a gap).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable

from trondocs.evaluate.models import ProtectionRpo, RpoEvidence
from trondocs.state.models import RestorePoint

USABLE_STATUSES = frozenset({"ok", "success", "completed", "available"})  # collectors say "ok"


def usable(point: RestorePoint, as_of: dt.datetime) -> bool:
    """A point one could restore from at ``as_of``: finished fine and already created."""
    return point.status.lower() in USABLE_STATUSES and point.created <= as_of


def timeline(times: Iterable[dt.datetime], as_of: dt.datetime) -> list[dt.datetime]:
    """Distinct instants at or before ``as_of``, oldest first, in UTC (any input order or zone)."""
    return sorted({t.astimezone(dt.UTC) for t in times if t <= as_of})


def newest_age(times: list[dt.datetime], as_of: dt.datetime) -> dt.timedelta | None:
    """Age at ``as_of`` of the newest instant of a :func:`timeline`."""
    return as_of - times[-1] if times else None


def largest_gap(times: list[dt.datetime], as_of: dt.datetime,
                window: dt.timedelta) -> dt.timedelta | None:
    """Largest gap of a :func:`timeline` over the window, the gap from the newest point to
    ``as_of`` included; a gap that began before the window but ends inside it counts whole."""
    if not times:
        return None
    start = bisect.bisect_right(times, as_of - window)  # times[start - 1]: the newest at the start
    seq = [*times[max(start - 1, 0):], as_of]
    return max(later - earlier for earlier, later in itertools.pairwise(seq))


def chain_rpo(label: str, kind: str, location: str | None, points: list[RestorePoint],
              as_of: dt.datetime, window: dt.timedelta,
              expected: dt.timedelta | None) -> ProtectionRpo:
    times = timeline((p.created for p in points), as_of)
    return ProtectionRpo(
        protection=label, kind=kind, location=location, count=len(points),
        newest=times[-1] if times else None, newest_age=newest_age(times, as_of),
        largest_gap=largest_gap(times, as_of, window), expected_interval=expected,
    )


def node_rpo(target: dt.timedelta, chains: list[ProtectionRpo],
             chain_points: list[list[RestorePoint]], as_of: dt.datetime,
             window: dt.timedelta, known: bool) -> RpoEvidence:
    """Overall RPO of a node: the best copy wins; gaps over the union of every chain's points."""
    every = [p for points in chain_points for p in points]
    times = timeline((p.created for p in every), as_of)
    # The window's points and the newest one before it: the age at the window's start.
    in_window = times[max(bisect.bisect_left(times, as_of - window) - 1, 0):]
    return RpoEvidence(
        target=target, newest=times[-1] if times else None, newest_age=newest_age(times, as_of),
        largest_gap=largest_gap(times, as_of, window), window=window, per_protection=chains,
        counts_by_kind=dict(sorted(Counter(p.kind.value for p in every).items())),
        counts_by_location=dict(sorted(Counter(p.location or "unknown" for p in every).items())),
        points=in_window, known=known,
    )

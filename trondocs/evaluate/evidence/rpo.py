"""Achieved RPO: how old the newest usable restore point is, and the worst gap over a window.

The largest gap is the most data a disaster at any moment of the window would have lost:
``max(t - newest point at or before t)`` for ``t`` in ``[as_of - window, as_of]``. A chain's
gap is judged within its own retention (from its oldest kept point); a node's over the union
of its chains, from the latest of their oldest points: before that, a chain's rotated points
are unknown, and time nothing observed can judge is not a gap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from trondocs.evaluate.evidence.instants import instants
from trondocs.evaluate.models import ProtectionRpo, RpoEvidence

if TYPE_CHECKING:  # annotations only: chains build on the points this module measures
    from trondocs.evaluate.evidence.chains import Chain


def timeline(times: Iterable[dt.datetime], as_of: dt.datetime) -> list[dt.datetime]:
    """Distinct instants at or before ``as_of``, oldest first, in UTC (any input order or zone)."""
    return instants(t for t in times if t <= as_of)


def union(timelines: Iterable[list[dt.datetime]]) -> list[dt.datetime]:
    """The timeline of every instant of these timelines (each distinct and in UTC already)."""
    return sorted(set(itertools.chain.from_iterable(timelines)))


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


def chain_rpo(chain: Chain, as_of: dt.datetime, window: dt.timedelta, rpo: dt.timedelta) -> ProtectionRpo:
    """One chain's figures; its largest gap lies within its own retention (from its oldest point)."""
    times = chain.times  # its points are usable: none is after as_of
    newest = chain.newest
    return ProtectionRpo(
        protection=chain.label, kind=chain.kind, location=chain.location,
        site=chain.site.name if chain.site else None, placement=chain.place.observed,
        medium=newest.medium, immutable=newest.immutable, encrypted=newest.encrypted,
        account=newest.account, sources=chain.sources, count=len(chain.points),
        oldest=times[0] if times else None, newest=times[-1] if times else None,
        newest_age=newest_age(times, as_of), largest_gap=largest_gap(times, as_of, window),
        expected_interval=chain.expected_interval, freshness_limit=chain.freshness_limit(rpo),
        stale=chain.stale(as_of, rpo), basis=chain.basis,
    )


def judged_start(chains: list[Chain], as_of: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """Where the node's largest gap is judged from: the window's start, or later, the oldest point
    of the chain keeping the shortest history — before it, its rotated points are unknown, and
    time that nothing observed can judge is no gap."""
    start = as_of - window
    oldest = [c.oldest.created for c in chains if c.points and c.oldest.created <= as_of]
    return max([start, *oldest])


def node_rpo(target: dt.timedelta, rows: list[ProtectionRpo], chains: list[Chain],
             as_of: dt.datetime, window: dt.timedelta, known: bool) -> RpoEvidence:
    """Overall RPO of a node: the best copy wins; gaps over the union of every chain's points,
    within the part of the window every chain covers."""
    times = union(c.times for c in chains)  # the timeline of all their points
    # A chain's points share its kind and location: counted per chain, not per point.
    by_kind: Counter[str] = Counter()
    by_location: Counter[str] = Counter()
    for chain in chains:
        by_kind[chain.kind] += len(chain.points)
        by_location[chain.location] += len(chain.points)
    start = judged_start(chains, as_of, window)
    judged = times[max(bisect.bisect_left(times, start), 0):] if start > as_of - window else times
    gap = largest_gap(judged, as_of, as_of - start) if judged else (as_of - times[-1] if times else None)
    # The window's points and the newest one before it: the age at the window's start.
    in_window = times[max(bisect.bisect_left(times, as_of - window) - 1, 0):]
    return RpoEvidence(
        target=target, newest=times[-1] if times else None, newest_age=newest_age(times, as_of),
        largest_gap=gap, window=window, per_protection=rows,
        counts_by_kind=dict(sorted((k, n) for k, n in by_kind.items() if n)),
        counts_by_location=dict(sorted((k, n) for k, n in by_location.items() if n)),
        points=in_window, judged_from=start if times else None, known=known,
    )

"""Restore points grouped into chains: one per (protection, kind, observed place).

A point is placed where its source says it is (see ``placement.py``); a replica point whose
source names no claimed place is placed where the replica VM runs, as vSphere reports it.
Only usable points (finished fine, existing at ``as_of``) form chains: copies still being
made, or failed, are not restore points yet.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from trondocs.evaluate.attribution import DECISION_FIELDS, Provenance
from trondocs.evaluate.evidence.instants import instants
from trondocs.evaluate.evidence.placement import REPORTED_FIELDS, Place, SiteIndex
from trondocs.evaluate.evidence.usable import finished_fine, usable
from trondocs.evaluate.models import MatchBasis
from trondocs.plan.models import Protection, Site
from trondocs.state.models import Asset, RestorePoint, RestorePointKind

AGE_ORDER = operator.attrgetter("created", "id")  # a chain's order (attrgetter: a key built in C)
_CREATED, _SOURCE = operator.attrgetter("created"), operator.attrgetter("source")


@dataclass(frozen=True)
class Chain:
    label: str  # the protection's name, or "(unplanned) <job>"
    protection: Protection | None
    kind: RestorePointKind
    place: Place
    points: list[RestorePoint]  # usable at as_of, oldest first
    basis: MatchBasis  # the weakest basis any of its points was attributed by

    @property
    def site(self) -> Site | None:
        return self.place.site

    @property
    def location(self) -> str:
        return self.place.label

    @property
    def newest(self) -> RestorePoint:
        return self.points[-1]

    @property
    def oldest(self) -> RestorePoint:
        return self.points[0]

    @functools.cached_property
    def times(self) -> list[dt.datetime]:
        """Its points' distinct creation instants, oldest first: its :func:`rpo.timeline` (its points
        are usable: none is after as_of), worked out once for its own figures and the node's."""
        return instants(map(_CREATED, self.points))

    @property
    def expected_interval(self) -> dt.timedelta | None:
        return self.protection.interval if self.protection else None

    @property
    def sources(self) -> list[str]:
        return sorted(set(map(_SOURCE, self.points)))

    def freshness_limit(self, rpo: dt.timedelta) -> dt.timedelta:
        """Twice the planned interval; the node's RPO for chains without one."""
        interval = self.expected_interval
        return 2 * interval if interval is not None else rpo

    def stale(self, as_of: dt.datetime, rpo: dt.timedelta) -> bool:
        return as_of - self.newest.created > self.freshness_limit(rpo)


def place_point(point: RestorePoint, sites: SiteIndex, replicas: list[Asset]) -> Place:
    place = sites.place(point)
    if place.site is None and point.kind is RestorePointKind.REPLICA and replicas:
        # Where the replica VM runs, as vSphere reports it: the copy's own disks.
        seen = sites.place_asset(replicas[0])
        if seen.site is not None:
            return Place(seen.site, f"replica VM {replicas[0].name} on {seen.observed}")
    return place


def build_chains(points: Iterable[RestorePoint], provenance: Callable[[RestorePoint], Provenance],
                 sites: SiteIndex, replicas: list[Asset], as_of: dt.datetime) -> list[Chain]:
    """Usable points of one node, grouped into chains in a stable order; ``points`` oldest first
    (as attribution orders them), ``provenance`` says which protection made each."""
    groups: dict[tuple[str, RestorePointKind, str], _Group] = {}
    # A node's hundred points share a few jobs, places and statuses: the chain a point joins is
    # decided once per distinct combination of them (all that decides it but the point's age),
    # so the result is the one a decision per point gives.
    joins: dict[tuple, tuple[_Group, MatchBasis] | None] = {}
    for point in points:
        key = _JOIN_KEY(point)
        join = joins.get(key, _UNSEEN)
        if join is _UNSEEN:
            join = joins[key] = _join(point, provenance(point), groups, sites, replicas)
        if join is not None and point.created <= as_of:  # usable(): its status is decided in _join
            group, basis = join
            group.points.append(point)
            group.bases.add(basis)
    chains = []
    for (label, kind, _), group in sorted(groups.items()):
        if not group.points:  # its points are all newer than as_of
            continue
        group.points.sort(key=AGE_ORDER)  # stable: points of one instant and id stay in the node's order
        basis = MatchBasis.NAME if MatchBasis.NAME in group.bases else next(iter(sorted(group.bases)))
        chains.append(Chain(label, group.protection, kind, group.place, group.points, basis))
    return chains


# What decides the chain a point joins, but its age: whose and which job's it is, where it is, and
# its status (one tuple read in C: the key is built for every point).
_JOIN_KEY = operator.attrgetter(*DECISION_FIELDS, *REPORTED_FIELDS, "status")
_UNSEEN = object()  # a combination not decided yet (None: its points join no chain)


@dataclass
class _Group:
    """The points of one chain as they are gathered, and the bases they were attributed by."""

    protection: Protection | None
    place: Place
    points: list[RestorePoint] = field(default_factory=list)
    bases: set[MatchBasis] = field(default_factory=set)


def _join(point: RestorePoint, made: Provenance, groups: dict[tuple[str, RestorePointKind, str], _Group],
          sites: SiteIndex, replicas: list[Asset]) -> tuple[_Group, MatchBasis] | None:
    """The chain that points like this one join once created, and why they are the node's
    (None: their status says they did not finish fine)."""
    if not finished_fine(point.status):
        return None
    place = place_point(point, sites, replicas)
    # The group key holds the point's kind as its enum (a StrEnum sorts and hashes as its value).
    key = (made.label, point.kind, place.label)  # as chain_of() finds it again
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(made.protection, place)
    return group, made.basis


def chain_of(point: RestorePoint, made: Provenance, chains: dict[tuple[str, str, str], Chain],
             sites: SiteIndex, replicas: list[Asset], as_of: dt.datetime) -> Chain | None:
    """The chain holding one of the node's points (None: not usable), from ``chains`` keyed by
    (label, kind, location): what :func:`build_chains` groups by, without a map of every point."""
    if not usable(point, as_of):
        return None
    return chains.get((made.label, point.kind, place_point(point, sites, replicas).label))

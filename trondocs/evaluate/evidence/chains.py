"""Restore points grouped into chains: one per (protection, kind, observed place).

A point is placed where its source says it is (see ``placement.py``); a replica point whose
source names no claimed place is placed where the replica VM runs, as vSphere reports it.
Only usable points (finished fine, existing at ``as_of``) form chains: copies still being
made, or failed, are not restore points yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from trondocs.evaluate.attribution import OwnedPoint
from trondocs.evaluate.evidence.placement import Place, SiteIndex
from trondocs.evaluate.evidence.usable import usable
from trondocs.evaluate.models import MatchBasis
from trondocs.plan.models import Protection, Site
from trondocs.state.models import Asset, RestorePoint, RestorePointKind


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

    @property
    def expected_interval(self) -> dt.timedelta | None:
        return self.protection.interval if self.protection else None

    @property
    def sources(self) -> list[str]:
        return sorted({p.source for p in self.points})

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


def build_chains(owned: Iterable[OwnedPoint], sites: SiteIndex, replicas: list[Asset],
                 as_of: dt.datetime) -> list[Chain]:
    """Usable points of one node, grouped into chains in a stable order."""
    # The group key holds the point's kind as its enum (a StrEnum sorts and hashes as its value):
    # ``.value`` is a property call, a cost per point: the key keeps the member.
    groups: dict[tuple[str, RestorePointKind, str],
                 tuple[Protection | None, Place, list[RestorePoint], set[MatchBasis]]] = {}
    for item in owned:
        point = item.point
        if not usable(point, as_of):
            continue
        place = place_point(point, sites, replicas)
        key = (item.label, point.kind, place.label)  # as chain_of() finds it again
        group = groups.get(key)
        if group is None:
            group = groups[key] = (item.protection, place, [], set())
        group[2].append(point)
        group[3].add(item.basis)
    chains = []
    for (label, kind, _), (protection, place, found, bases) in sorted(groups.items()):
        found.sort(key=_age_order)
        basis = MatchBasis.NAME if MatchBasis.NAME in bases else next(iter(sorted(bases)))
        chains.append(Chain(label, protection, kind, place, found, basis))
    return chains


def _age_order(point: RestorePoint) -> tuple[dt.datetime, str]:
    return point.created, point.id


def chain_of(item: OwnedPoint, chains: dict[tuple[str, str, str], Chain], sites: SiteIndex,
             replicas: list[Asset], as_of: dt.datetime) -> Chain | None:
    """The chain holding one of the node's points (None: not usable), from ``chains`` keyed by
    (label, kind, location): what :func:`build_chains` groups by, without a map of every point."""
    point = item.point
    if not usable(point, as_of):
        return None
    return chains.get((item.label, point.kind, place_point(point, sites, replicas).label))

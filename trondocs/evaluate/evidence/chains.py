"""Restore points grouped into chains: one per (protection, kind, site), each placed at a site.

A point lands at the site its location names, else the site of its region (and account),
else where its protection says (``copy_to`` for copies, ``to`` otherwise), else nowhere known.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from trondocs.evaluate.evidence.rpo import usable
from trondocs.plan.models import Plan, Protection, Site
from trondocs.state.models import RestorePoint, RestorePointKind

UNPLANNED = "(unplanned)"


@dataclass(frozen=True)
class Chain:
    label: str  # the protection's name, or "(unplanned) <job>"
    protection: Protection | None
    kind: str  # restore point kind
    site: Site | None
    location: str | None  # the site's name, else the location the source gave
    points: list[RestorePoint]  # usable at as_of, oldest first

    @property
    def newest(self) -> RestorePoint:
        return self.points[-1]

    @property
    def expected_interval(self) -> dt.timedelta | None:
        return self.protection.interval if self.protection else None


class SiteIndex:
    def __init__(self, plan: Plan) -> None:
        self.by_name = {s.name: s for s in plan.sites}
        self._by_region: dict[str, list[Site]] = {}
        for site in plan.sites:
            if site.region:
                self._by_region.setdefault(site.region, []).append(site)

    def by_region(self, region: str | None, account: str | None = None) -> Site | None:
        found = self._by_region.get(region or "", [])
        return next((s for s in found if account and s.account == account), found[0] if found else None)

    def for_point(self, point: RestorePoint, protection: Protection | None) -> Site | None:
        if point.location in self.by_name:
            return self.by_name[point.location]
        site = self.by_region(point.region or point.location, point.account)
        if site is not None or protection is None:
            return site
        if point.kind is RestorePointKind.COPY or point.copy_of:
            return self.by_name.get(protection.copy_to or "") or self.by_region(
                protection.copy_to_region, protection.copy_to_account)
        return self.by_name.get(protection.to or "")


def build_chains(points: Iterable[RestorePoint], protections: list[Protection], sites: SiteIndex,
                 as_of: dt.datetime) -> list[Chain]:
    """Usable points of one node, grouped into chains in a stable order."""
    by_job = {p.source_name.casefold(): p for p in reversed(protections)}
    groups: dict[tuple[str, str, str], tuple[Protection | None, Site | None, str | None, list]] = {}
    for point in points:
        if not usable(point, as_of):
            continue
        protection = by_job.get((point.job or "").casefold()) or by_job.get((point.job_id or "").casefold())
        site = sites.for_point(point, protection)
        location = site.name if site else point.location
        label = protection.name if protection else f"{UNPLANNED} {point.job or point.source}"
        key = (label, point.kind.value, location or "")
        groups.setdefault(key, (protection, site, location, []))[3].append(point)
    chains = []
    for (label, kind, _), (protection, site, location, found) in sorted(groups.items()):
        found.sort(key=lambda p: (p.created, p.id))
        chains.append(Chain(label, protection, kind, site, location, found))
    return chains

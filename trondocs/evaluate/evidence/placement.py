"""Observed placement: a restore point is at the site that claims what its source reports.

A site claims names in its sources' own terms (``holds``: repositories, datastores, hosts,
clusters, datacenters) and, for AWS, a region (in an account, when it names one). A point is
placed by the most specific name it carries that some site claims. A point whose names no
site claims is *unplaced*: it never counts as off-site or immutable, and the checks that
need its site say UNKNOWN, naming where it is so the operator can add it to a site.

The plan's ``to``/``copy_to`` never place anything: they are what gets checked.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass

from trondocs.plan.models import Plan, Site
from trondocs.state.models import Asset, RestorePoint

# Most specific first: a repository sits in one datacenter, a datacenter holds many repositories.
PLACEMENT_FIELDS = ("repository", "datastore", "host", "cluster", "datacenter")
_WORDS = {"repository": "repository", "datastore": "datastore", "host": "host", "cluster": "cluster",
          "datacenter": "datacenter"}


@dataclass(frozen=True)
class Place:
    """Where a source says something is, and the site that claims it (None: unplaced)."""

    site: Site | None
    observed: str  # what the source reported, for people: "repository 'SOBR TRON'"

    @property
    def label(self) -> str:
        return self.site.name if self.site else self.observed


NOWHERE = Place(None, "no location reported")


# All that placing a point reads of it: points reporting the same values are at the same place.
REPORTED_FIELDS = ("repository", "datastore", "host", "cluster", "datacenter", "location", "region",
                   "account")
reported_place = operator.attrgetter(*REPORTED_FIELDS)  # the point's values of them, as a tuple read in C


class SiteIndex:
    """The plan's sites by what they claim."""

    def __init__(self, plan: Plan) -> None:
        self.by_name = {s.name: s for s in plan.sites}
        self._claims: dict[tuple[str, str], Site] = {}
        self._regions: dict[tuple[str, str], Site] = {}
        self._placed: dict[tuple[str | None, ...], Place] = {}  # what a point reports → its place
        for site in plan.sites:
            for kind, names in site.holds.names().items():
                for name in names:
                    self._claims.setdefault((kind, name.casefold()), site)
            if site.region:
                self._regions.setdefault((site.region, site.account or ""), site)

    def by_region(self, region: str | None, account: str | None = None) -> Site | None:
        """The site claiming an AWS region in this account (or in any account)."""
        if not region:
            return None
        return (self._regions.get((region, account)) if account else None) or self._regions.get((region, ""))

    def place(self, point: RestorePoint) -> Place:
        # Asked once per restore point (a million in a large estate) about a few dozen distinct
        # places: each distinct combination of what a point reports is placed once.
        reported = reported_place(point)
        place = self._placed.get(reported)
        if place is None:
            place = self._placed[reported] = self._place_point(point)
        return place

    def _place_point(self, point: RestorePoint) -> Place:
        names = {f: getattr(point, f) for f in PLACEMENT_FIELDS}
        if not any(names.values()) and point.location and not point.region:
            # A state written before the typed fields: the source's location, of whatever kind.
            for kind in PLACEMENT_FIELDS:
                site = self._claims.get((kind, point.location.casefold()))
                if site is not None:
                    return Place(site, f"{_WORDS[kind]} '{point.location}'")
            return Place(None, f"'{point.location}'")
        return self._place(names, point.region, point.account)

    def place_repository(self, name: str) -> Place:
        """Where a repository (a Veeam capacity tier, an AWS Backup vault) is."""
        return self._place({"repository": name}, None, None)

    def place_asset(self, asset: Asset) -> Place:
        """Where a VM or instance runs, as its platform source reports it."""
        names = {"datastore": asset.datastores[0] if asset.datastores else None, "host": asset.host,
                 "cluster": asset.cluster, "datacenter": asset.datacenter, "repository": None}
        return self._place(names, asset.region, asset.account)

    def _place(self, names: dict[str, str | None], region: str | None, account: str | None) -> Place:
        reported = [(kind, names[kind]) for kind in PLACEMENT_FIELDS if names.get(kind)]
        for kind, name in reported:
            site = self._claims.get((kind, str(name).casefold()))
            if site is not None:
                return Place(site, f"{_WORDS[kind]} '{name}'")
        if region:
            where = region + (f" in account {account}" if account else "")
            site = self.by_region(region, account)
            if site is not None and not (site.account and account and site.account != account):
                return Place(site, where)
            return Place(None, where)
        if reported:
            kind, name = reported[0]
            return Place(None, f"{_WORDS[kind]} '{name}'")
        return NOWHERE

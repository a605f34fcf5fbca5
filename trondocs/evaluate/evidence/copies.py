"""3-2-1 evidence: the production copy plus one copy per restore-point chain, as observed.

A copy counts when it exists, is usable, is fresh (its newest point within its freshness
limit) and sits at a site. Copies on the same site and medium share a failure domain and
count once. A copy is off-site when its site is another one whose role is ``dr`` or
``offsite`` — and, when the accounts are known, outside the production cloud account.
Immutability and encryption are what the source reports for the newest point; a site's
declared flags are claims that rules check, never a fallback.

What cannot count yet may still exist: an unplaced copy (its site is unknown), a copy the
job makes where the source's API lists no points (a Veeam capacity tier), a copy whose
immutability is not reported. Those form the ``possible`` counts: a shortfall that they
could close is UNKNOWN, not FAIL.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping

from trondocs.durations import format_duration
from trondocs.evaluate.evidence.chains import Chain
from trondocs.evaluate.evidence.placement import Place
from trondocs.evaluate.models import CopiesEvidence, Copy, CopyCounts, CopyKind, CopyStanding
from trondocs.plan.models import Node, Site, SiteRole
from trondocs.state.models import RestorePointKind

PRODUCTION = "production"
AWAY = (SiteRole.DR, SiteRole.OFFSITE)


def production_copy(node: Node, site: Site | None, account: str | None, placement: str | None) -> Copy:
    medium = site.media.value if site else None
    return Copy(label=PRODUCTION, kind=CopyKind.PRIMARY, site=site.name if site else None,
                placement=placement, medium=medium, offsite=False, immutable=False, encrypted=None,
                account=account, failure_domain=_domain(site.name if site else f"node:{node.name}", medium))


def chain_copy(chain: Chain, production: Copy, *, stale: bool, rpo: dt.timedelta) -> Copy:
    newest, site = chain.newest, chain.site
    medium = newest.medium or (site.media if site else None)
    account = newest.account
    label = chain.label if chain.kind is not RestorePointKind.COPY else f"copy: {chain.label}"
    standing, why = CopyStanding.COUNTED, None
    if stale:
        standing = CopyStanding.STALE
        why = f"newest point older than {format_duration(chain.freshness_limit(rpo))}"
    elif site is None:
        standing = CopyStanding.UNPLACED
        why = f"{chain.place.observed} is at no site of the plan"
    return Copy(label=label, kind=CopyKind(chain.kind.value), site=site.name if site else None,
                placement=chain.place.observed, medium=medium,
                offsite=_offsite(site, account, production), immutable=newest.immutable,
                encrypted=newest.encrypted, account=account,
                failure_domain=_domain(chain.location, medium), standing=standing, why=why)


def unlisted_copy(label: str, place: Place, medium: str | None, immutable: bool | None,
                  production: Copy, *, encrypted: bool | None = None) -> Copy:
    """A copy the job is configured to make where the source lists no points: unverified."""
    site = place.site
    return Copy(label=f"copy: {label}", kind=CopyKind.COPY, site=site.name if site else None,
                placement=place.observed, medium=medium, offsite=_offsite(site, None, production),
                immutable=immutable, encrypted=encrypted, failure_domain=_domain(place.label, medium),
                standing=CopyStanding.UNLISTED,
                why=f"the job copies to {place.observed}, but its source lists no restore points there")


def _offsite(site: Site | None, account: str | None, production: Copy) -> bool | None:
    if site is None:
        return None
    return (site.name != production.site and site.role in AWAY
            and not (account and production.account and account == production.account))


def copies_evidence(production: Copy, copies: list[Copy],
                    failure_probability: Mapping[str, float]) -> CopiesEvidence:
    every = [production, *copies]
    counted = [c for c in every if c.standing is CopyStanding.COUNTED]
    maybe = [c for c in every if c.standing in (CopyStanding.COUNTED, CopyStanding.UNPLACED,
                                                CopyStanding.UNLISTED)]
    domains: dict[str, str | None] = {}
    for copy in counted:
        domains.setdefault(copy.failure_domain, copy.medium)
    loss = loss_probability([m or "" for m in domains.values()], failure_probability)
    certain = _counts(counted, production, lambda c, v: v is True)
    possible = _counts(maybe, production, lambda c, v: v is not False)
    return CopiesEvidence(copies=every, loss_probability=loss, possible=possible,
                          **certain.model_dump())


def _counts(copies: list[Copy], production: Copy, holds: Callable[[Copy, bool | None], bool]) -> CopyCounts:
    """Distinct failure domains with each property; unplaced copies are a domain of their own."""
    def domains(test: Callable[[Copy], bool | None]) -> int:
        return len({_key(c) for c in copies if holds(c, test(c))})

    media = {c.medium for c in copies if c.medium and holds(c, True if c.standing is CopyStanding.COUNTED
                                                           else None)}
    unknown_media = sum(1 for c in copies if not c.medium and holds(c, None))
    return CopyCounts(
        independent_copies=domains(lambda c: True if c.standing is CopyStanding.COUNTED else None),
        media=len(media) + unknown_media,
        offsite=domains(lambda c: _maybe(c, c.offsite)),
        immutable=domains(lambda c: _maybe(c, c.immutable)),
        outside_account=domains(lambda c: None if c is production else _maybe(c, _outside(c, production))),
    )


def _maybe(copy: Copy, value: bool | None) -> bool | None:
    """A property of a copy that does not count yet is at best possible."""
    if copy.standing is CopyStanding.COUNTED or value is False:
        return value
    return None


def _outside(copy: Copy, production: Copy) -> bool | None:
    if not copy.account or not production.account:
        return None
    return copy.account != production.account


def _key(copy: Copy) -> str:
    return copy.failure_domain if copy.site is not None or copy.label == PRODUCTION else f"?{copy.label}"


def loss_probability(media: list[str], failure_probability: Mapping[str, float]) -> float | None:
    """Chance of losing copies on independent devices of these media all at once."""
    values = [failure_probability.get(m) for m in media]
    return math.prod(values) if values and None not in values else None


def _domain(where: str, medium: str | None) -> str:
    return f"{where}/{medium or 'unknown medium'}"



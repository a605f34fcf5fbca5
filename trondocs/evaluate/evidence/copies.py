"""3-2-1 evidence: the production copy plus one copy per restore-point chain.

Copies on the same site and medium share a failure domain and count once. A copy is
off-site when it sits at another site whose role is ``dr`` or ``offsite`` — and, when the
accounts are known, outside the production cloud account: one compromised or closed account
loses every copy it holds, whatever the region. The chance of losing every copy is the
product of the per-medium failure probabilities over the independent domains.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from trondocs.evaluate.evidence.chains import Chain
from trondocs.evaluate.models import CopiesEvidence, Copy
from trondocs.plan.models import Node, Site, SiteRole

PRODUCTION = "production"


def production_copy(node: Node, site: Site | None, account: str | None) -> Copy:
    medium = site.media.value if site else None
    return Copy(label=PRODUCTION, kind="primary", site=site.name if site else None, medium=medium,
                offsite=False, immutable=False, encrypted=None, account=account,
                failure_domain=_domain(site.name if site else f"node:{node.name}", medium))


def chain_copy(chain: Chain, production: Copy) -> Copy:
    newest, site = chain.newest, chain.site
    medium = newest.medium or (site.media.value if site else None)
    immutable = newest.immutable if newest.immutable is not None else bool(site and site.immutable)
    encrypted = newest.encrypted
    if encrypted is None and site is not None and site.encrypted:
        encrypted = True
    account = newest.account or (site.account if site else None)
    where = chain.location or f"unknown:{chain.label}"
    offsite = (
        site is not None and site.name != production.site
        and site.role in (SiteRole.DR, SiteRole.OFFSITE)
        and not (account and production.account and account == production.account)
    )
    label = chain.label if chain.kind != "copy" else f"copy: {chain.label}"
    return Copy(label=label, kind=chain.kind, site=chain.location, medium=medium, offsite=offsite,
                immutable=immutable, encrypted=encrypted, account=account,
                failure_domain=_domain(where, medium))


def copies_evidence(production: Copy, chains: list[Chain],
                    failure_probability: Mapping[str, float]) -> CopiesEvidence:
    copies = [production, *(chain_copy(c, production) for c in chains)]
    domains: dict[str, str | None] = {}
    for copy in copies:
        domains.setdefault(copy.failure_domain, copy.medium)
    loss = loss_probability([m or "" for m in domains.values()], failure_probability)
    return CopiesEvidence(
        copies=copies, independent_copies=len(domains),
        media=len({c.medium for c in copies if c.medium}),
        offsite=len({c.failure_domain for c in copies if c.offsite}),
        immutable=len({c.failure_domain for c in copies if c.immutable}),
        outside_account=len({c.failure_domain for c in copies[1:]
                             if c.account and production.account and c.account != production.account}),
        loss_probability=loss,
    )


def loss_probability(media: list[str], failure_probability: Mapping[str, float]) -> float | None:
    """Chance of losing copies on independent devices of these media all at once."""
    values = [failure_probability.get(m) for m in media]
    return math.prod(values) if values and None not in values else None


def _domain(where: str, medium: str | None) -> str:
    return f"{where}/{medium or 'unknown medium'}"

"""3-2-1: enough independent copies, on enough media, off-site, immutable, encrypted, out of the account.

Copies are the production data plus each restore-point chain that exists (see
``evidence/copies.py`` for failure domains and what counts as off-site). A shortfall with
incomplete evidence is UNKNOWN: the missing copy may sit in the source that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import AWS
from trondocs.evaluate.models import Copy, Severity, Status
from trondocs.evaluate.rules.base import Result, gaps_for, missing, node_result, rule
from trondocs.plan.models import SiteRole


def _values(facts: NodeFacts) -> dict:
    c = facts.copies
    return dict(copies=c.independent_copies, media=c.media, offsite=c.offsite, immutable=c.immutable,
                outside_account=c.outside_account, loss_probability=c.loss_probability,
                domains=sorted({x.failure_domain for x in c.copies}))


def _count_rule(ctx: EvaluationContext, have: Callable[[NodeFacts], int], need: int, what: str,
                note: Callable[[NodeFacts], str] = lambda f: "") -> Iterator[Result]:
    for facts in ctx.nodes:
        where = ctx.locate("nodes", facts.name)  # where code scanning shows it: the node
        got = have(facts)
        text = f"{got} {what}; the 3-2-1 policy asks for {need}" + (note(facts) if got < need else "")
        if got >= need:
            yield node_result(facts, Status.PASS, text, location=where, **_values(facts))
            continue
        gaps = gaps_for(ctx, facts, *facts.point_sources)
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps) + f" (in what was collected: {text})",
                              location=where, **_values(facts))
        else:
            yield node_result(facts, Status.FAIL, text, location=where, **_values(facts))


@rule("TRD401", "Fewer copies than the 3-2-1 policy", Severity.HIGH,
      rationale="""Each independent copy multiplies the odds against losing everything; copies
      sharing a site and medium fail together and count once.""",
      remediation="""Add a copy in another failure domain: a replica at the DR site, a backup
      copy or capacity tier to object storage, a cross-region snapshot copy.""")
def copies(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts distinct failure domains (site + medium) among the production copy and every
    restore-point chain against three_two_one.copies."""
    yield from _count_rule(ctx, lambda f: f.copies.independent_copies, ctx.plan.three_two_one.copies,
                           "independent copies")


@rule("TRD402", "Fewer media than the 3-2-1 policy", Severity.MEDIUM,
      rationale="""Copies on one kind of medium share its failure modes (a firmware bug, a
      ransomware that encrypts every disk it reaches).""",
      remediation="""Put one copy on another medium: object storage, tape, or cloud snapshots.""")
def media(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts distinct media (disk, object, tape, cloud-snapshot) among the copies against
    three_two_one.media."""
    yield from _count_rule(ctx, lambda f: f.copies.media, ctx.plan.three_two_one.media, "media")


@rule("TRD403", "No offsite copy", Severity.HIGH,
      rationale="""A fire, flood or power loss takes the production site and every copy kept
      there. A copy in the production cloud account is not off-site either: one compromised
      or closed account loses all of it.""",
      remediation="""Replicate or copy to a DR or offsite site (another datacenter, object
      storage elsewhere, another account and region).""")
def offsite(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts copies at a site other than production whose role is dr or offsite — and not in
    the production cloud account — against three_two_one.offsite."""
    need = ctx.plan.three_two_one.offsite
    if need:
        yield from _count_rule(ctx, lambda f: f.copies.offsite, need, "off-site copies", _same_account(ctx))


def _same_account(ctx: EvaluationContext) -> Callable[[NodeFacts], str]:
    """Why copies at a DR or offsite site did not count: they share the production account."""
    away = {s.name for s in ctx.plan.sites if s.role in (SiteRole.DR, SiteRole.OFFSITE)}

    def note(facts: NodeFacts) -> str:
        production = facts.copies.copies[0]
        held = [c for c in facts.copies.copies[1:] if c.site in away and c.site != production.site
                and c.account and c.account == facts.account]
        if not held:
            return ""
        return (f" ({_names(held)} is in the production account {facts.account}: one compromised "
                "account loses it too)")

    return note


@rule("TRD404", "No immutable copy where the policy asks for one", Severity.MEDIUM,
      rationale="""Ransomware and a hostile insider delete backups first; only an immutable
      copy (object lock, hardened repository) survives them.""",
      remediation="""Send one copy to immutable storage: a hardened Linux repository, S3 object
      lock, or a locked AWS Backup vault.""")
def immutable(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts copies whose newest restore point is immutable (or that sit at a site declared
    immutable) against three_two_one.immutable; no finding when the policy asks for none."""
    need = ctx.plan.three_two_one.immutable
    if need:
        yield from _count_rule(ctx, lambda f: f.copies.immutable, need, "immutable copies")


@rule("TRD405", "An offsite copy not encrypted", Severity.MEDIUM,
      rationale="""Copies at an offsite site (object storage, a vault, another cloud region) sit
      on someone else's hardware, outside the operator's physical control; a witness's copy
      holds the SR's private key.""",
      remediation="""Enable encryption for the job or the target (Veeam job or repository
      encryption, encrypted EBS snapshots, KMS on the vault).""")
def offsite_encrypted(ctx: EvaluationContext) -> Iterator[Result]:
    """Every copy at a site whose role is offsite must be encrypted. Copies at the operator's
    own DR site are not judged: they are run like production (Veeam replicas cannot even be
    encrypted at rest), though they count as off-site for TRD403. UNKNOWN when a copy's
    encryption is not reported (nor declared for its site); no finding without such copies."""
    offsite = {s.name for s in ctx.plan.sites if s.role is SiteRole.OFFSITE}
    for facts in ctx.nodes:
        home = facts.copies.copies[0].site
        away = [c for c in facts.copies.copies[1:] if c.site in offsite and c.site != home]
        if not away:
            continue
        plain = [c for c in away if c.encrypted is False]
        unsure = [c for c in away if c.encrypted is None]
        names = _names(plain or unsure or away)
        where = ctx.locate("nodes", facts.name)
        if plain:
            yield node_result(facts, Status.FAIL, f"off-site copy not encrypted: {names}", location=where,
                              copies=names)
        elif unsure:
            yield node_result(facts, Status.UNKNOWN, missing([f"encryption of {names} is not reported"]),
                              location=where, copies=names)
        else:
            yield node_result(facts, Status.PASS, f"off-site copies encrypted: {names}", location=where,
                              copies=names)


def _names(found: list[Copy]) -> str:
    return ", ".join(f"{c.label} ({c.site})" for c in found)


@rule("TRD406", "No copy outside the production AWS account", Severity.MEDIUM,
      rationale="""Whoever takes over the production account can delete every snapshot and copy
      in it; a copy in another account (ideally another organisation unit) survives.""",
      remediation="""Copy snapshots or recovery points to a vault or region in a separate AWS
      account (DLM cross-account copy, AWS Backup copy to another account).""")
def outside_account(ctx: EvaluationContext) -> Iterator[Result]:
    """For nodes running in AWS: at least one copy whose account differs from the production
    account. UNKNOWN when the production account or the copies' accounts are not known."""
    for facts in ctx.nodes:
        if facts.platform_source != AWS:
            continue
        where = ctx.locate("nodes", facts.name, "runs_on")
        copies_ = facts.copies.copies[1:]
        outside = [c for c in copies_ if c.account and facts.account and c.account != facts.account]
        unsure = [c for c in copies_ if not c.account]
        gaps = gaps_for(ctx, facts, *facts.point_sources)
        values = dict(account=facts.account, outside_account=len(outside))
        if outside:
            yield node_result(facts, Status.PASS, f"copy outside account {facts.account}: {_names(outside)}",
                              location=where, **values)
        elif gaps or not facts.account or unsure:
            why = gaps or ([] if facts.account else ["the production account is not known"]) + (
                [f"no account reported for {_names(unsure)}"] if unsure else [])
            yield node_result(facts, Status.UNKNOWN, missing(why), location=where, **values)
        else:
            yield node_result(facts, Status.FAIL, f"every copy is in the production account {facts.account}",
                              location=where, **values)

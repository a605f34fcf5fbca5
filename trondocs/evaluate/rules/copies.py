"""3-2-1: enough independent copies, on enough media, off-site, immutable, encrypted, out of the account.

Copies are the production data plus each restore-point chain that exists (see
``evidence/copies.py`` for failure domains and what counts as off-site). A shortfall with
incomplete evidence is UNKNOWN: the missing copy may sit in the source that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.coverage import AWS
from trondocs.evaluate.models import Copy, CopyStanding, Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    NODE_ENTRY,
    PROTECTION,
    Result,
    evidence,
    gaps_for,
    missing,
    node_result,
    rule,
)
from trondocs.plan.models import Protection, ProtectionKind, SiteRole
from trondocs.wording import count_noun


def _values(facts: NodeFacts) -> dict:
    c = facts.copies
    return dict(copies=c.independent_copies, media=c.media, offsite=c.offsite, immutable=c.immutable,
                outside_account=c.outside_account, loss_probability=c.loss_probability,
                domains=sorted({x.failure_domain for x in c.copies if x.standing is CopyStanding.COUNTED}))


def _not_counted(facts: NodeFacts, field: str) -> list[str]:
    """Copies that might close a shortfall once observed, and why they do not count yet."""
    reasons = [f"{c.label}: {c.why}" for c in facts.copies.copies
               if c.standing in (CopyStanding.UNPLACED, CopyStanding.UNLISTED)]
    if field == "immutable":
        reasons += [f"{c.label}: its source does not report whether it is immutable"
                    for c in facts.copies.copies
                    if c.standing is CopyStanding.COUNTED and c.immutable is None]
    if field == "outside_account":
        reasons += [f"{c.label}: its source does not report its account" for c in facts.copies.copies[1:]
                    if c.standing is CopyStanding.COUNTED and not c.account]
    return reasons


def _count_rule(ctx: EvaluationContext, field: str, need: int, what: str,
                note: Callable[[NodeFacts], str] = lambda f: "") -> Iterator[Result]:
    """PASS on what counted copies prove; UNKNOWN when copies that cannot count yet, or a failed
    source, could close the shortfall; FAIL otherwise."""
    for facts in ctx.nodes:
        where = NODE_ENTRY  # where code scanning shows it: the node
        got = getattr(facts.copies, field)
        text = f"{count_noun(got, what)}; the 3-2-1 policy asks for {need}"
        text += note(facts) if got < need else ""
        stale = [c for c in facts.copies.copies if c.standing is CopyStanding.STALE]
        if stale and got < need:
            text += " (not counted: " + "; ".join(f"{c.label} at {c.site or c.placement}, {c.why}"
                                                  for c in stale) + ")"
        if got >= need:
            yield node_result(facts, Status.PASS, text, location=where, **_values(facts))
            continue
        gaps = gaps_for(ctx, facts, *facts.point_sources)
        if getattr(facts.copies.possible, field) >= need:
            gaps += _not_counted(facts, field)
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps) + f" (in what was collected: {text})",
                              location=where, **_values(facts))
        else:
            yield node_result(facts, Status.FAIL, text, location=where, **_values(facts))


@rule("TRD401", "Fewer copies than the 3-2-1 policy", Severity.HIGH,
      rationale="""Each independent copy multiplies the odds against losing everything; copies
      sharing a site and medium fail together and count once.""",
      remediation="""Add a copy in another failure domain: a replica at the DR site, a backup
      copy or capacity tier to object storage, a cross-region snapshot copy.""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def copies(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts distinct failure domains (site + medium) among the production copy and every
    fresh restore-point chain placed at a site, against three_two_one.copies. A chain whose
    newest point is older than twice its planned interval (the node's RPO without one) is
    stale and does not count; an unplaced chain, or a copy its source does not list (a Veeam
    capacity tier), cannot count yet: a shortfall they could close is UNKNOWN."""
    yield from _count_rule(ctx, "independent_copies", ctx.plan.three_two_one.copies, "independent copy")


@rule("TRD402", "Fewer media than the 3-2-1 policy", Severity.MEDIUM,
      rationale="""Copies on one kind of medium share its failure modes (a firmware bug, a
      ransomware that encrypts every disk it reaches).""",
      remediation="""Put one copy on another medium: object storage, tape, or cloud snapshots.""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def media(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts distinct media (disk, object, tape, cloud-snapshot), as the sources report them,
    among the counted copies against three_two_one.media."""
    yield from _count_rule(ctx, "media", ctx.plan.three_two_one.media, "medium")


@rule("TRD403", "No offsite copy", Severity.HIGH,
      rationale="""A fire, flood or power loss takes the production site and every copy kept
      there. A copy in the production cloud account is not off-site either: one compromised
      or closed account loses all of it.""",
      remediation="""Replicate or copy to a DR or offsite site (another datacenter, object
      storage elsewhere, another account and region).""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def offsite(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts copies placed (by what their sources report) at a site other than production
    whose role is dr or offsite — and not in the production cloud account — against
    three_two_one.offsite. Unplaced copies never count as off-site."""
    need = ctx.plan.three_two_one.offsite
    if need:
        yield from _count_rule(ctx, "offsite", need, "off-site copy", _same_account(ctx))


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
      lock, or a locked AWS Backup vault.""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def immutable(ctx: EvaluationContext) -> Iterator[Result]:
    """Counts counted copies whose newest restore point its source reports immutable (a
    hardened repository, object lock, a Vault Lock) against three_two_one.immutable. A site
    declared immutable proves nothing by itself (TRD408 checks the claim); no finding when the
    policy asks for none."""
    need = ctx.plan.three_two_one.immutable
    if need:
        yield from _count_rule(ctx, "immutable", need, "immutable copy")


@rule("TRD405", "An offsite copy not encrypted", Severity.MEDIUM,
      rationale="""Copies at an offsite site (object storage, a vault, another cloud region) sit
      on someone else's hardware, outside the operator's physical control; a witness's copy
      holds the SR's private key.""",
      remediation="""Enable encryption for the job or the target (Veeam job or repository
      encryption, encrypted EBS snapshots, KMS on the vault).""",
      needs=BACKUPS,
      controls=["iso27001:5.29", "iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def offsite_encrypted(ctx: EvaluationContext) -> Iterator[Result]:
    """Every copy at a site whose role is offsite must be encrypted, as its source reports.
    Copies at the operator's own DR site are not judged: they are run like production (Veeam
    replicas cannot even be encrypted at rest), though they count as off-site for TRD403.
    UNKNOWN when a copy's encryption is not reported, when an unplaced copy may be off-site,
    or when a source of the node's copies failed (the missing copy may be unencrypted); no
    finding without such copies."""
    offsite = {s.name for s in ctx.plan.sites if s.role is SiteRole.OFFSITE}
    for facts in ctx.nodes:
        home = facts.copies.copies[0].site
        away = [c for c in facts.copies.copies[1:] if c.site in offsite and c.site != home]
        unplaced = [c for c in facts.copies.copies[1:] if c.site is None and c.encrypted is not True]
        if not away and not unplaced:
            continue
        plain = [c for c in away if c.encrypted is False]
        unsure = [c for c in away if c.encrypted is None]
        where = NODE_ENTRY
        if plain:
            names = _names(plain)
            yield node_result(facts, Status.FAIL, f"off-site copy not encrypted: {names}", location=where,
                              copies=names)
        elif unsure or unplaced:
            why = [f"encryption of {_names(unsure)} is not reported"] if unsure else []
            why += [f"{c.label} may be off-site: {c.why}" for c in unplaced]
            yield node_result(facts, Status.UNKNOWN, missing(why), location=where,
                              copies=_names(unsure + unplaced))
        else:
            names = _names(away)
            yield node_result(facts, Status.PASS, f"off-site copies encrypted: {names}", location=where,
                              copies=names)


def _names(found: list[Copy]) -> str:
    return ", ".join(f"{c.label} ({c.site or c.placement})" for c in found)


@rule("TRD406", "No copy outside the production AWS account", Severity.MEDIUM,
      rationale="""Whoever takes over the production account can delete every snapshot and copy
      in it; a copy in another account (ideally another organisation unit) survives.""",
      remediation="""Copy snapshots or recovery points to a vault or region in a separate AWS
      account (DLM cross-account copy, AWS Backup copy to another account).""",
      needs=BACKUPS, monotone_in=[PROTECTION],
      controls=["iso27001:8.13", "iso22301:8.3", "nist-csf:PR.DS-11", "soc2:A1.2"])
def outside_account(ctx: EvaluationContext) -> Iterator[Result]:
    """For nodes running in AWS: at least one fresh copy whose account, as its source reports
    it, differs from the production account. UNKNOWN when the production account or a copy's
    account is not known."""
    for facts in ctx.nodes:
        if facts.platform_source != AWS:
            continue
        where = ctx.locate("nodes", facts.name, "runs_on")
        counted = [c for c in facts.copies.copies[1:] if c.standing is CopyStanding.COUNTED]
        outside = [c for c in counted if c.account and facts.account and c.account != facts.account]
        unsure = [c for c in facts.copies.copies[1:]
                  if not c.account and c.standing is not CopyStanding.STALE]
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


@rule("TRD407", "Restore points land elsewhere than the plan says", Severity.MEDIUM,
      rationale="""The plan's 'to' and 'copy_to' are what the runbooks, the failover order and the
      delegators' report rely on; a job that writes somewhere else leaves the site the plan
      recovers from without the restore points it expects.""",
      remediation="""Point the job (its repository, replica destination, copy region) at the site
      the plan names, or correct 'to'/'copy_to' in the plan after review.""",
      needs=BACKUPS,
      controls=["iso27001:8.13", "iso22301:8.4"])
def where_points_land(ctx: EvaluationContext) -> Iterator[Result]:
    """For each protection covering the node that declares 'to' (or 'copy_to'): its restore
    points (its copies) must be placed, by what their sources report, at that site. A copy the
    job is configured to make where the source lists no points (a Veeam capacity tier) is
    judged by that configuration. UNKNOWN for unplaced chains; no finding when the protection
    made nothing yet (TRD303/TRD304 judge that)."""
    for facts in ctx.nodes:
        for prot in facts.protections:
            # (as messages name it, the plan's site for it, whether copies, its plan key, subject)
            for part, want, copies, key, subject in (
                    ("restore points", prot.to, False, "to", prot.name),
                    ("copies", prot.copy_to, True, "copy_to", f"{prot.name} (copies)")):
                if want is None:
                    continue
                found = _parts(facts, prot, copies=copies)
                if not found:
                    continue
                where = ctx.locate("protection", prot.name, key)
                elsewhere = sorted({c.site for c in found if c.site and c.site != want})
                unplaced = sorted({c.placement or "?" for c in found if c.site is None})
                values = dict(planned=want, found=sorted({c.site or c.placement or "?" for c in found}))
                if elsewhere:
                    yield node_result(facts, Status.FAIL, f"{part} of '{prot.name}' are at "
                                      f"{', '.join(elsewhere)}; the plan says {want}", subject=subject,
                                      location=where, **values)
                elif unplaced:
                    yield node_result(facts, Status.UNKNOWN, missing([f"{part} of '{prot.name}' are at "
                                      f"{', '.join(unplaced)}, which no site claims"]), subject=subject,
                                      location=where, **values)
                else:
                    yield node_result(facts, Status.PASS, f"{part} of '{prot.name}' are at {want}, "
                                      "as planned", subject=subject, location=where, **values)


def _parts(facts: NodeFacts, prot: Protection, *, copies: bool) -> list[Copy]:
    """The node's copies a protection made: its own chains, or the copies of them (copy_to)."""
    own_copies = prot.kind is ProtectionKind.COPY  # a copy job's own points are copies
    if copies and own_copies:
        return []
    label = f"copy: {prot.name}" if copies or own_copies else prot.name
    return [c for c in facts.copies.copies[1:] if c.label == label]


@rule("TRD408", "A site's declared immutability or encryption is not what its sources report",
      Severity.MEDIUM,
      rationale="""'immutable: true' on a site is a promise to delegators that ransomware cannot
      delete the copies there; if the repository, bucket or vault reports otherwise, the promise
      is false and the 3-2-1 evidence does not count it.""",
      remediation="""Turn on immutability (hardened repository, object lock, Vault Lock in
      compliance mode) or encryption where the site says so, or correct the site's flags.""",
      needs=BACKUPS,
      controls=["iso27001:8.13", "iso22301:8.4"])
def site_claims(ctx: EvaluationContext) -> Iterator[Result]:
    """For each site declaring 'immutable' or 'encrypted': the newest point of every chain
    placed there must be reported so by its source. FAIL when one is reported otherwise,
    UNKNOWN when one is not reported; no finding for sites holding no copies."""
    held: dict[str, list[tuple[str, Copy]]] = {}
    for facts in ctx.nodes:
        for copy in facts.copies.copies[1:]:
            if copy.site is not None and copy.standing is not CopyStanding.UNLISTED:
                held.setdefault(copy.site, []).append((facts.name, copy))
    for site in ctx.plan.sites:
        for flag in ("immutable", "encrypted"):
            if not getattr(site, flag) or site.name not in held:
                continue
            where = ctx.locate("sites", site.name, flag)
            found = held[site.name]
            against = [f"{n}: {c.label}" for n, c in found if getattr(c, flag) is False]
            unsure = [f"{n}: {c.label}" for n, c in found if getattr(c, flag) is None]
            values = evidence(site=site.name, claim=flag, copies=len(found))
            if against:
                yield Result(Status.FAIL, f"site '{site.name}' is declared {flag}, but its sources report "
                             f"otherwise for {', '.join(against)}", subject=site.name, location=where,
                             evidence=values)
            elif unsure:
                why = f"whether {', '.join(unsure)} is {flag} is not reported"
                yield Result(Status.UNKNOWN, missing([why]), subject=site.name, location=where,
                             evidence=values)
            else:
                yield Result(Status.PASS, f"site '{site.name}' is {flag}, as its sources report for "
                             f"{count_noun(len(found), 'copy')}", subject=site.name, location=where,
                             evidence=values)

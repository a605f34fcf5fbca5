"""Identity: do the declared nodes exist, and does the plan know every protected asset?"""

from __future__ import annotations

from collections.abc import Iterator

from trondocs.evaluate.attribution import container_holds, unresolved_containers
from trondocs.evaluate.context import EvaluationContext
from trondocs.evaluate.coverage import PLATFORM_SOURCE, job_source, platform_evidence
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import (
    BACKUPS,
    NODE_ENTRY,
    PLATFORM,
    Result,
    evidence,
    gaps_for,
    missing,
    node_result,
    rule,
)
from trondocs.state.models import Asset, AssetKind


@rule("TRD101", "Declared node not found in any source", Severity.HIGH,
      rationale="""A node the plan names but no source knows cannot be recovered as the plan
      says: it was renamed, moved, deleted, or the plan has a typo.""",
      remediation="""Correct runs_on (VM name or instance id and region) in the plan, or restore
      the VM/instance; remove the node if it was retired on purpose.""",
      needs=[PLATFORM], monotone_in=[PLATFORM],
      controls=["iso27001:5.30", "iso22301:8.4"])
def node_found(ctx: EvaluationContext) -> Iterator[Result]:
    """Looks for each node's VM (vSphere, by name) or EC2 instance (by instance id) among the
    collected assets. Found anywhere: PASS. Not found while the node's vSphere or AWS source
    failed, missed its region, or is not configured: UNKNOWN."""
    for facts in ctx.nodes:
        where = ctx.locate("nodes", facts.name, "runs_on")
        if facts.asset is not None:
            yield node_result(facts, Status.PASS, f"{facts.asset_name} found in source "
                              f"'{facts.asset.source}'", location=where, asset=facts.asset_name,
                              source=facts.asset.source)
            continue
        gaps = gaps_for(ctx, facts, platform_evidence(facts.platform_source))
        if gaps:
            yield node_result(facts, Status.UNKNOWN, missing(gaps), location=where, asset=facts.asset_name)
        else:
            yield node_result(facts, Status.FAIL,
                              f"{facts.asset_name} ({facts.node.runs_on.source.value}) was not found in "
                              "any source",
                              location=where, asset=facts.asset_name)


@rule("TRD102", "Asset protected by a declared job but absent from the plan", Severity.MEDIUM,
      rationale="""A VM or instance that a declared job protects but the plan does not list has
      no declared objectives, no runbook and no place in the failover order: in a disaster
      nobody knows whether to recover it.""",
      remediation="""Declare the asset as a node in the plan, or remove it from the job.""",
      needs=BACKUPS,
      controls=["iso27001:5.30", "iso27001:8.13", "iso22301:8.4"])
def unplanned_asset(ctx: EvaluationContext) -> Iterator[Result]:
    """For each declared protection whose job was found, every VM/instance the job includes
    (by name, or by matching tags) must be a node of the plan. One FAIL per unplanned asset;
    PASS per protection when all are planned; UNKNOWN when the job's source is incomplete."""
    # Indexed once, not scanned per job: the assets by each tag, the VMs each container holds.
    by_tag: dict[tuple[str, str], list[Asset]] = {}
    for asset in ctx.state.assets:
        for tag in asset.tags.items():
            by_tag.setdefault(tag, []).append(asset)
    vms = [a for a in ctx.state.assets if a.kind is AssetKind.VM]
    held: dict[str, set[str]] = {}  # a container → the names of the VMs it holds

    def holding(container: str) -> set[str]:
        if container not in held:
            held[container] = {a.name for a in vms if container_holds(container, a)}
        return held[container]

    for prot in ctx.plan.protection:
        where = ctx.locate("protection", prot.name)
        jobs = ctx.jobs.get(prot.name, [])
        if not jobs:
            gaps = ctx.coverage.gaps([job_source(prot.system.value)])
            if gaps:
                yield Result(Status.UNKNOWN, missing(gaps), subject=prot.name, location=where)
            continue
        included: set[str] = set()
        unresolved: list[str] = []
        for job in jobs:
            found = set(job.targets)
            if job.target_tags:  # the assets holding the job's rarest tag, then all its tags
                fewest = min((by_tag.get(tag, []) for tag in job.target_tags.items()), key=len)
                found.update(a.name if a.kind is not AssetKind.INSTANCE else a.id for a in fewest
                             if job.target_tags.items() <= a.tags.items())
            for container in job.containers:  # VMs vSphere places in the folders, hosts… the job includes
                found |= holding(container)
            unresolved += unresolved_containers(job)
            included |= found - set(job.excludes)
        stray = sorted(t for t in included if t not in ctx.by_asset and not _is_replica(ctx, t))
        for name in stray:
            yield Result(Status.FAIL, f"'{name}' is protected by job '{prot.source_name}' but is not "
                         "a node of the plan", subject=name, location=where,
                         evidence=evidence(asset=name, job=prot.source_name, protection=prot.name))
        if not stray and unresolved:
            yield Result(Status.UNKNOWN, missing([f"job '{prot.source_name}' also selects VMware containers "
                         f"({', '.join(sorted(set(unresolved)))}) whose VMs the collected vSphere inventory "
                         "cannot tell"]), subject=prot.name, location=where,
                         evidence=evidence(job=prot.source_name, assets=len(included)))
        elif not stray:
            yield Result(Status.PASS, f"every asset of job '{prot.source_name}' is in the plan",
                         subject=prot.name, location=where,
                         evidence=evidence(job=prot.source_name, assets=len(included)))


def _is_replica(ctx: EvaluationContext, name: str) -> bool:
    return any(a.kind is AssetKind.REPLICA for a in ctx.assets.get(name, []))


@rule("TRD103", "Primary and standby witness share a failure domain", Severity.HIGH,
      rationale="""A standby witness on the same ESXi host, datastore or availability zone as
      the producing witness fails with it: the SR stops producing blocks for the whole RTO.""",
      remediation="""Move the standby witness to another host and datastore (a DRS anti-affinity
      rule keeps them apart) or, in AWS, to another availability zone.""",
      needs=[PLATFORM],
      controls=["iso27001:5.30", "iso27001:8.14", "iso22301:8.3", "nist-csf:PR.IR-03", "soc2:A1.2"])
def witness_domains(ctx: EvaluationContext) -> Iterator[Result]:
    """Compares each standby witness's host, datastores and availability zone with the
    producing witness's (priority 1). UNKNOWN when either asset was not collected."""
    witnesses = [ctx.by_name[w.name] for w in ctx.plan.witnesses()]
    if len(witnesses) < 2:
        return
    primary = witnesses[0]
    for standby in witnesses[1:]:
        where = ctx.locate("nodes", standby.name, "runs_on")
        a, b = primary.asset, standby.asset
        if a is None or b is None:
            gaps = [g for f in (primary, standby) if f.asset is None for g in gaps_for(
                ctx, f, platform_evidence(PLATFORM_SOURCE[f.node.runs_on.source.value]))]
            absent = [f.asset_name for f in (primary, standby) if f.asset is None]
            yield node_result(standby, Status.UNKNOWN, missing(gaps or [f"{', '.join(absent)} not found"]),
                              subject=primary.name, location=where)
            continue
        shared = []
        if a.host and a.host == b.host:
            shared.append(f"host {a.host}")
        shared += [f"datastore {d}" for d in sorted(set(a.datastores) & set(b.datastores))]
        if a.availability_zone and a.availability_zone == b.availability_zone:
            shared.append(f"availability zone {a.availability_zone}")
        values = dict(primary=primary.name, primary_host=a.host or a.availability_zone,
                      standby_host=b.host or b.availability_zone)
        if shared:
            yield node_result(standby, Status.FAIL, f"{standby.name} shares {', '.join(shared)} with "
                              f"{primary.name}", subject=primary.name, location=where,
                              shared=shared, **values)
        else:
            yield node_result(standby, Status.PASS, f"{standby.name} and {primary.name} share no host, "
                              "datastore or availability zone", subject=primary.name, location=where,
                              **values)


@rule("TRD104", "Restore points at a location no site of the plan claims", Severity.MEDIUM,
      rationale="""A restore point's site decides whether it is off-site, independent of
      production or immutable; where no site claims the repository, datastore, host or region its
      source reports, none of that can be judged and the 3-2-1 checks stay UNKNOWN.""",
      remediation="""Add the location to the 'holds' of the site it is in (repositories,
      datastores, hosts, clusters, datacenters), or give the AWS site its region and account.""",
      needs=BACKUPS,
      controls=["iso27001:8.13", "iso22301:8.4"])
def placed(ctx: EvaluationContext) -> Iterator[Result]:
    """For each node with restore points: every chain must be at a location some site claims.
    One finding per node, naming each unclaimed location."""
    for facts in ctx.nodes:
        if not facts.chains:
            continue
        where = NODE_ENTRY
        unplaced = sorted({c.place.observed for c in facts.chains if c.site is None})
        if unplaced:
            yield node_result(facts, Status.FAIL, "restore points at " + ", ".join(unplaced)
                              + ", which no site claims", location=where, unplaced=unplaced)
        else:
            sites = sorted({c.location for c in facts.chains})
            yield node_result(facts, Status.PASS, f"every restore point is at a site: {', '.join(sites)}",
                              location=where, sites=sites)

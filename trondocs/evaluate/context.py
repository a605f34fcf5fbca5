"""The evaluation context: plan, state, indexes and per-node evidence, built once.

Rules mostly loop over what is here. Some still read the state itself, and each such read
scans that part of it again: TRD102 every asset once per job that selects VMware containers,
TRD501 every job once per failover plan the system reported (for replica suffixes) and every
reported failover plan once per declared one; TRD203 indexes the jobs by name once. Index a
scan here when a large estate makes it show.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from trondocs.diagnostics import Location
from trondocs.durations import format_duration
from trondocs.evaluate.attribution import Attribution as AttributionResult
from trondocs.evaluate.attribution import NodeAttribution, attribute, node_sources
from trondocs.evaluate.coverage import PLATFORM_SOURCE, SYSTEM_SOURCE, Coverage
from trondocs.evaluate.evidence import copies as copies_ev
from trondocs.evaluate.evidence import rpo as rpo_ev
from trondocs.evaluate.evidence import rto as rto_ev
from trondocs.evaluate.evidence import tron as tron_ev
from trondocs.evaluate.evidence.chains import Chain, build_chains, chain_of
from trondocs.evaluate.evidence.placement import SiteIndex
from trondocs.evaluate.models import (
    Attribution,
    CopiesEvidence,
    Copy,
    FailoverPlanEvidence,
    PointSummary,
    ProtectionRpo,
    RecoveryMeasurement,
    RpoEvidence,
    RtoEvidence,
    TronImpact,
    VmSnapshot,
    WitnessEvidence,
)
from trondocs.plan.loader import LoadedPlan
from trondocs.plan.models import (
    FailoverPlan,
    Node,
    Objectives,
    Plan,
    Protection,
    ProtectionKind,
    Site,
    Waiver,
)
from trondocs.state.models import (
    Asset,
    DiscoveredFailoverPlan,
    NodeStatus,
    ProtectionJob,
    Repository,
    RestorePoint,
    RestorePointKind,
    State,
)

_PROTECTION_POINT_KIND = {"backup": "backup", "replication": "replica", "snapshot": "snapshot",
                          "copy": "copy"}
RECENT_POINTS = 10


@dataclass
class NodeFacts:
    """One declared node with everything the sources say about it."""

    node: Node
    index: int  # position in plan.nodes
    objectives: Objectives
    site: Site | None  # where it runs: the site claiming its asset's placement, else the declared one
    asset: Asset | None
    replicas: list[Asset]
    protections: list[Protection]
    owned: NodeAttribution  # what evaluation matched to the node, and why
    points: list[RestorePoint]  # every restore point of the node, any status (no VM snapshots)
    chains: list[Chain]
    idents: frozenset[str]  # names it goes by, to match failed scopes
    status: NodeStatus | None
    account: str | None  # production cloud account
    rpo: RpoEvidence
    rto: RtoEvidence
    copies: CopiesEvidence
    attribution: Attribution
    impact: TronImpact | None = None

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def asset_name(self) -> str:
        return self.node.runs_on.asset_name

    @property
    def platform_source(self) -> str:
        return PLATFORM_SOURCE[self.node.runs_on.source.value]

    @functools.cached_property
    def point_sources(self) -> tuple[str, ...]:
        """Source types that hold this node's restore points (worked out once: asked per finding)."""
        return node_sources(self.node, self.protections)


@dataclass
class EvaluationContext:
    loaded: LoadedPlan
    state: State
    as_of: dt.datetime
    window: dt.timedelta
    previous: State | None  # the baseline, for changes between snapshots (missed blocks)
    coverage: Coverage
    sites: SiteIndex
    attribution: AttributionResult | None = None
    nodes: list[NodeFacts] = field(default_factory=list)
    by_name: dict[str, NodeFacts] = field(default_factory=dict)
    by_asset: dict[str, NodeFacts] = field(default_factory=dict)  # VM name / instance id → node
    jobs: dict[str, list[ProtectionJob]] = field(default_factory=dict)  # protection name → jobs
    assets: dict[str, list[Asset]] = field(default_factory=dict)  # name and id → assets
    state_failover: dict[str, DiscoveredFailoverPlan] = field(default_factory=dict)  # casefold name → plan
    failover_evidence: dict[str, FailoverPlanEvidence] = field(default_factory=dict)
    witness: WitnessEvidence | None = None  # the SR's record, backup mode, standby verdict
    _index: dict[tuple[str, str], int] = field(default_factory=dict)
    # A protection covers many nodes, and a node has dozens of findings: each asks the same entries.
    _located: dict[tuple, Location | None] = field(default_factory=dict)

    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    @property
    def today(self) -> dt.date:
        return self.as_of.astimezone(dt.UTC).date()

    def locate(self, section: str, name: str | None, *rest: str | int) -> Location | None:
        """Location of a named plan item (constant time, unlike a scan per finding), each found once."""
        key = (section, name, *rest)
        if key not in self._located:
            index = self._index.get((section, name or ""))
            path = (section,) if index is None else (section, index, *rest)
            self._located[key] = self.loaded.source_map.locate(path)
        return self._located[key]

    def locate_waiver(self, index: int, *rest: str | int) -> Location | None:
        return self.loaded.source_map.locate(("waivers", index, *rest))

    def valid_waivers(self) -> list[Waiver]:
        return [w for w in self.plan.waivers if w.expires >= self.today]


def build_context(loaded: LoadedPlan, state: State, *, as_of: dt.datetime, window: dt.timedelta,
                  previous: State | None = None) -> EvaluationContext:
    plan = loaded.plan
    names = [x for n in plan.nodes for x in (n.name, n.runs_on.asset_name,
                                            urlsplit(n.endpoint).hostname if n.endpoint else None) if x]
    ctx = EvaluationContext(loaded=loaded, state=state, as_of=as_of, window=window, previous=previous,
                            coverage=Coverage(state.collection, names), sites=SiteIndex(plan))
    for section in ("nodes", "protection", "failover_plans", "sites"):
        for i, item in enumerate(getattr(plan, section)):
            ctx._index.setdefault((section, item.name), i)
    for asset in state.assets:
        ctx.assets.setdefault(asset.name, []).append(asset)
        if asset.id != asset.name:
            ctx.assets.setdefault(asset.id, []).append(asset)
    found = attribute(plan, state)
    ctx.attribution = found
    ctx.jobs = found.jobs
    ctx.state_failover = {f.name.casefold(): f for f in state.failover_plans}
    status = {s.node: s for s in state.node_status}
    covers: dict[str, list[Protection]] = {}
    for prot in plan.protection:
        for name in prot.covers:
            covers.setdefault(name, []).append(prot)
    replicas = {vm: owner.replicas for owner in found.nodes.values()
                if (vm := owner.node.runs_on.vm) and owner.replicas}
    runs = _recoveries(ctx, replicas)
    witnesses = plan.witnesses()
    repositories = {r.name.casefold(): r for r in state.repositories}
    for index, node in enumerate(plan.nodes):
        facts = _node_facts(ctx, index, node, covers.get(node.name, []), found.nodes[node.name], status, runs,
                            repositories)
        ctx.nodes.append(facts)
        ctx.by_name.setdefault(node.name, facts)
        ctx.by_asset.setdefault(facts.asset_name, facts)
    if witnesses:
        ctx.witness = tron_ev.witness_evidence(plan, state, previous, status)
        elected = ctx.witness.record.elected  # the chain's word wins over the plan's
        takeover = None
        if len(witnesses) > 1:
            standby = ctx.by_name[witnesses[1].name]
            problems, gaps = standby_replica_problems(ctx, standby)
            verdict = tron_ev.standby_verdict(
                ctx.witness, standby.name, tron_ev.sync_state(standby.status, standby.objectives),
                problems, gaps)
            ctx.witness = ctx.witness.model_copy(update={"standby": verdict})
            takeover = verdict.takeover_longest
        for node in witnesses:
            facts = ctx.by_name[node.name]
            facts.impact = tron_ev.tron_impact(facts.rto.latest or facts.rto.target, elected=elected,
                                               takeover=takeover)
    return ctx


RUNNING = {"on", "running", "poweredon"}


def standby_replica_problems(ctx: EvaluationContext, facts: NodeFacts) -> tuple[list[str], list[str]]:
    """The standby's second path: its VM/instance runs, and the replica of every replication
    protecting it is no older than the larger of its RPO and twice the declared interval."""
    problems: list[str] = []
    gaps: list[str] = []
    if facts.asset is None:
        missing_gaps = ctx.coverage.gaps([facts.platform_source], facts.idents)
        gaps += missing_gaps
        if not missing_gaps:
            problems.append(f"{facts.asset_name} was not found")
    elif facts.asset.power_state.lower() not in RUNNING:
        problems.append(f"{facts.asset_name} is {facts.asset.power_state}")
    for prot in (p for p in facts.protections if p.kind is ProtectionKind.REPLICATION):
        chain = [c for c in facts.chains if c.protection is prot]
        limit = max(facts.objectives.rpo, 2 * (prot.interval or dt.timedelta(0)))
        if not chain:
            replica_gaps = ctx.coverage.gaps([SYSTEM_SOURCE[prot.system.value]], facts.idents)
            gaps += replica_gaps
            if not replica_gaps:
                problems.append(f"no replica from '{prot.name}'")
            continue
        newest = max(c.newest.created for c in chain)
        if ctx.as_of - newest > limit:
            problems.append(f"replica from '{prot.name}' is {format_duration(ctx.as_of - newest)} old "
                            f"(stale beyond {format_duration(limit)})")
    return problems, gaps


def _node_facts(ctx: EvaluationContext, index: int, node: Node, protections: list[Protection],
                owned: NodeAttribution, status: dict[str, NodeStatus],
                runs: dict[str, list[RecoveryMeasurement]], repositories: dict[str, Repository]) -> NodeFacts:
    plan, as_of = ctx.plan, ctx.as_of
    runs_on = node.runs_on
    objectives = plan.objectives_for(node)
    asset = owned.asset
    seen = ctx.sites.place_asset(asset) if asset is not None else None
    site = (seen.site if seen else None) or ctx.sites.by_name.get(runs_on.site or "") or ctx.sites.by_region(
        runs_on.region, runs_on.account)
    chains = build_chains(owned.points, owned.provenance, ctx.sites, owned.replicas, as_of)
    account = runs_on.account or (asset.account if asset else None) or (site.account if site else None)
    idents = _idents(node, site, account, protections, ctx.sites)
    known = not ctx.coverage.gaps(node_sources(node, protections), idents)
    rows = [rpo_ev.chain_rpo(c, as_of, ctx.window, objectives.rpo) for c in chains]
    labels = {c.label for c in chains}
    rows += [ProtectionRpo(protection=p.name, kind=_PROTECTION_POINT_KIND[p.kind.value], location=None,
                           expected_interval=p.interval) for p in protections if p.name not in labels]
    rpo = rpo_ev.node_rpo(objectives.rpo, rows, chains, as_of, ctx.window, known)
    node_runs = {id(r): r for key in (node.name, runs_on.asset_name) for r in runs.get(key, [])}
    rto = rto_ev.node_rto(objectives.rto, objectives.test_every, list(node_runs.values()), as_of,
                          objectives.catch_up)
    production = copies_ev.production_copy(node, site, account, seen.observed if seen else None)
    copies = [copies_ev.chain_copy(c, production, stale=c.stale(as_of, objectives.rpo), rpo=objectives.rpo)
              for c in chains]
    copies += _unlisted(ctx, owned, protections, chains, production, repositories)
    evidence = copies_ev.copies_evidence(production, copies, plan.three_two_one.failure_probability)
    return NodeFacts(node=node, index=index, objectives=objectives, site=site, asset=asset,
                     replicas=owned.replicas, protections=protections, owned=owned, points=owned.points,
                     chains=chains, idents=idents, status=status.get(node.name), account=account, rpo=rpo,
                     rto=rto, copies=evidence, attribution=_attribution(owned, protections, chains, ctx))


def _unlisted(ctx: EvaluationContext, owned: NodeAttribution, protections: list[Protection],
              chains: list[Chain], production: Copy, repositories: dict[str, Repository]) -> list[Copy]:
    """Copies a job makes where its source lists no points (a Veeam capacity tier): possible, unverified."""
    out = []
    where = {c.location for c in chains}
    for prot in protections:
        for job, _ in owned.jobs.get(prot.name, []):
            for name in job.unlisted_copies:
                place = ctx.sites.place_repository(name)
                if place.label in where:
                    continue
                repo = repositories.get(name.casefold())
                # The tier holds the job's own backup files: encrypted as the job encrypts them.
                own = [c for c in chains if c.protection is prot and c.kind is not RestorePointKind.COPY]
                encrypted = own[-1].newest.encrypted if own else None
                out.append(copies_ev.unlisted_copy(prot.name, place, repo.medium if repo else None,
                                                   repo.immutable if repo else None, production,
                                                   encrypted=encrypted))
                where.add(place.label)
    return out


def _attribution(owned: NodeAttribution, protections: list[Protection], chains: list[Chain],
                 ctx: EvaluationContext) -> Attribution:
    by_key = {(c.label, c.kind, c.location): c for c in chains}
    recent = []
    for point in reversed(owned.points[-RECENT_POINTS * 4:]):
        made = owned.provenance(point)
        chain = chain_of(point, made, by_key, ctx.sites, owned.replicas, ctx.as_of)
        place = chain.place if chain else ctx.sites.place(point)
        recent.append(PointSummary(
            source=point.source, id=point.id, kind=point.kind.value, created=point.created,
            chain=chain.label if chain else None, site=place.site.name if place.site else None,
            placement=place.observed, medium=point.medium, immutable=point.immutable,
            encrypted=point.encrypted, job=point.job, status=point.status, usable=chain is not None,
            basis=made.basis))
        if len(recent) == RECENT_POINTS:
            break
    snapshots = [VmSnapshot(source=p.source, id=p.id, name=p.name, created=p.created,
                            age=ctx.as_of - p.created, datastore=p.datastore or p.location,
                            quiesced=p.quiesced) for p in owned.vm_snapshots if p.created <= ctx.as_of]
    return Attribution(asset=owned.asset_match(), replicas=owned.replica_matches(),
                       jobs=owned.job_matches(protections), points_total=len(owned.points),
                       usable_points=sum(len(c.points) for c in chains), recent_points=recent,
                       vm_snapshots=snapshots, folded_replica_snapshots=owned.folded)


def _idents(node: Node, site: Site | None, account: str | None, protections: list[Protection],
            sites: SiteIndex) -> frozenset[str]:
    found = {node.name, node.runs_on.asset_name, node.runs_on.region, account}
    if node.endpoint:
        found.add(urlsplit(node.endpoint).hostname)
    for place in [site, *(sites.by_name.get(p.to or "") for p in protections),
                  *(sites.by_name.get(p.copy_to or "") for p in protections)]:
        if place is not None:
            found |= {place.name, place.region, place.account}
    for prot in protections:
        found |= {prot.copy_to_region, prot.copy_to_account}
    return frozenset(f.lower() for f in found if f and len(f) >= 3)


def _recoveries(ctx: EvaluationContext,
                replicas: dict[str, list[Asset]]) -> dict[str, list[RecoveryMeasurement]]:
    """Recovery measurements keyed by node name and by VM/instance name; fills the per-plan evidence."""
    plan = ctx.plan
    nodes = {n.name: n for n in plan.nodes}
    members = {f.name: [nodes[s.node] for s in f.boot if s.node in nodes] for f in plan.failover_plans}
    named = {f.name.casefold(): f for f in plan.failover_plans}
    replica_of = {r.name: vm for vm, found in replicas.items() for r in found}
    by_key: dict[str, list[RecoveryMeasurement]] = {}
    plan_runs: dict[str, list[RecoveryMeasurement]] = {f.name: [] for f in plan.failover_plans}

    def for_plan(fplan: FailoverPlan, measurement: RecoveryMeasurement) -> None:
        plan_runs[fplan.name].append(measurement)
        for node in members[fplan.name]:
            by_key.setdefault(node.name, []).append(measurement)

    for drill in plan.drills:
        measurement = rto_ev.from_drill(drill)
        if drill.node:
            by_key.setdefault(drill.node, []).append(measurement)
        if drill.plan and drill.plan.casefold() in named:
            for_plan(named[drill.plan.casefold()], measurement)
    for run in ctx.state.recovery_runs:
        measurement = rto_ev.from_run(run)
        assets = {replica_of.get(a, a) for a in run.assets}
        for asset in assets:
            by_key.setdefault(asset, []).append(measurement)
        for fplan in plan.failover_plans:
            vms = {n.runs_on.asset_name for n in members[fplan.name]}
            if (run.plan or "").casefold() == fplan.name.casefold() or (vms and vms <= assets):
                for_plan(fplan, measurement)
    for fplan in plan.failover_plans:
        goals = [plan.objectives_for(n) for n in members[fplan.name]]
        if not goals:  # the loader refuses boot steps naming unknown nodes
            continue
        # The plan must meet its strictest member's objectives.
        target = min(o.rto for o in goals if o.rto)
        every = min((o.test_every for o in goals if o.test_every), default=None)
        catch_up = max((o.catch_up for o in goals if o.catch_up), default=None)  # the slowest member's
        ctx.failover_evidence[fplan.name] = rto_ev.failover_plan_rto(
            fplan.name, target, every, plan_runs[fplan.name], ctx.as_of, catch_up)
    return by_key

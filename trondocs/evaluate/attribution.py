"""Attribution: which asset, replicas, jobs and restore points belong to each node — decided once.

Observed identity first: an instance id, a VM's instance UUID, a volume's instance (resolved by
the AWS collector), a replica VM's source VM. Names only as a fallback, case-insensitively,
and only for points from a source of a system that protects the node (a Veeam point named
like an AWS node is not that node's). A point whose source identity names another asset is
not the node's, whatever its name. Everything matched records why; everything left over is
*unattributed*, with the reason.

What is not a restore point: a snapshot of the production VM itself (a delta file on the
VM's own datastore, lost with it) is listed as a VM snapshot. A replica VM's snapshots and the
backup system's replica points are one chain: when both list it, the backup system's points
stand and the snapshots are folded into them.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field

from trondocs.evaluate.coverage import PLATFORM_SOURCE, SYSTEM_SOURCE, VSPHERE
from trondocs.evaluate.models import AssetMatch, JobMatch, MatchBasis, UnattributedPoint
from trondocs.plan.models import Node, Plan, Platform, Protection, ProtectionKind
from trondocs.state.models import (
    Asset,
    AssetKind,
    ProtectionJob,
    RestorePoint,
    RestorePointKind,
    State,
)
from trondocs.systems import unprotected_point_source

UNPLANNED = "(unplanned)"
UNATTRIBUTED_SHOWN = 50


@dataclass(frozen=True, eq=False, slots=True)
class Provenance:
    """Why restore points are a node's, and the protection that made them (None: a job the plan
    does not declare). Decided once per distinct decision key: a node's hundred points share a
    handful, so points carry no per-point record of it."""

    basis: MatchBasis
    protection: Protection | None
    label: str  # the chain's label: the protection's name, or "(unplanned) <job>"


# All that attribution reads of a point to decide whose it is and which job made it: points with
# the same decision key are decided alike (its source gives the source type).
DECISION_FIELDS = ("source", "asset_name", "asset_id", "asset_ref", "job_id", "job", "kind")
decision_key = operator.attrgetter(*DECISION_FIELDS)  # the point's values of them, as a tuple read in C


# The order of a node's restore points, and of its VM snapshots (attrgetter: a key built in C).
POINT_ORDER = operator.attrgetter("created", "source", "id")
SNAPSHOT_ORDER = operator.attrgetter("created", "id")


@dataclass
class NodeAttribution:
    node: Node
    asset: Asset | None = None
    asset_basis: MatchBasis | None = None
    replicas: list[Asset] = field(default_factory=list)
    jobs: dict[str, list[tuple[ProtectionJob, MatchBasis]]] = field(default_factory=dict)  # by protection
    extra_jobs: list[ProtectionJob] = field(default_factory=list)  # cover the node, not in the plan
    points: list[RestorePoint] = field(default_factory=list)  # its restore points, in POINT_ORDER
    made: dict[tuple, Provenance] = field(default_factory=dict)  # decision key → its points' provenance
    vm_snapshots: list[RestorePoint] = field(default_factory=list)
    folded: int = 0  # replica VM snapshots folded into the backup system's replica points

    def provenance(self, point: RestorePoint) -> Provenance:
        """Why one of the node's restore points is its own, and which protection made it."""
        return self.made[decision_key(point)]

    def job_matches(self, protections: list[Protection]) -> list[JobMatch]:
        out = []
        for prot in protections:
            found = self.jobs.get(prot.name, [])
            if not found:
                out.append(JobMatch(protection=prot.name, kind=prot.kind.value, system=prot.system.value,
                                    job=prot.source_name, found=False))
            for job, basis in found:
                out.append(JobMatch(protection=prot.name, kind=prot.kind.value, system=prot.system.value,
                                    job=prot.source_name, found=True, source=job.source, job_id=job.id,
                                    basis=basis, includes_node=includes(job, self)))
        for job in self.extra_jobs:
            out.append(JobMatch(protection=None, kind=job.kind.value, system=job.system, job=job.name,
                                found=True, source=job.source, job_id=job.id, basis=MatchBasis.NAME,
                                includes_node=True))
        return out

    def asset_match(self) -> AssetMatch | None:
        if self.asset is None or self.asset_basis is None:
            return None
        return AssetMatch(source=self.asset.source, id=self.asset.id, name=self.asset.name,
                          kind=self.asset.kind.value, basis=self.asset_basis)

    def replica_matches(self) -> list[AssetMatch]:
        return [AssetMatch(source=r.source, id=r.id, name=r.name, kind=r.kind.value,
                           basis=MatchBasis.REPLICA_OF) for r in self.replicas]


@dataclass
class Attribution:
    nodes: dict[str, NodeAttribution]
    jobs: dict[str, list[ProtectionJob]]  # protection name → its jobs
    unattributed: list[UnattributedPoint]
    unattributed_total: int
    source_types: dict[str, str]


def includes(job: ProtectionJob, owner: NodeAttribution) -> bool:
    """Whether the job's selection holds the node's VM or instance: by name/id, by tags, or by a
    VMware container (folder, host, cluster, datacenter, datastore) vSphere places it in —
    unless the job excludes it."""
    asset = owner.asset
    names = {owner.node.runs_on.asset_name.casefold()}
    if asset is not None:
        names |= {asset.id.casefold(), asset.name.casefold()}
    if names & casefolded(tuple(job.excludes)):
        return False
    if names & casefolded(tuple(job.targets)):
        return True
    if asset is not None and any(container_holds(c, asset) for c in job.containers):
        return True
    return bool(asset and job.target_tags and job.target_tags.items() <= asset.tags.items())


@functools.lru_cache(maxsize=4096)
def casefolded(names: tuple[str, ...]) -> frozenset[str]:
    """A job's targets or excludes as compared, case-insensitively: folded once per job, not
    once per node the job is asked about (a job of hundreds of VMs is asked by each of them)."""
    return frozenset(n.casefold() for n in names)


# VMware container kinds (Veeam's EVmwareInventoryType, lowercased) that vSphere's inventory, as
# collected, places a VM in; the others (resource pools, tags, vApps, storage policies…) it does not.
RESOLVABLE_CONTAINERS = frozenset({"folder", "host", "cluster", "computeresource", "datacenter",
                                   "datastore", "vcenterserver"})


def container_holds(container: str, asset: Asset) -> bool:
    kind, _, name = container.partition(":")
    name = name.casefold()
    if asset.platform is not Platform.VSPHERE or kind not in RESOLVABLE_CONTAINERS:
        return False
    if kind == "folder":  # a folder include takes its subfolders too: any segment of the path
        return name in [s.casefold() for s in (asset.folder or "").split("/")]
    if kind in ("host", "cluster", "computeresource", "datacenter"):
        value = {"host": asset.host, "cluster": asset.cluster, "computeresource": asset.cluster,
                 "datacenter": asset.datacenter}[kind]
        return (value or "").casefold() == name
    if kind == "datastore":
        return name in {d.casefold() for d in asset.datastores}
    return True  # vcenterserver: every VM it manages (one vSphere source per vCenter)


def unresolved_containers(job: ProtectionJob) -> list[str]:
    """Containers whose VMs the collected inventory cannot tell (resource pools, tags…)."""
    return [c for c in job.containers if c.partition(":")[0] not in RESOLVABLE_CONTAINERS]


def node_sources(node: Node, protections: list[Protection]) -> tuple[str, ...]:
    """Source types that hold this node's restore points (unprotected nodes: where they would be)."""
    declared = {SYSTEM_SOURCE[p.system] for p in protections}  # a StrEnum is its value
    return tuple(sorted(declared or {unprotected_point_source(node.runs_on.source)}))


def attribute(plan: Plan, state: State) -> Attribution:
    source_types = {run.name: run.type for run in state.collection.sources}
    covers: dict[str, list[Protection]] = {}
    for prot in plan.protection:
        for name in prot.covers:
            covers.setdefault(name, []).append(prot)
    jobs = _protection_jobs(plan, state)
    assets = _Assets.of(state)
    owners = {node.name: _owner(node, assets) for node in plan.nodes}
    by_id: dict[str, NodeAttribution] = {}
    by_name: dict[str, NodeAttribution] = {}
    for owner in owners.values():
        prots = covers.get(owner.node.name, [])
        owner.jobs = {p.name: jobs.get(p.name, []) for p in prots}
        for key in _identities(owner):
            by_id.setdefault(key, owner)
        by_name.setdefault(owner.node.runs_on.asset_name.casefold(), owner)
    _extra_jobs(state, owners.values(), {j.id for found in jobs.values() for j, _ in found})

    unattributed: list[UnattributedPoint] = []
    total_unattributed = 0
    allowed: dict[str, set[str]] = {}  # node → source types its points may come from, once per node
    matchers: dict[tuple[str, str], list[_Matcher]] = {}  # (node, source type) → its protections' jobs
    replica_snapshots: dict[str, list[RestorePoint]] = {}  # node → its replica VMs' snapshots

    def decide(point: RestorePoint, key: tuple) -> _Decision:
        kind = source_types.get(point.source, "")
        owner, basis, reason = _find_owner(point, kind, by_id, by_name, covers, allowed)
        if owner is None:
            return _Decision(None, reason)
        name = owner.node.name
        if kind == VSPHERE and point.kind is RestorePointKind.SNAPSHOT:
            return _Decision(owner.vm_snapshots)
        if kind == VSPHERE and point.kind is RestorePointKind.REPLICA:
            owner.made[key] = _replica_snapshot(basis, covers.get(name, []))
            return _Decision(replica_snapshots.setdefault(name, []))
        if (name, kind) not in matchers:
            matchers[name, kind] = _matchers(kind, covers.get(name, []), owner)
        protection = _protection_of(point, matchers[name, kind])
        label = protection.name if protection else f"{UNPLANNED} {point.job or point.source}"
        owner.made[key] = Provenance(basis, protection, label)
        return _Decision(owner.points)

    # A node's hundred points share a handful of identities and jobs: each distinct decision key is
    # decided once (a million points, a few tens of thousands of decisions); the decision depends
    # on nothing else, so the result is the one a decision per point gives.
    decided: dict[tuple, _Decision] = {}
    for point in state.restore_points:
        key = decision_key(point)
        decision = decided.get(key)
        if decision is None:
            decision = decided[key] = decide(point, key)
        if decision.into is not None:
            decision.into.append(point)
            continue
        total_unattributed += 1
        unattributed.append(UnattributedPoint(source=point.source, id=point.id, asset=point.asset_name,
                                              job=point.job, reason=decision.reason))
    for name, snapshots in replica_snapshots.items():
        owner = owners[name]
        if any(p.kind is RestorePointKind.REPLICA for p in owner.points):
            owner.folded += len(snapshots)  # the same chain the backup system lists: count it once
        else:
            owner.points.extend(snapshots)
    for owner in owners.values():
        owner.points.sort(key=POINT_ORDER)
        owner.vm_snapshots.sort(key=SNAPSHOT_ORDER)
    unattributed.sort(key=lambda u: (u.asset, u.source, u.id))  # whatever the state's order
    return Attribution(nodes=owners, jobs={k: [j for j, _ in v] for k, v in jobs.items()},
                       unattributed=unattributed[:UNATTRIBUTED_SHOWN], unattributed_total=total_unattributed,
                       source_types=source_types)


@dataclass
class _Assets:
    """The state's assets indexed once (a scan per node would be quadratic)."""

    vms: dict[str, Asset] = field(default_factory=dict)  # casefold name → VM
    instances: dict[str, Asset] = field(default_factory=dict)  # id → instance
    named: dict[str, list[Asset]] = field(default_factory=dict)  # casefold Name tag → instances
    replicas: dict[str, list[Asset]] = field(default_factory=dict)  # casefold source VM name → replicas

    @classmethod
    def of(cls, state: State) -> _Assets:
        found = cls()
        for asset in state.assets:
            if asset.kind is AssetKind.VM:
                found.vms.setdefault(asset.name.casefold(), asset)
            elif asset.kind is AssetKind.INSTANCE:
                found.instances.setdefault(asset.id, asset)
                if asset.name != asset.id:
                    found.named.setdefault(asset.name.casefold(), []).append(asset)
            elif asset.replica_of:
                found.replicas.setdefault(asset.replica_of.casefold(), []).append(asset)
        return found


def _owner(node: Node, assets: _Assets) -> NodeAttribution:
    owner = NodeAttribution(node=node)
    runs_on = node.runs_on
    if runs_on.source is Platform.VSPHERE:
        want = (runs_on.vm or "").casefold()
        owner.asset = assets.vms.get(want)
        owner.asset_basis = MatchBasis.NAME if owner.asset else None
        owner.replicas = list(assets.replicas.get(want, []))
    else:
        owner.asset = assets.instances.get(runs_on.instance or "")
        owner.asset_basis = MatchBasis.ID if owner.asset else None
        named = assets.named.get((runs_on.instance or "").casefold(), [])
        if owner.asset is None and len(named) == 1:  # named by its Name tag; several: ambiguous, none
            owner.asset, owner.asset_basis = named[0], MatchBasis.NAME
    return owner


def _identities(owner: NodeAttribution) -> set[str]:
    keys = {owner.asset.id, *([owner.asset.ref] if owner.asset.ref else [])} if owner.asset else set()
    if owner.node.runs_on.instance:
        keys.add(owner.node.runs_on.instance)
    return keys


def _find_owner(point: RestorePoint, source_type: str, by_id: dict[str, NodeAttribution],
                by_name: dict[str, NodeAttribution], covers: dict[str, list[Protection]],
                allowed_by_node: dict[str, set[str]]) -> tuple[NodeAttribution | None, MatchBasis, str]:
    for key in (point.asset_id, point.asset_ref):
        if key and key in by_id:
            return by_id[key], MatchBasis.ID, ""
    owner = by_name.get(point.asset_name.casefold())
    if owner is None:
        return None, MatchBasis.NAME, f"'{point.asset_name}' is no node's VM or instance"
    known = _identities(owner)
    if known and (point.asset_id or point.asset_ref):
        return None, MatchBasis.NAME, (f"named like node '{owner.node.name}', but its source says it "
                                       f"belongs to {point.asset_id or point.asset_ref}")
    allowed = allowed_by_node.get(owner.node.name)
    if allowed is None:
        allowed = set(node_sources(owner.node, covers.get(owner.node.name, [])))
        allowed.add(PLATFORM_SOURCE[owner.node.runs_on.source.value])
        allowed_by_node[owner.node.name] = allowed
    if source_type and source_type not in allowed:
        return None, MatchBasis.NAME, (f"named like node '{owner.node.name}', but it comes from a "
                                       f"{source_type} source, which protects none of its jobs")
    return owner, MatchBasis.NAME, ""


@dataclass(frozen=True)
class _Matcher:
    """A protection of a node, with the ids and names of its jobs (worked out once per node)."""

    protection: Protection
    ids: frozenset[str]
    names: frozenset[str]  # casefolded


def _matchers(source_type: str, prots: list[Protection], owner: NodeAttribution) -> list[_Matcher]:
    """The node's protections within this source type's system, in the plan's order."""
    out = []
    for prot in prots:
        if source_type and source_type != SYSTEM_SOURCE[prot.system]:
            continue
        jobs = owner.jobs.get(prot.name, [])
        out.append(_Matcher(prot, frozenset(j.id for j, _ in jobs),
                            frozenset({prot.source_name.casefold(), *(j.name.casefold() for j, _ in jobs)})))
    return out


def _protection_of(point: RestorePoint, matchers: list[_Matcher]) -> Protection | None:
    """The node's protection whose job made the point: by job id, else by name within its system."""
    if point.job_id:
        for m in matchers:
            if point.job_id in m.ids:
                return m.protection
    job, job_id = (point.job or "").casefold(), (point.job_id or "").casefold()
    for m in matchers:
        if job in m.names or job_id in m.names:
            return m.protection
    return None


def _replica_snapshot(basis: MatchBasis, prots: list[Protection]) -> Provenance:
    """A replica VM's snapshot, seen by vSphere: the replication protection's chain."""
    replication = [p for p in prots if p.kind is ProtectionKind.REPLICATION]
    if len(replication) == 1:
        return Provenance(basis, replication[0], replication[0].name)
    return Provenance(basis, None, f"{UNPLANNED} replica VM snapshots")


@dataclass(frozen=True, slots=True)
class _Decision:
    """Where the points of one decision key go: into one of a node's lists (its restore points,
    VM snapshots or replica VM snapshots), or nowhere (None: unattributed, for the reason)."""

    into: list[RestorePoint] | None
    reason: str = ""


def _protection_jobs(plan: Plan, state: State) -> dict[str, list[tuple[ProtectionJob, MatchBasis]]]:
    """Each protection's jobs, within its system: by id first, else by name (case-insensitive)."""
    by_id: dict[tuple[str, str], list[ProtectionJob]] = {}
    by_name: dict[tuple[str, str], list[ProtectionJob]] = {}
    for job in state.jobs:
        by_id.setdefault((job.system, job.id.casefold()), []).append(job)
        if job.rule and "/" in job.id:  # one job per schedule/rule: the policy or plan id names them all
            by_id.setdefault((job.system, job.id.rsplit("/", 1)[0].casefold()), []).append(job)
        by_name.setdefault((job.system, job.name.casefold()), []).append(job)
    out = {}
    for prot in plan.protection:
        key = (prot.system.value, prot.source_name.casefold())
        if key in by_id:
            found = [(j, MatchBasis.ID) for j in by_id[key]]
        else:
            found = [(j, MatchBasis.NAME) for j in by_name.get(key, [])]
        if prot.rule:  # the plan names the schedule (DLM) or rule (AWS Backup) it means
            found = [(j, b) for j, b in found if (j.rule or "").casefold() == prot.rule.casefold()]
        out[prot.name] = found
    return out


def _extra_jobs(state: State, owners, declared: set[str]) -> None:
    """Jobs the plan does not declare that include a node: shown on its page, never counted."""
    by_name: dict[str, list[NodeAttribution]] = {}
    for owner in owners:
        names = [owner.asset.name, owner.asset.id] if owner.asset else []
        for key in {owner.node.runs_on.asset_name, *names}:
            by_name.setdefault(key.casefold(), []).append(owner)
    tagged = [o for o in owners if o.asset is not None and o.asset.tags]
    for job in state.jobs:
        if job.id in declared:
            continue
        found = {id(o): o for t in job.targets for o in by_name.get(t.casefold(), [])}
        if job.target_tags:
            found |= {id(o): o for o in tagged if job.target_tags.items() <= o.asset.tags.items()}
        for owner in found.values():
            owner.extra_jobs.append(job)

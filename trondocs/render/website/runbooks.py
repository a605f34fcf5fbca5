"""Runbooks: which recovery scenarios a node's protection allows, with the real names filled in.

The systems table (trondocs/systems.py) says which family of scenarios each system's kind of
protection allows, and gives its product name and console steps; Python gathers the names
(jobs, replicas, hosts, regions, boot order, delays); the words of each scenario live in
``templates/site/runbook/<key>.md.j2``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from trondocs.evaluate.models import CopyStanding, ProtectionRpo
from trondocs.plan.models import Node, NodeRole, Protection, ProtectionKind
from trondocs.render.website.data import REFERENCE_ENDPOINT, SiteData
from trondocs.render.website.labels import NO_VALUE, duration, link, when
from trondocs.state.models import RestorePointKind
from trondocs.systems import Recovery, protection_system
from trondocs.tron import BACKUP_TAKEOVER_SECONDS, base58_to_hex

SCENARIO_TITLES = {
    "quick_rollback": "Quick rollback",
    "instant_recovery": "Instant VM recovery",
    "file_restore": "Guest file restore",
    "failover": "Failover to the replica",
    "planned_failover": "Planned failover",
    "failback": "Failback to production",
    "ebs_restore": "Restore from an EBS snapshot",
    "cross_region_restore": "Restore from the cross-region copy",
    "witness_takeover": "Standby witness takeover",
}


@dataclass(frozen=True)
class BootLine:
    order: int
    node: str
    vm: str
    delay: str


@dataclass(frozen=True)
class Standby:
    name: str
    priority: str
    endpoint: str
    vm: str


@dataclass(frozen=True)
class Scenario:
    """One recovery scenario with every name its text needs (empty when not applicable)."""

    key: str
    title: str
    anchor: str
    protection: str = ""
    product: str = ""  # the protection system as its runbooks name it, and its console's steps
    steps: Mapping[str, str] = field(default_factory=dict)
    job: str = ""
    vm: str = ""
    host: str = ""
    datastore: str = ""
    site: str = ""
    restore_point: str = ""
    copy_point: str = ""
    replica: str = ""
    dr_host: str = ""
    dr_site: str = ""
    plan: str = ""
    boot: list[BootLine] = field(default_factory=list)
    boot_total: str = ""
    instance: str = ""
    region: str = ""
    zone: str = ""
    volumes: str = ""
    snapshot: str = ""
    snapshot_id: str = ""
    copy_region: str = ""
    copy_snapshot: str = ""
    copy_snapshot_id: str = ""
    standbys: list[Standby] = field(default_factory=list)
    takeover: str = ""
    rto: str = ""
    # Where the plan's path does not exist as observed (no replica, no copy there, node not in
    # the job, a stale newest point): said at the top of the step, not discovered on the day.
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Verify:
    endpoint: str
    path: str
    reference: str
    max_lag: int | None  # objectives_for fills it from the defaults when the plan does not
    last_head: str
    sr_hex: str  # set for witnesses: check the SR keeps producing


@dataclass(frozen=True)
class RunbookPage:
    page: str
    title: str
    name: str
    role: str
    node_link: str
    scenarios: list[Scenario]
    verify: Verify


def _chains(data: SiteData, node: Node, protection: Protection,
            kind: RestorePointKind) -> list[ProtectionRpo]:
    """The protection's chains of one kind, as evaluation observed them, freshest first."""
    evidence = data.assessment.node(node.name)
    rows = [r for r in (evidence.rpo.per_protection if evidence else [])
            if r.protection == protection.name and r.kind == kind and r.count]
    return sorted(rows, key=lambda r: r.newest or dt.datetime.min.replace(tzinfo=dt.UTC), reverse=True)


def _point(row: ProtectionRpo | None) -> str:
    if row is None or row.newest is None:
        return "none found in the collected state"
    where = row.placement or row.location
    return f"the one of {when(row.newest)} in {where}" + (f" ({row.site})" if row.site else "")


def _warnings(data: SiteData, node: Node, protection: Protection, row: ProtectionRpo | None,
              what: str, want_site: str | None) -> list[str]:
    """Why this step, as written, may fail on the day."""
    evidence = data.assessment.node(node.name)
    found: list[str] = []
    matches = [m for m in (evidence.attribution.jobs if evidence else []) if m.protection == protection.name]
    if matches and not any(m.found for m in matches):
        found.append(f"job '{protection.source_name}' was not found in {protection.system.value}")
    elif any(m.includes_node is False for m in matches):
        found.append(f"job '{protection.source_name}' does not include {node.runs_on.asset_name}")
    if row is None:
        found.append(f"no {what} of '{protection.name}' was observed for this node")
        return found
    if row.stale:
        found.append(f"the newest {what} is {duration(row.newest_age)} old, "
                     f"beyond {duration(row.freshness_limit)}")
    if want_site and row.site and row.site != want_site:
        found.append(f"the {what}s are at {row.site}, not at {want_site} as the plan says")
    if row.site is None:
        found.append(f"the {what}s are at {row.placement}, which no site of the plan claims")
    return found


def _unlisted(data: SiteData, node: Node, protection: Protection) -> str | None:
    evidence = data.assessment.node(node.name)
    for copy in evidence.copies.copies if evidence else []:
        if copy.label == f"copy: {protection.name}" and copy.standing is CopyStanding.UNLISTED:
            return copy.why
    return None


def _vm_restore(data: SiteData, node: Node, protection: Protection, common: dict) -> list[Scenario]:
    from_backup = protection.kind is ProtectionKind.BACKUP  # else a copy job's own points
    backup = next(iter(_chains(data, node, protection,
                               RestorePointKind.BACKUP if from_backup else RestorePointKind.COPY)), None)
    copy = next(iter(_chains(data, node, protection, RestorePointKind.COPY)), None) if from_backup else None
    warnings = _warnings(data, node, protection, backup, "restore point", protection.to)
    if protection.copy_to and from_backup:
        unlisted = _unlisted(data, node, protection)
        if unlisted:
            warnings.append(f"the copy at {protection.copy_to} is not verified: {unlisted}")
        elif copy is None:
            warnings.append(f"no copy of '{protection.name}' was observed at {protection.copy_to}")
    extra = dict(common, restore_point=_point(backup), copy_point=_point(copy) if copy else "",
                 site=backup.location if backup and backup.location else NO_VALUE, warnings=warnings)
    return [Scenario(key=k, title=SCENARIO_TITLES[k], anchor=k.replace("_", "-"), **extra)
            for k in ("quick_rollback", "instant_recovery", "file_restore")]


def _replica_failover(data: SiteData, node: Node, protection: Protection, common: dict) -> list[Scenario]:
    replicas = data.replicas(node)
    chain = next(iter(_chains(data, node, protection, RestorePointKind.REPLICA)), None)
    warnings = _warnings(data, node, protection, chain, "replica point", protection.to)
    if not replicas:
        warnings.append(f"no replica VM of {node.runs_on.vm} was found in vSphere")
    replica = replicas[0].name if replicas else f"the replica of {node.runs_on.vm}"
    replica_asset = replicas[0] if replicas else None
    plan, boot, total = _failover_plan(data, node)
    extra = dict(common, replica=replica,
                 dr_host=replica_asset.host if replica_asset and replica_asset.host else NO_VALUE,
                 dr_site=chain.site if chain and chain.site else protection.to or NO_VALUE,
                 restore_point=_point(chain), plan=plan, boot=boot, boot_total=total, warnings=warnings)
    return [Scenario(key=k, title=SCENARIO_TITLES[k], anchor=k.replace("_", "-"), **extra)
            for k in ("failover", "planned_failover", "failback")]


def _failover_plan(data: SiteData, node: Node) -> tuple[str, list[BootLine], str]:
    for plan in data.plan.failover_plans:
        if any(step.node == node.name for step in plan.boot):
            lines, total = [], dt.timedelta(0)
            for index, step in enumerate(plan.boot):
                other = data.plan.node(step.node)
                evidence = data.assessment.node(step.node)
                replicas = evidence.attribution.replicas if evidence else []
                vm = replicas[0].name if replicas else (other.runs_on.asset_name if other else step.node)
                lines.append(BootLine(order=index + 1, node=step.node, vm=vm, delay=duration(step.delay)))
                total += step.delay
            return plan.name, lines, duration(total)
    return "", [], ""


def _snapshot_restore(data: SiteData, node: Node, protection: Protection, common: dict) -> list[Scenario]:
    kind = (RestorePointKind.SNAPSHOT if protection.kind is ProtectionKind.SNAPSHOT
            else RestorePointKind.BACKUP)
    newest = next(iter(_chains(data, node, protection, kind)), None)
    snapshot_id = _newest_id(data, node, newest)
    warnings = _warnings(data, node, protection, newest, "snapshot", protection.to)
    extra = dict(common, snapshot=_point(newest), snapshot_id=snapshot_id or "SNAPSHOT_ID", warnings=warnings)
    found = [Scenario(key="ebs_restore", title=SCENARIO_TITLES["ebs_restore"], anchor="ebs-restore", **extra)]
    copy_site = data.plan.site(protection.copy_to)
    copy_region = protection.copy_to_region or (copy_site.region if copy_site else None)
    if copy_region:
        copies = [r for r in _chains(data, node, protection, RestorePointKind.COPY)
                  if copy_region in (r.placement or "")]
        copy = next(iter(copies), None)
        copy_warnings = _warnings(data, node, protection, copy, "copy", protection.copy_to)
        if copy is None:
            copy_warnings.append(f"no snapshot copy was observed in {copy_region}")
        copy_id = _newest_id(data, node, copy)
        found.append(Scenario(key="cross_region_restore", title=SCENARIO_TITLES["cross_region_restore"],
                              anchor="cross-region-restore", **dict(extra, copy_region=copy_region,
                                                                    copy_snapshot=_point(copy),
                                                                    copy_snapshot_id=copy_id or "SNAPSHOT_ID",
                                                                    warnings=copy_warnings)))
    return found


# How each family of scenarios is filled in; which family a protection gets is the systems table's.
RECOVERY_SCENARIOS = {Recovery.VM_RESTORE: _vm_restore, Recovery.REPLICA_FAILOVER: _replica_failover,
                      Recovery.SNAPSHOT_RESTORE: _snapshot_restore}


def _newest_id(data: SiteData, node: Node, row: ProtectionRpo | None) -> str | None:
    """The id of a chain's newest point, from the points evaluation attributed to the node."""
    evidence = data.assessment.node(node.name)
    if row is None or evidence is None:
        return None
    return next((p.id for p in evidence.attribution.recent_points
                 if p.chain == row.protection and p.kind == row.kind and p.created == row.newest), None)


def _takeover(data: SiteData, node: Node, common: dict) -> list[Scenario]:
    witnesses = data.plan.witnesses()
    if node.role is not NodeRole.WITNESS or len(witnesses) < 2:
        return []
    standbys = [Standby(name=w.name, priority=str(w.priority or NO_VALUE), endpoint=w.endpoint or NO_VALUE,
                        vm=w.runs_on.asset_name) for w in witnesses]
    return [Scenario(key="witness_takeover", title=SCENARIO_TITLES["witness_takeover"],
                     anchor="witness-takeover", standbys=standbys,
                     takeover=f"{_takeover_seconds(data)}s", **common)]


def _takeover_seconds(data: SiteData) -> int:
    """The worst-case takeover the evaluation derived, else java-tron's default keep-alive's."""
    witness = data.assessment.witness
    if witness is not None and witness.standby is not None:
        return int(witness.standby.takeover_longest.total_seconds())
    return int(BACKUP_TAKEOVER_SECONDS)


def scenarios_for(data: SiteData, node: Node) -> list[Scenario]:
    """Every scenario the node's declared protection allows, in a stable order."""
    asset = data.asset(node)
    common = dict(vm=node.runs_on.asset_name, host=(asset.host or NO_VALUE) if asset else NO_VALUE,
                  datastore=", ".join(asset.datastores) if asset and asset.datastores else NO_VALUE,
                  instance=node.runs_on.instance or "", region=node.runs_on.region or "",
                  zone=asset.availability_zone if asset and asset.availability_zone else "AVAILABILITY_ZONE",
                  volumes=",".join(asset.volumes) if asset and asset.volumes else "OLD_VOLUME_ID",
                  rto=duration(data.plan.objectives_for(node).rto))
    found: list[Scenario] = []
    for protection in data.plan.protections_for(node):
        system = protection_system(protection.system)
        recovery = system.recovery.get(protection.kind.value)
        if recovery is not None:
            found.extend(RECOVERY_SCENARIOS[recovery](data, node, protection, dict(
                common, protection=protection.name, job=protection.source_name,
                product=system.product, steps=system.steps)))
    found.extend(_takeover(data, node, common))
    order = list(SCENARIO_TITLES)
    unique = {s.key: s for s in found}  # two backup jobs give one set of backup scenarios
    return sorted(unique.values(), key=lambda s: order.index(s.key))


def runbook_page(data: SiteData, name: str) -> RunbookPage:
    node = data.plan.node(name)
    if node is None:
        raise KeyError(f"{name!r} is not a node of the plan")
    page = data.runbook_page(name)
    status = data.node_status(name)
    solidity = node.role is NodeRole.SOLIDITY
    verify = Verify(
        endpoint=node.endpoint or f"http://<{node.runs_on.asset_name}>:{8091 if solidity else 8090}",
        path="/walletsolidity/getnowblock" if solidity else "/wallet/getnowblock",
        reference=data.plan.settings.reference_endpoint or REFERENCE_ENDPOINT,
        max_lag=data.plan.objectives_for(node).max_sync_lag,  # 0 is a limit: never `or` it away
        last_head=str(status.head_block) if status and status.head_block is not None else NO_VALUE,
        sr_hex=base58_to_hex(data.plan.organization.sr_address) if node.role is NodeRole.WITNESS else "",
    )
    return RunbookPage(page=page, title=f"Runbooks: {name}", name=name, role=node.role.value,
                       node_link=link(page, data.node_page(name)), scenarios=scenarios_for(data, node),
                       verify=verify)


@dataclass(frozen=True)
class RunbookIndexRow:
    name: str
    link: str
    role: str
    scenarios: list[tuple[str, str]]  # (title, link with anchor)


@dataclass(frozen=True)
class RunbooksIndexPage:
    page: str
    title: str
    rows: list[RunbookIndexRow]


def runbooks_index_page(data: SiteData) -> RunbooksIndexPage:
    page = "runbooks/index.md"
    rows = []
    for node in data.plan.nodes:
        target = data.runbook_page(node.name)
        rows.append(RunbookIndexRow(
            name=node.name, link=link(page, target), role=node.role.value,
            scenarios=[(s.title, link(page, target, s.anchor)) for s in scenarios_for(data, node)],
        ))
    return RunbooksIndexPage(page=page, title="Runbooks", rows=rows)

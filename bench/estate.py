"""A synthetic TRON estate (declared Plan + collected State) of any size, for the benchmarks.

One shape for every bench, so their figures describe the same kind of SR: two witnesses, full
nodes and every tenth a solidity node depending on the one before; vSphere VMs replicated
and backed up (nightly) by Veeam (in jobs of ``group`` nodes, backups copied to an immutable vault),
and optionally a share of EC2 instances snapshotted by DLM with copies to a second region. Both
replicate or snapshot every 6 hours against an RPO of 12 hours.
Some nodes are in trouble so that evaluation and the outputs have failures to report: every
``TROUBLED``-th node replicates three times too rarely (misses its RPO) and another lags the chain.
The others pass what their evidence can show: the sites claim the repositories the points are
in, every job's nodes were recovered in a DR test ten days ago, and the copy
policy is what two cloud snapshots can meet — so the failing nodes are a fifth of the estate,
as in a well-run estate with some drift, and the report's detail follows them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from trondocs.plan.loader import LoadedPlan
from trondocs.plan.models import Medium, Node, Plan, Platform, ProtectionSystem
from trondocs.plan.yamlsource import SourceMap
from trondocs.state.models import (
    Asset,
    AssetKind,
    Collection,
    DiscoveredSchedule,
    JobKind,
    NodeStatus,
    ProtectionJob,
    RecoveryKind,
    RecoveryRun,
    RestorePoint,
    RestorePointKind,
    Retention,
    ScheduleKind,
    SourceRun,
    State,
)
from trondocs.systems import SourceType

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
SR = "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
EVERY = dt.timedelta(hours=6)  # replication and snapshot interval; the plan's RPO is twice that
DAY = dt.timedelta(days=1)
TROUBLED = 10  # node i misses its RPO when i % 10 == 0, lags the chain when i % 10 == 5
SOLIDITY = 10  # node i is a solidity node (depending on node i - 1) when i % 10 == 9
REGION, COPY_REGION = "eu-central-1", "eu-west-1"
POLICY = "every-6h"  # the DLM policy of the EC2 nodes
ACCOUNT, COPY_ACCOUNT = "111122223333", "444455556666"  # copies go to another account
TESTED = AS_OF - dt.timedelta(days=10)  # every job's nodes were recovered in a test then


def synthetic_estate(
    nodes: int, *, points_per_node: int, group: int, aws_share: float = 0.0, troubled: int = TROUBLED
) -> tuple[LoadedPlan, State]:
    """``nodes`` nodes with ``points_per_node`` restore points each, evaluated ``AS_OF``.

    A vSphere node's points are half replicas, a quarter nightly backups and a quarter their
    vault copies; an EC2 node's are half snapshots and half their cross-region copies. 56 points
    per node make the replicas and snapshots reach back the 7 days the gap rule looks at.
    ``aws_share`` of the nodes (spread evenly: 0.2 is every fifth) run on EC2. Node i is in
    trouble when ``i % troubled`` is 0 (misses its RPO) or ``troubled // 2`` (lags the chain).
    """
    if nodes < 4 or points_per_node < 4 or group < 1 or not 0 <= aws_share <= 1 or troubled < 2:
        raise ValueError("need nodes >= 4, points_per_node >= 4, group >= 1, 0 <= aws_share <= 1 "
                         "and troubled >= 2")
    plan = Plan.model_validate(plan_document(nodes, points_per_node, group, aws_share))
    return LoadedPlan(plan=plan, source_map=SourceMap()), _state(plan, points_per_node, group, troubled)


PLAN_FILES = {  # how an operator would split the plan over inventory/ (see README)
    "organization.yaml": ("organization", "objectives"),
    "sites.yaml": ("sites",),
    "nodes.yaml": ("nodes",),
    "protection.yaml": ("protection", "failover_plans"),
    "operations.yaml": ("drills",),
}


def write_estate(folder: Path, nodes: int, *, points_per_node: int, group: int,
                 aws_share: float = 0.0) -> tuple[Path, Path]:
    """The same estate on disk, as the CLI reads it: ``folder/inventory/*.yaml`` and ``folder/state.json``.

    The YAML is written in block style, as an operator writes it, one node after the other.
    Returns (inventory folder, state file).
    """
    import yaml

    from trondocs.state.io import save_state

    document = plan_document(nodes, points_per_node, group, aws_share)
    inventory = Path(folder) / "inventory"
    inventory.mkdir(parents=True, exist_ok=True)
    for name, sections in PLAN_FILES.items():
        part = {section: document[section] for section in sections if document.get(section)}
        (inventory / name).write_text(yaml.safe_dump(part, sort_keys=False, allow_unicode=True,
                                                     default_flow_style=False), encoding="utf-8")
    plan = Plan.model_validate(document)
    state_file = Path(folder) / "state.json"
    save_state(_state(plan, points_per_node, group), state_file)
    return inventory, state_file


def _on_aws(i: int, share: float) -> bool:
    return int((i + 1) * share) > int(i * share)


def plan_document(count: int, points: int, group: int, aws_share: float) -> dict:
    """The plan as its YAML declares it (plain data, before validation)."""
    nodes, vsphere_nodes, aws_nodes = [], [], []
    for i in range(count):
        name = f"node-{i:05d}"
        role = "witness" if i < 2 else ("solidity" if i % SOLIDITY == SOLIDITY - 1 else "full")
        extra = {"priority": i + 1} if i < 2 else {}
        deps = {"depends_on": [f"node-{i - 1:05d}"]} if role == "solidity" else {}
        if _on_aws(i, aws_share):
            runs = {"source": "aws", "instance": f"i-{i:017x}", "region": REGION, "account": ACCOUNT,
                    "site": "aws"}
            aws_nodes.append(name)
        else:
            runs = {"source": "vsphere", "vm": f"vm-{i:05d}", "site": "prod"}
            vsphere_nodes.append(name)
        nodes.append({"name": name, "role": role, **extra, **deps, "runs_on": runs,
                      "endpoint": f"http://10.{i // 62500}.{i // 250 % 250}.{i % 250 + 1}:8090"})
    sites = [{"name": "prod", "role": "primary", "media": "disk",
              "holds": {"datacenters": ["prod"], "repositories": ["repo"]}},
             {"name": "dr", "role": "dr", "media": "disk", "holds": {"repositories": ["dr"]}},
             {"name": "vault", "role": "offsite", "media": "object", "immutable": True, "encrypted": True,
              "holds": {"repositories": ["vault"]}}]
    protection = []
    replicas, backups = _vsphere_chains(points)
    for g in range(0, len(vsphere_nodes), group):
        members, n = vsphere_nodes[g:g + group], g // group
        protection += [
            {"name": f"repl-{n}", "kind": "replication", "system": "veeam", "job": f"Replicate {n}",
             "covers": members, "every": "6h", "keep": f"{replicas} points", "to": "dr"},
            {"name": f"backup-{n}", "kind": "backup", "system": "veeam", "job": f"Backup {n}",
             "covers": members, "schedule": "daily 02:00", "keep": f"{backups} points", "to": "prod",
             "copy_to": "vault"}]
    if aws_nodes:
        sites += [{"name": "aws", "role": "primary", "media": "cloud-snapshot", "region": REGION,
                   "account": ACCOUNT},
                  {"name": "aws-copy", "role": "offsite", "media": "cloud-snapshot", "region": COPY_REGION,
                   "account": COPY_ACCOUNT}]
        protection.append(
            {"name": "snapshots", "kind": "snapshot", "system": "dlm", "policy": POLICY, "covers": aws_nodes,
             "every": "6h", "keep": f"{points - points // 2} snapshots", "to": "aws", "copy_to": "aws-copy",
             "copy_to_region": COPY_REGION, "copy_to_account": COPY_ACCOUNT})
    failover = ([{"name": "site failover", "to": "dr",
                  "boot": [{"node": n, "delay": "30s"} for n in vsphere_nodes[2:10]]}]
                if len(vsphere_nodes) > 2 else [])
    return {
        "organization": {"name": "Bench SR", "sr_address": SR},
        "objectives": {"rpo": "12h", "rto": "30m", "test_every": "60d", "max_sync_lag": 20},
        "three_two_one": {"copies": 2, "media": 1, "offsite": 1},
        "sites": sites, "nodes": nodes, "protection": protection, "failover_plans": failover,
        "drills": [{"node": nodes[1]["name"], "scenario": "standby takeover",
                    "started": "2026-10-01T08:00:00Z", "finished": "2026-10-01T08:00:21Z",
                    "result": "success"}],
    }


def _vsphere_chains(points: int) -> tuple[int, int]:
    """(replicas, backups) of a vSphere node; each backup has a vault copy besides."""
    return points - 2 * (points // 4), points // 4


def _state(plan: Plan, points: int, group: int, troubled: int = TROUBLED) -> State:
    assets, restore_points, status = [], [], []
    replicas, backups = _vsphere_chains(points)
    vms = 0  # vSphere nodes so far: their Veeam jobs take them ``group`` at a time
    for i, node in enumerate(plan.nodes):
        name, vsphere = node.runs_on.asset_name, node.runs_on.vm is not None
        if vsphere:
            assets.append(Asset(source="vcenter", platform=Platform.VSPHERE, kind=AssetKind.VM,
                                id=f"uuid-{i}", name=name, power_state="on", host=f"esx-{i % 7}",
                                datastores=[f"ds-{i % 5}"], datacenter="prod"))
            n, vms = vms // group, vms + 1
            late = 3 if i % troubled == 0 else 1
            restore_points += _chain(name, RestorePointKind.REPLICA, "dr", Medium.DISK, f"Replicate {n}",
                                     late * EVERY, replicas)
            for kind, where, medium in ((RestorePointKind.BACKUP, "repo", Medium.DISK),
                                        (RestorePointKind.COPY, "vault", Medium.OBJECT)):
                restore_points += _chain(name, kind, where, medium, f"Backup {n}", DAY, backups)
        else:
            assets.append(Asset(source="aws", platform=Platform.AWS, kind=AssetKind.INSTANCE, id=name,
                                name=name, power_state="on", region=REGION))
            restore_points += _chain(name, RestorePointKind.SNAPSHOT, REGION, Medium.CLOUD_SNAPSHOT, POLICY,
                                     EVERY, points - points // 2, region=REGION)
            restore_points += _chain(name, RestorePointKind.COPY, COPY_REGION, Medium.CLOUD_SNAPSHOT, POLICY,
                                     EVERY, points // 2, region=COPY_REGION)
        status.append(_status(node, lag=25 if i % troubled == troubled // 2 else 1))
    sources = [("vcenter", "vsphere"), ("veeam", "veeam"), ("tron", "java-tron")]
    if any(node.runs_on.instance for node in plan.nodes):
        sources.append(("aws", "aws"))
    runs = [SourceRun(name=name, type=SourceType(kind), ok=True, started=AS_OF - dt.timedelta(minutes=2),
                      finished=AS_OF, api_calls=10, objects=len(restore_points)) for name, kind in sources]
    return State(collection=Collection(started=AS_OF - dt.timedelta(minutes=3), finished=AS_OF,
                                       trondocs_version="bench", sources=runs),
                 assets=assets, restore_points=restore_points, jobs=_jobs(plan, points, group),
                 node_status=status, recovery_runs=_tests(plan, group))


def _tests(plan: Plan, group: int) -> list[RecoveryRun]:
    """A DR test of each Veeam job's VMs and one of the EC2 instances."""
    vms = [node.runs_on.asset_name for node in plan.nodes if node.runs_on.vm is not None]
    runs = [RecoveryRun(source="veeam", id=f"sb-{g // group}", kind=RecoveryKind.DRILL,
                        name=f"DR test {g // group}", assets=vms[g:g + group], started=TESTED,
                        finished=TESTED + dt.timedelta(minutes=12), result="success")
            for g in range(0, len(vms), group)]
    instances = [node.runs_on.asset_name for node in plan.nodes if node.runs_on.instance is not None]
    if instances:
        runs.append(RecoveryRun(source="aws", id="restore-test", kind=RecoveryKind.DRILL, name="restore test",
                                assets=instances, started=TESTED, finished=TESTED + dt.timedelta(minutes=9),
                                result="success"))
    return runs


def _chain(asset: str, kind: RestorePointKind, location: str, medium: Medium, job: str, step: dt.timedelta,
           count: int, *, region: str | None = None) -> list[RestorePoint]:
    # Unvalidated: a 10,000-node estate has a million points; the benches time trondocs, not the
    # validation of their own inputs (the fields are given exactly as the model types them).
    object_store = medium is Medium.OBJECT
    return [_unvalidated_point(
        source="aws" if region else "veeam", id=f"{asset}-{kind.value}-{n}", kind=kind, asset_name=asset,
        created=AS_OF - dt.timedelta(minutes=5) - step * n, location=location, region=region, medium=medium,
        immutable=True if object_store else None, encrypted=True, job=job,
        account=_account(region)) for n in range(count)]


_POINT_FIELDS = dataclasses.fields(RestorePoint)


def _unvalidated_point(**given: object) -> RestorePoint:
    """``RestorePoint(**given)`` without validating (a dataclass has no ``model_construct``)."""
    point = object.__new__(RestorePoint)
    for field in _POINT_FIELDS:
        object.__setattr__(point, field.name, given.pop(field.name, field.default))
    if given:
        raise TypeError(f"not fields of a restore point: {sorted(given)}")
    return point


def _account(region: str | None) -> str | None:
    return None if region is None else COPY_ACCOUNT if region == COPY_REGION else ACCOUNT


def _status(node: Node, *, lag: int) -> NodeStatus:
    return NodeStatus(source="tron", node=node.name, endpoint=node.endpoint or "", reachable=True,
                      checked=AS_OF, head_block=1000 - lag, reference_head=1000, lag_blocks=lag, peers=30)


def _jobs(plan: Plan, points: int, group: int) -> list[ProtectionJob]:
    replicas, backups = _vsphere_chains(points)
    vms = [node.runs_on.asset_name for node in plan.nodes if node.runs_on.vm is not None]
    jobs = []
    for g in range(0, len(vms), group):
        targets, n = vms[g:g + group], g // group
        jobs += [
            ProtectionJob(source="veeam", system=ProtectionSystem.VEEAM, id=f"j-r{n}", name=f"Replicate {n}",
                          kind=JobKind.REPLICATION, targets=targets, location="dr", last_result="success",
                          schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=EVERY),
                          retention=Retention(count=replicas)),
            ProtectionJob(source="veeam", system=ProtectionSystem.VEEAM, id=f"j-b{n}", name=f"Backup {n}",
                          kind=JobKind.BACKUP, targets=targets, location="repo", copy_locations=["vault"],
                          last_result="success",
                          schedule=DiscoveredSchedule(kind=ScheduleKind.DAILY, time="02:00"),
                          retention=Retention(count=backups))]
    instances = [node.runs_on.asset_name for node in plan.nodes if node.runs_on.instance is not None]
    if instances:
        jobs.append(ProtectionJob(source="aws", system=ProtectionSystem.DLM, id="policy-1", name=POLICY,
                                  targets=instances, kind=JobKind.SNAPSHOT, region=REGION, location=REGION,
                                  copy_locations=[COPY_REGION],
                                  schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=EVERY),
                                  retention=Retention(count=points - points // 2)))
    return jobs

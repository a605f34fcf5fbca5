"""A node's page: where it runs, its protection, restore points, 3-2-1, RTO and findings."""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.evaluate.models import CopyStanding, NodeEvidence, RpoEvidence, Status
from trondocs.plan.models import Node
from trondocs.render.svg import rpo_chart
from trondocs.render.website.data import Picture, SiteData
from trondocs.render.website.labels import (
    NO_VALUE,
    Badge,
    Tone,
    duration,
    link,
    rule_anchor,
    status_badge,
    when,
    within,
    yes_no,
)
from trondocs.render.website.records import result_badge
from trondocs.render.website.rows import FindingRow, finding_rows
from trondocs.wording import count_noun, loss_chance

RECENT_POINTS = 10


@dataclass(frozen=True)
class JobRow:
    protection: str  # the plan's name, or "not in the plan"
    kind: str
    job: str
    planned: str
    found: Badge
    schedule: str
    retention: str
    last_result: Badge
    last_run: str
    location: str


@dataclass(frozen=True)
class PointRow:
    created: str
    age: str
    kind: str
    location: str
    medium: str
    immutable: str
    encrypted: str
    job: str


@dataclass(frozen=True)
class ChainRow:
    protection: str
    kind: str
    location: str
    count: int
    newest: str
    age: str
    largest_gap: str
    expected: str


@dataclass(frozen=True)
class CopyRow:
    label: str
    kind: str
    site: str
    placement: str  # what the source reported
    medium: str
    offsite: str
    immutable: str
    encrypted: str
    failure_domain: str
    standing: str  # "yes", or why it does not count


@dataclass(frozen=True)
class SnapshotRow:
    name: str
    created: str
    age: str
    datastore: str
    quiesced: str


@dataclass(frozen=True)
class RunRow:
    source: str
    kind: str
    name: str
    started: str
    took: str
    result: Badge


@dataclass(frozen=True)
class NodePage:
    page: str
    title: str
    name: str
    role: str
    description: str
    status: Badge
    runbook_link: str
    where: list[tuple[str, str]]
    health: list[tuple[str, str]]
    objectives: list[tuple[str, str]]
    jobs: list[JobRow]
    rpo_badge: Badge
    rpo_facts: list[tuple[str, str]]
    chains: list[ChainRow]
    chart: Picture | None
    points: list[PointRow]
    points_total: int
    vm_snapshots: list[SnapshotRow]
    copies: list[CopyRow]
    copies_check: list[tuple[str, str, str, Badge]]  # what, required, found, badge
    loss_probability: str
    rto_badge: Badge
    rto_facts: list[tuple[str, str]]
    runs: list[RunRow]
    impact: list[tuple[str, str]]
    findings: list[FindingRow]  # everything that does not pass, worst first
    passing: list[tuple[str, str, str]]  # (rule, title, link) of the checks that pass
    pictures: list[Picture]


def _where(data: SiteData, node: Node) -> list[tuple[str, str]]:
    asset = data.asset(node)
    site = data.plan.site(node.runs_on.site)
    rows = [("Platform", node.runs_on.source.value),
            ("VM" if node.runs_on.vm else "Instance", node.runs_on.asset_name),
            ("Site", f"{site.name} — {site.location or site.region or site.role.value}"
             if site else NO_VALUE)]
    if asset is None:
        return [*rows, ("Found in the sources", "no — the collected state has no such VM/instance")]
    details = [("Power", asset.power_state), ("Host", asset.host), ("Cluster", asset.cluster),
               ("Datacenter", asset.datacenter), ("Datastores", ", ".join(asset.datastores) or None),
               ("Region", asset.region), ("Availability zone", asset.availability_zone),
               ("Account", asset.account), ("Instance type", asset.instance_type),
               ("Volumes", ", ".join(asset.volumes) or None)]
    return rows + [(k, v) for k, v in details if v]


def _health(data: SiteData, node: Node) -> list[tuple[str, str]]:
    status = data.node_status(node.name)
    rows = [("Endpoint", node.endpoint or NO_VALUE)]
    if status is None:
        return [*rows, ("Health", "not checked (no java-tron source for this node)")]
    if not status.reachable:
        return [*rows, ("Health", f"unreachable at {when(status.checked)}: {status.error or 'no answer'}")]
    facts = [("Checked", when(status.checked)), ("Head block", status.head_block),
             ("Network head", status.reference_head), ("Behind by", None if status.lag_blocks is None
                                                        else f"{status.lag_blocks} blocks"),
             ("Peers", status.peers), ("java-tron", status.version)]
    return rows + [(k, str(v)) for k, v in facts if v is not None]


def _jobs(data: SiteData, node: Node, evidence: NodeEvidence) -> list[JobRow]:
    """The jobs evaluation attributed to the node, as it matched them: never matched again here."""
    rows = []
    declared = {p.name: p for p in data.plan.protections_for(node)}
    for match in evidence.attribution.jobs:
        job = data.job_by_id(match.source, match.job_id) if match.found else None
        protection = declared.get(match.protection or "")
        if protection is None:
            rows.append(_job_row("not in the plan", match.kind, match.job, NO_VALUE, job))
            continue
        planned = f"every {duration(protection.every)}" if protection.every else protection.schedule or ""
        rows.append(_job_row(protection.name, match.kind, match.job, planned, job))
    return rows


def _job_row(protection: str, kind: str, name: str, planned: str, job) -> JobRow:
    if job is None:
        return JobRow(protection=protection, kind=kind, job=name, planned=planned,
                      found=Badge("not found", Tone.FAIL), schedule=NO_VALUE, retention=NO_VALUE,
                      last_result=Badge("unknown", Tone.UNKNOWN), last_run=NO_VALUE, location=NO_VALUE)
    schedule = NO_VALUE
    if job.schedule is not None:
        s = job.schedule
        words = (s.kind.value, " ".join(s.days), s.time or "", s.expression or "")
        schedule = f"every {duration(s.interval)}" if s.interval else " ".join(x for x in words if x)
    retention = NO_VALUE
    if job.retention is not None:
        retention = (count_noun(job.retention.count, "point") if job.retention.count is not None
                     else duration(job.retention.duration))
    return JobRow(protection=protection, kind=kind, job=name, planned=planned,
                  found=Badge("enabled", Tone.PASS) if job.enabled else Badge("disabled", Tone.FAIL),
                  schedule=schedule, retention=retention,
                  last_result=result_badge(job.last_result or "unknown"), last_run=when(job.last_run),
                  location=", ".join([job.location or NO_VALUE, *job.copy_locations]))


def _rpo(evidence: RpoEvidence) -> list[tuple[str, str]]:
    return [("Target", duration(evidence.target)), ("Newest restore point", when(evidence.newest)),
            ("Its age", duration(evidence.newest_age) if evidence.known else "unknown (a source failed)"),
            (f"Largest gap over {duration(evidence.window)}", duration(evidence.largest_gap))]


def node_page(data: SiteData, name: str) -> NodePage:
    node = data.plan.node(name)
    evidence: NodeEvidence | None = data.assessment.node(name)
    if node is None or evidence is None:
        raise KeyError(f"{name!r} is not a node of both the plan and the assessment")
    page = data.node_page(name)
    a = data.assessment
    objectives = data.plan.objectives_for(node)
    chart = None
    if evidence.rpo.known:
        path = f"assets/charts/rpo-{data.slugs[name]}.svg"
        chart = Picture(path=path, src=link(page, path),
                        svg=rpo_chart(evidence.rpo.points, target=evidence.rpo.target,
                                      start=a.as_of - evidence.rpo.window, end=a.as_of,
                                      title=f"{name}: age of the newest restore point"),
                        alt=f"Restore point age of {name} against its RPO")
    copies = evidence.copies
    policy = data.plan.three_two_one
    check = [("Independent copies", policy.copies, copies.independent_copies, "TRD401"),
             ("Media", policy.media, copies.media, "TRD402"),
             ("Offsite", policy.offsite, copies.offsite, "TRD403"),
             ("Immutable", policy.immutable, copies.immutable, "TRD404")]
    verdicts = {f.rule: f.status for f in data.findings_for(name)}  # the rules' verdicts, not re-judged
    rto = evidence.rto
    impact = []
    if evidence.impact is not None:
        i = evidence.impact
        impact = [("Elected SR (the chain's word)", yes_no(i.elected)),
                  ("Outage assumed (catch-up included)", duration(i.outage)),
                  ("Blocks at risk", str(i.blocks_at_risk)),
                  ("Chance of missing a slot", f"{i.miss_chance:.0%}"),
                  ("Standby takeover (worst case)", duration(i.takeover) if i.takeover else NO_VALUE),
                  ("Blocks at risk with the standby witness",
                   NO_VALUE if i.blocks_at_risk_with_standby is None else str(i.blocks_at_risk_with_standby))]
        view = next((v for v in data.assessment.witness.witnesses if v.node == name), None) \
            if data.assessment.witness else None
        if view is not None:
            impact += [("Backup mode (reported)", _reported(view)),
                       ("Backup mode (declared)", _declared(view))]
    return NodePage(
        page=page, title=name, name=name, role=node.role.value + (f" (priority {node.priority})"
                                                                  if node.priority else ""),
        description=node.description or "", status=status_badge(evidence.status),
        runbook_link=link(page, data.runbook_page(name)), where=_where(data, node),
        health=_health(data, node),
        objectives=[("RPO", duration(objectives.rpo)), ("RTO", duration(objectives.rto)),
                    ("DR test every", duration(objectives.test_every)),
                    ("Max sync lag", f"{objectives.max_sync_lag} blocks")],
        jobs=_jobs(data, node, evidence),
        rpo_badge=within(evidence.rpo.newest_age, evidence.rpo.target, evidence.rpo.known),
        rpo_facts=_rpo(evidence.rpo),
        chains=[ChainRow(protection=c.protection, kind=c.kind, location=c.location or NO_VALUE,
                         count=c.count, newest=when(c.newest), age=duration(c.newest_age),
                         largest_gap=duration(c.largest_gap), expected=duration(c.expected_interval))
                for c in evidence.rpo.per_protection],
        chart=chart,
        points=[PointRow(created=when(p.created), age=duration(a.as_of - p.created), kind=p.kind,
                         location=p.site or p.placement or NO_VALUE, medium=p.medium or NO_VALUE,
                         immutable=yes_no(p.immutable), encrypted=yes_no(p.encrypted), job=p.job or NO_VALUE)
                for p in evidence.attribution.recent_points],
        points_total=evidence.attribution.points_total,
        vm_snapshots=[SnapshotRow(name=s.name or s.id, created=when(s.created), age=duration(s.age),
                                  datastore=s.datastore or NO_VALUE, quiesced=yes_no(s.quiesced))
                      for s in evidence.attribution.vm_snapshots],
        copies=[CopyRow(label=c.label, kind=c.kind, site=c.site or "unplaced",
                        placement=c.placement or NO_VALUE,
                        medium=c.medium or NO_VALUE, offsite=yes_no(c.offsite), immutable=yes_no(c.immutable),
                        encrypted=yes_no(c.encrypted), failure_domain=c.failure_domain,
                        standing="yes" if c.standing is CopyStanding.COUNTED else f"no: {c.why}")
                for c in copies.copies],
        copies_check=[(what, str(need), str(have),
                       status_badge(verdicts[rule]) if rule in verdicts else Badge(NO_VALUE, Tone.NEUTRAL))
                      for what, need, have, rule in check],
        loss_probability=loss_chance(copies.loss_probability),
        rto_badge=within(rto.latest, rto.target),
        rto_facts=[("Target", duration(rto.target)), ("Latest measured", duration(rto.latest)),
                   ("Worst measured", duration(rto.worst)), ("Last test", when(rto.last_test)),
                   ("Next test due", when(rto.next_test_due))],
        runs=[RunRow(source=r.source, kind=r.kind.replace("_", " "), name=r.name or r.plan or NO_VALUE,
                     started=when(r.started), took=duration(r.duration), result=result_badge(r.result))
              for r in rto.runs],
        impact=impact,
        findings=finding_rows(data, page, [f for f in data.findings_for(name) if f.status != Status.PASS]),
        passing=[(f.rule, f.title, link(page, "rules.md", rule_anchor(f.rule)))
                 for f in data.findings_for(name) if f.status == Status.PASS],
        pictures=[chart] if chart else [],
    )


def _reported(view) -> str:
    if view.observed_port is None:
        return NO_VALUE
    state = {True: "MASTER", False: "not MASTER", None: "status not read"}[view.master]
    return (f"port {view.observed_port}, {view.observed_members} members, "
            f"priority {view.observed_priority}, {state}")


def _declared(view) -> str:
    if view.declared_port is None:
        return NO_VALUE
    members = ", ".join(view.declared_members) or "no members"
    keep = f", keep-alive {duration(view.keep_alive)}" if view.keep_alive else ""
    return f"port {view.declared_port}, members {members}, priority {view.declared_priority}{keep}"

"""The Plan page: organisation, sites, nodes, protection, dependencies and failover plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trondocs.plan.models import DEFAULT_OBJECTIVES, FailoverPlan, Objectives
from trondocs.render.svg import BootStepView, GraphNode, boot_order, dependency_graph
from trondocs.render.website.data import Picture, SiteData
from trondocs.render.website.labels import NO_VALUE, Badge, Tone, duration, link, status_badge, yes_no

DEPENDENCY_SVG = "assets/diagrams/dependencies.svg"


@dataclass(frozen=True)
class SiteRow:
    name: str
    role: str
    media: str
    where: str
    account: str
    immutable: str
    encrypted: str


@dataclass(frozen=True)
class PlanNodeRow:
    name: str
    link: str
    role: str
    priority: str
    runs_on: str
    site: str
    endpoint: str
    depends_on: str
    rpo: str
    rto: str
    status: Badge


@dataclass(frozen=True)
class ProtectionRow:
    name: str
    kind: str
    system: str
    source_name: str
    covers: list[tuple[str, str]]  # (node, link)
    timing: str
    keep: str
    to: str
    copy_to: str


@dataclass(frozen=True)
class BootRow:
    order: int
    node: str
    link: str | None
    vm: str
    starts_at: str
    delay: str


@dataclass(frozen=True)
class FailoverPlanView:
    name: str
    system: str
    to: str
    picture: Picture
    steps: list[BootRow]
    total_delay: str


@dataclass(frozen=True)
class PlanPage:
    page: str
    title: str
    organization: str
    sr_address: str
    contact: str
    website: str
    elected: str
    defaults: list[tuple[str, str]]
    three_two_one: list[tuple[str, str]]
    sites: list[SiteRow]
    nodes: list[PlanNodeRow]
    protection: list[ProtectionRow]
    dependencies: Picture
    failover_plans: list[FailoverPlanView]
    pictures: list[Picture]


def _failover_plan(data: SiteData, page: str, plan: FailoverPlan) -> FailoverPlanView:
    rows, steps, offset = [], [], dt.timedelta(0)
    for index, step in enumerate(plan.boot):
        node = data.plan.node(step.node)
        vm = node.runs_on.asset_name if node else step.node
        replicas = data.replicas(node) if node else []
        started = replicas[0].name if replicas else vm
        evidence = data.assessment.node(step.node)
        rows.append(BootRow(order=index + 1, node=step.node, link=data.node_link(page, step.node),
                            vm=started, starts_at=f"+{duration(offset)}", delay=duration(step.delay)))
        steps.append(BootStepView(name=step.node, delay=step.delay, caption=started,
                                  tone=status_badge(evidence.status).tone if evidence else Tone.NEUTRAL))
        offset += step.delay
    path = f"assets/diagrams/boot-{data.slug_for_plan(plan.name)}.svg"
    picture = Picture(path=path, src=link(page, path),
                      svg=boot_order(steps, title=f"Boot order of {plan.name}"),
                      alt=f"Boot order of {plan.name}")
    return FailoverPlanView(name=plan.name, system=plan.system.value, to=plan.to or NO_VALUE,
                            picture=picture, steps=rows, total_delay=duration(offset))


def plan_page(data: SiteData) -> PlanPage:
    page = "plan.md"
    plan = data.plan
    org = plan.organization
    objectives = Objectives(**{k: getattr(plan.objectives, k) if getattr(plan.objectives, k) is not None
                               else getattr(DEFAULT_OBJECTIVES, k) for k in Objectives.model_fields})
    sites = [SiteRow(name=s.name, role=s.role.value, media=s.media.value,
                     where=s.location or s.region or NO_VALUE, account=s.account or NO_VALUE,
                     immutable=yes_no(s.immutable), encrypted=yes_no(s.encrypted)) for s in plan.sites]
    nodes = []
    graph_nodes, edges = [], []
    for node in plan.nodes:
        target = plan.objectives_for(node)
        evidence = data.assessment.node(node.name)
        status = status_badge(evidence.status) if evidence else Badge("UNKNOWN", Tone.UNKNOWN)
        nodes.append(PlanNodeRow(
            name=node.name, link=data.node_link(page, node.name) or "", role=node.role.value,
            priority=str(node.priority) if node.priority else NO_VALUE,
            runs_on=f"{node.runs_on.source.value}: {node.runs_on.asset_name}",
            site=node.runs_on.site or node.runs_on.region or NO_VALUE, endpoint=node.endpoint or NO_VALUE,
            depends_on=", ".join(node.depends_on) or NO_VALUE, rpo=duration(target.rpo),
            rto=duration(target.rto), status=status,
        ))
        caption = f"{node.role.value} · {node.runs_on.site or node.runs_on.source.value}"
        graph_nodes.append(GraphNode(node.name, caption, status.tone))
        edges.extend((node.name, dep) for dep in node.depends_on)
    protection = [ProtectionRow(
        name=p.name, kind=p.kind.value, system=p.system.value, source_name=p.source_name,
        covers=[(n, data.node_link(page, n) or "") for n in p.covers],
        timing=f"every {duration(p.every)}" if p.every else (p.schedule or NO_VALUE),
        keep=str(p.keep) if p.keep else NO_VALUE, to=p.to or NO_VALUE,
        copy_to=p.copy_to or p.copy_to_region or NO_VALUE,
    ) for p in plan.protection]
    dependencies = Picture(path=DEPENDENCY_SVG, src=link(page, DEPENDENCY_SVG),
                           svg=dependency_graph(graph_nodes, edges), alt="Dependency graph of the nodes")
    failover = [_failover_plan(data, page, fp) for fp in plan.failover_plans]
    policy = plan.three_two_one
    return PlanPage(
        page=page, title="Plan", organization=org.name, sr_address=org.sr_address,
        contact=org.contact or NO_VALUE, website=org.website or NO_VALUE,
        elected="yes — one of the 27 producing SRs" if org.elected else "no (candidate)",
        defaults=[("RPO", duration(objectives.rpo)), ("RTO", duration(objectives.rto)),
                  ("DR test every", duration(objectives.test_every)),
                  ("Max sync lag", f"{objectives.max_sync_lag} blocks"
                   if objectives.max_sync_lag is not None else NO_VALUE)],
        three_two_one=[("Copies", str(policy.copies)), ("Media", str(policy.media)),
                       ("Offsite", str(policy.offsite)), ("Immutable", str(policy.immutable))],
        sites=sites, nodes=nodes, protection=protection, dependencies=dependencies,
        failover_plans=failover, pictures=[dependencies, *(f.picture for f in failover)],
    )

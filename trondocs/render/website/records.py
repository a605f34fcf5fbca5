"""The DR tests page: drills from the plan, recovery runs from the sources, next due dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trondocs.render.website.data import SiteData
from trondocs.render.website.labels import NO_VALUE, Badge, Tone, duration, when, within

DUE_SOON = dt.timedelta(days=14)
RESULT_TONES = {"success": Tone.PASS, "partial": Tone.WAIVED, "warning": Tone.WAIVED, "failed": Tone.FAIL}


def result_badge(result: str) -> Badge:
    return Badge(result, RESULT_TONES.get(result.lower(), Tone.UNKNOWN))


@dataclass(frozen=True)
class DrillRow:
    started: str
    subject: str
    link: str | None
    scenario: str
    took: str
    result: Badge
    by: str
    notes: str


@dataclass(frozen=True)
class RunRow:
    started: str
    kind: str
    name: str
    assets: str
    took: str
    result: Badge
    source: str


@dataclass(frozen=True)
class DueRow:
    node: str
    link: str | None
    every: str
    last_test: str
    next_due: str
    state: Badge


@dataclass(frozen=True)
class PlanTestRow:
    """A failover plan's own RTO evidence: its drills and matching recovery runs."""

    name: str
    target: str
    latest: Badge
    latest_text: str
    worst: str
    last_test: str
    next_due: str
    state: Badge


@dataclass(frozen=True)
class DrillsPage:
    page: str
    title: str
    drills: list[DrillRow]
    runs: list[RunRow]
    due: list[DueRow]
    plans: list[PlanTestRow]
    overdue: int


def _due_state(next_due: dt.datetime | None, as_of: dt.datetime) -> Badge:
    if next_due is None:
        return Badge("never tested", Tone.FAIL)  # no test on record is as bad as an overdue one
    if next_due < as_of:
        return Badge(f"OVERDUE by {duration(as_of - next_due)}", Tone.FAIL)
    if next_due - as_of <= DUE_SOON:
        return Badge("due soon", Tone.WAIVED)
    return Badge("on schedule", Tone.PASS)


def drills_page(data: SiteData) -> DrillsPage:
    page = "drills.md"
    drills = []
    for drill in sorted(data.plan.drills, key=lambda d: (d.started, d.scenario), reverse=True):
        subject = drill.node or drill.plan or NO_VALUE
        drills.append(DrillRow(
            started=when(drill.started), subject=subject,
            link=data.node_link(page, drill.node) if drill.node else data_plan_link(data, drill.plan),
            scenario=drill.scenario, took=duration(drill.duration), result=result_badge(drill.result.value),
            by=drill.by or NO_VALUE, notes=drill.notes or "",
        ))
    runs = [RunRow(started=when(r.started), kind=str(getattr(r.kind, "value", r.kind)).replace("_", " "),
                   name=r.name or r.plan or NO_VALUE, assets=", ".join(r.assets) or NO_VALUE,
                   took=duration(r.duration), result=result_badge(r.result), source=r.source)
            for r in sorted(data.state.recovery_runs, key=lambda r: (r.started, r.id), reverse=True)]
    as_of = data.assessment.as_of
    due = []
    for evidence in data.assessment.nodes:
        node = data.plan.node(evidence.node)
        every = data.plan.objectives_for(node).test_every if node else None
        due.append(DueRow(node=evidence.node, link=data.node_link(page, evidence.node), every=duration(every),
                          last_test=when(evidence.rto.last_test), next_due=when(evidence.rto.next_test_due),
                          state=_due_state(evidence.rto.next_test_due, as_of)))
    plans = [PlanTestRow(name=p.name, target=duration(p.target), latest=within(p.latest, p.target),
                         latest_text=duration(p.latest), worst=duration(p.worst), last_test=when(p.last_test),
                         next_due=when(p.next_test_due), state=_due_state(p.next_test_due, as_of))
             for p in data.assessment.failover_plans]
    return DrillsPage(page=page, title="DR tests", drills=drills, runs=runs, due=due, plans=plans,
                      overdue=sum(1 for d in due if d.state.tone is Tone.FAIL))


def data_plan_link(data: SiteData, plan_name: str | None) -> str | None:
    """Failover plans are described on the Plan page."""
    if plan_name and any(p.name == plan_name for p in data.plan.failover_plans):
        return "plan.md#failover-plans"
    return None

"""Findings, waivers, DR test history, methodology and the appendix's full evidence tables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Container

from trondocs.evaluate.models import Assessment, Finding, Status
from trondocs.plan.models import DrillResult, Plan
from trondocs.render.report.formatting import day, plain_duration, when
from trondocs.render.report.model import FindingGroup, Methodology, Row, Source, Table
from trondocs.state.models import SUCCEEDED_RESULTS, State
from trondocs.tron import (
    BACKUP_DEFAULT_KEEP_ALIVE_MS,
    BLOCK_INTERVAL_SECONDS,
    SLOT_CYCLE_SECONDS,
    SOLIDIFIED_DEPTH,
    blocks_at_risk,
    takeover_seconds,
)


def _waiver_text(finding: Finding) -> str:
    if finding.waiver is None:
        return ""
    return f"{finding.waiver.reason} (until {day(finding.waiver.expires)})"


def findings_table(assessment: Assessment) -> Table:
    """Every result that did not pass, worst first (the assessment's order)."""
    rows = [
        Row(
            cells=[
                f.rule,
                f.severity.value,
                f.status.value,
                f.node or "whole plan",
                f.title,
                f.message,
                f.remediation if f.status is not Status.WAIVED else _waiver_text(f),
            ],
            status=f.status,
        )
        for f in assessment.findings
        if f.status is not Status.PASS
    ]
    return Table(
        headers=["Rule", "Severity", "Status", "Node", "Title", "What was found", "What to do / waiver"],
        rows=rows,
        empty="Every check passed.",
    )


def finding_groups(assessment: Assessment) -> list[FindingGroup]:
    """Every result that did not pass, grouped by rule and status in the assessment's (worst
    first) order: at 500 nodes the one-row-per-finding table repeated each rule's title and
    remedy some 300 times over 25 pages."""
    grouped: dict[tuple[str, Status], list[Finding]] = {}
    for f in assessment.findings:
        if f.status is not Status.PASS:
            grouped.setdefault((f.rule, f.status), []).append(f)
    groups = []
    for (rule, status), found in grouped.items():
        waived = status is Status.WAIVED
        first = found[0]
        groups.append(FindingGroup(
            rule=rule, title=first.title, severity=first.severity.value, status=status,
            remediation="" if waived else first.remediation,
            table=Table(
                headers=["Node", "What was found", *(["Waiver"] if waived else [])],
                rows=[Row(cells=[f.node or "whole plan", f.message, *([_waiver_text(f)] if waived else [])])
                      for f in found],
            ),
        ))
    return groups


def waivers_table(plan: Plan, assessment: Assessment) -> Table:
    """The plan's waivers, with reason and expiry, and whether one is in use or has lapsed."""
    used = {(f.rule, f.node) for f in assessment.findings if f.status is Status.WAIVED}
    today = assessment.as_of.date()
    rows = []
    for waiver in plan.waivers:
        expired = waiver.expires < today
        in_use = (waiver.rule, waiver.node) in used or (
            waiver.node is None and any(rule == waiver.rule for rule, _ in used)
        )
        state = "expired" if expired else ("covers a failing check" if in_use else "nothing to cover")
        rows.append(
            Row(
                cells=[
                    waiver.rule,
                    waiver.node or "every node",
                    waiver.reason,
                    day(waiver.expires),
                    waiver.approved_by or "—",
                    state,
                ],
                status=Status.FAIL if expired else (Status.WAIVED if in_use else None),
            )
        )
    return Table(
        headers=["Rule", "Node", "Reason", "Expires", "Approved by", "State"],
        rows=rows,
        empty="The plan has no waivers.",
    )


def resolved_table(assessment: Assessment) -> Table:
    rows = [Row(cells=[f.rule, f.node or "whole plan", f.title], status=Status.PASS)
            for f in assessment.resolved]
    return Table(
        headers=["Rule", "Node", "Resolved finding"],
        rows=rows,
        empty="No baseline to compare with."
        if assessment.baseline_at is None
        else "Nothing was resolved since the previous assessment.",
    )


NAMES_SHOWN = 8  # a test of a whole job names its first nodes and counts the others


def _names(nodes: list[str]) -> str:
    if len(nodes) <= NAMES_SHOWN:
        return ", ".join(nodes)
    return ", ".join(nodes[:NAMES_SHOWN]) + f" and {len(nodes) - NAMES_SHOWN} more nodes"


def tests_table(plan: Plan, assessment: Assessment) -> Table:
    """DR tests recorded in the plan, then recovery runs the sources recorded, newest first."""
    entries: list[tuple[dt.datetime, Row]] = []
    for drill in plan.drills:
        entries.append(
            (
                drill.started,
                Row(
                    cells=[
                        when(drill.started),
                        drill.scenario,
                        drill.plan or drill.node or "—",
                        "plan (DR test)",
                        plain_duration(drill.duration),
                        drill.result.value,
                        " · ".join(x for x in (drill.notes, drill.by and f"by {drill.by}") if x) or "—",
                    ],
                    status=Status.FAIL if drill.result is DrillResult.FAILED else None,
                ),
            )
        )
    covered: dict[tuple, list[str]] = {}  # each recorded run → the nodes it covers (one pass)
    first: dict[tuple, object] = {}
    for node in assessment.nodes:
        for run in node.rto.runs:
            key = (run.source, run.kind, run.name, run.started)
            if run.source == "drill":
                continue
            names = covered.setdefault(key, [])
            if not names or names[-1] != node.node:
                names.append(node.node)
            first.setdefault(key, run)
    for key, run in first.items():
        nodes = covered[key]
        entries.append(
            (
                run.started,
                Row(
                    cells=[
                        when(run.started),
                        run.name or run.kind,
                        run.plan or _names(nodes),
                        run.source,
                        plain_duration(run.duration),
                        run.result,
                        f"covers {_names(nodes)}",
                    ],
                    status=Status.FAIL if run.result not in SUCCEEDED_RESULTS else None,
                ),
            )
        )
    entries.sort(key=lambda e: e[0], reverse=True)
    return Table(
        headers=["Started", "Test", "Subject", "Recorded by", "Duration", "Result", "Notes"],
        rows=[row for _, row in entries],
        empty="No DR test has ever been recorded.",
    )


def methodology(plan: Plan, state: State, assessment: Assessment,
                only: Container[str] | None = None) -> Methodology:
    """``only``: the nodes with their own objectives row (None: every node); the others are
    counted in one row per role and set of objectives ("other" when some have their own row)."""
    runs = {run.name: run for run in state.collection.sources}
    sources = []
    for source in assessment.sources:
        run = runs.get(source.name)
        detail = f"{run.api_calls} API calls, {run.objects} objects" if run else ""
        if run:
            failed = [s.scope for s in run.scopes if not s.ok]
            if failed:
                detail += f"; failed parts: {', '.join(failed)}"
        if source.error:
            detail = f"failed: {source.error}" + (f" ({detail})" if detail else "")
        sources.append(
            Source(
                name=source.name,
                type=source.type,
                ok=source.ok,
                read_at=when(source.finished or (run.finished if run else None)),
                detail=detail,
            )
        )
    unknown = Table(
        headers=["Rule", "Node", "Why it is unknown"],
        rows=[
            Row(cells=[f.rule, f.node or "whole plan", f.message], status=Status.UNKNOWN)
            for f in assessment.findings
            if f.status is Status.UNKNOWN
        ],
        empty="Nothing was unknown: every check had the evidence it needed.",
    )
    objectives = []
    grouped: dict[tuple, int] = {}
    for node in plan.nodes:
        goal = plan.objectives_for(node)
        cells = [
            node.role.value,
            plain_duration(goal.rpo),
            plain_duration(goal.rto),
            plain_duration(goal.test_every, parts=1),
            str(goal.max_sync_lag) if goal.max_sync_lag is not None else "—",
        ]
        if only is None or node.name in only:
            objectives.append(Row(cells=[node.name, *cells]))
        else:
            grouped[tuple(cells)] = grouped.get(tuple(cells), 0) + 1
    other = " other" if objectives else ""
    for cells, count in grouped.items():
        objectives.append(Row(cells=[f"{count}{other} {cells[0]} node{'' if count == 1 else 's'}", *cells]))
    window = max((n.rpo.window for n in assessment.nodes), default=dt.timedelta(days=7))
    return Methodology(
        sources=sources,
        unknown=unknown,
        objectives=Table(
            headers=["Node", "Role", "RPO target", "RTO target", "Test every", "Max sync lag"],
            rows=objectives,
        ),
        window=plain_duration(window),
        block_interval=BLOCK_INTERVAL_SECONDS,
        slot_cycle=SLOT_CYCLE_SECONDS,
        **_takeover(assessment),
        solidified_depth=SOLIDIFIED_DEPTH,
    )


def _takeover(assessment: Assessment) -> dict:
    """The takeover the evaluation derived (the standby's keepAliveInterval), and the worked example."""
    standby = assessment.witness.standby if assessment.witness else None
    if standby is not None:
        shortest = standby.takeover_shortest.total_seconds()
        longest = standby.takeover_longest.total_seconds()
        keep_alive = standby.keep_alive.total_seconds()
    else:
        shortest, longest = takeover_seconds()
        keep_alive = BACKUP_DEFAULT_KEEP_ALIVE_MS / 1000
    # The worked example: an elected SR's only witness failed over to its 15-minute replica in
    # 3 minutes, then at most 5 minutes to sync with the network.
    example = 3 * 60 + 5 * 60
    return dict(takeover=int(longest), takeover_shortest=int(shortest), keep_alive=f"{keep_alive:g}",
                takeover_blocks=blocks_at_risk(longest), example_outage=example // 60,
                example_blocks=blocks_at_risk(example))

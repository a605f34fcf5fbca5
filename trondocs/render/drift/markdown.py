"""markdown: a pull-request comment or $GITHUB_STEP_SUMMARY — verdict and counts first, details folded."""

from __future__ import annotations

from trondocs.durations import format_duration
from trondocs.evaluate.models import Assessment, Change, Finding, NodeEvidence, Status
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    counts,
    place,
    plan_uri,
    prose,
    shown,
    shown_time,
    subject_label,
    waiver_text,
)
from trondocs.render.drift.grouping import one_line as reason_line
from trondocs.render.drift.grouping import rules_text, unknown_causes
from trondocs.render.escape import markdown_code, markdown_text
from trondocs.wording import count_noun

MEDIA_TYPE = "text/markdown"
SUFFIX = ".md"
# GitHub refuses comments over 65,536 characters; long tables are cut with a note well before that.
MAX_ROWS = 150

VERDICT = {"ready": "✅ Ready", "at-risk": "⚠️ At risk", "not-ready": "❌ Not ready"}
STATUS = {Status.FAIL: "❌ fail", Status.UNKNOWN: "❔ unknown", Status.WAIVED: "💤 waived",
          Status.PASS: "✅ pass"}


def cell(text: object) -> str:
    """Text safe inside a table cell: Markdown and HTML neutralised (no live link), lines kept as <br>."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return "<br>".join(markdown_text(line, gfm=True) for line in lines if line.strip())


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n_{len(rows) - MAX_ROWS} more rows not shown: see the JSON output._")
    return lines


def _where(finding: Finding, options: RenderOptions) -> str:
    location = place(finding, options)
    return "" if location is None else f"`{markdown_code(plan_uri(location, options.root))}:{location.line}`"


def _finding_row(finding: Finding, options: RenderOptions) -> list[str]:
    message = cell(finding.message)
    if finding.status is Status.WAIVED:
        message += f"<br>_{cell(waiver_text(finding))}_"
    new = " 🆕" if finding.change is Change.NEW else ""
    return [STATUS[finding.status] + new, finding.severity.value, f"`{finding.rule}`",
            cell(subject_label(finding)), message, _where(finding, options)]


def _node_row(node: NodeEvidence) -> list[str]:
    rpo = node.rpo
    age = format_duration(rpo.newest_age) if rpo.known else "unknown"
    copies = node.copies
    impact = node.impact
    blocks = "—" if impact is None else str(impact.blocks_at_risk) + (
        f" ({impact.blocks_at_risk_with_standby} with standby)"
        if impact.blocks_at_risk_with_standby is not None else "")
    return [cell(node.node), node.role, STATUS[node.status], f"{age} / {format_duration(rpo.target)}",
            f"{format_duration(node.rto.worst)} / {format_duration(node.rto.target)}",
            f"{count_noun(copies.independent_copies, 'copy')}, {count_noun(copies.media, 'medium')}, "
            f"{copies.offsite} offsite", blocks]


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    c = counts(assessment)
    compared = f" · compared with {shown_time(assessment.baseline_at)}" if assessment.baseline_at else ""
    lines = [f"## trondocs drift: {VERDICT[assessment.verdict.value]}", "",
             f"**{cell(assessment.organization)}** · as of {shown_time(assessment.as_of)}{compared}", ""]
    severities = ", ".join(f"{n} {sev}" for sev, n in c.failing_by_severity.items() if n) or "none"
    lines += table(["Failing", "Unknown", "Waived", "Passing", "New", "Resolved"],
                   [[f"**{c.by_status[Status.FAIL]}** ({severities})", str(c.by_status[Status.UNKNOWN]),
                     str(c.by_status[Status.WAIVED]), str(c.by_status[Status.PASS]), str(c.new),
                     str(c.resolved)]])
    header = ["Status", "Severity", "Rule", "Node", "Finding", "Plan"]
    failing = [f for f in shown(assessment.findings) if f.status is Status.FAIL]
    lines += ["", "### Failing findings", ""]
    lines += table(header, [_finding_row(f, options) for f in failing]) if failing else ["None."]
    causes = unknown_causes(assessment)
    if causes:  # one row per failed source or scope, not one per check it left unknown
        lines += ["", f"<details><summary>Unknown: {count_noun(c.by_status[Status.UNKNOWN], 'check')} "
                      "without evidence, by cause</summary>", ""]
        rows = [[str(len(cause.findings)), cell(cause.label), cell(rules_text(cause))] for cause in causes]
        lines += [*table(["Checks", "Cause", "Rules"], rows), "",
                  "_Every finding with its full message: the JSON output._", "", "</details>"]
    others = [f for f in shown(assessment.findings) if f.status is Status.WAIVED]
    if others:
        lines += ["", f"<details><summary>Waived findings ({len(others)})</summary>", ""]
        lines += [*table(header, [_finding_row(f, options) for f in others]), "", "</details>"]
    new = assessment.new_findings()
    if assessment.baseline_at is not None:
        lines += ["", f"<details><summary>Since the baseline: {assessment.summary.new} new, "
                      f"{assessment.summary.resolved} resolved</summary>", ""]
        changes = [["🆕 new", f"`{f.rule}`", cell(subject_label(f)), cell(f.message)] for f in new]
        changes += [["✔️ resolved", f"`{f.rule}`", cell(subject_label(f)), cell(f.title)]
                    for f in assessment.resolved]
        lines += (table(["Change", "Rule", "Node", "Finding"], changes) if changes else ["No change."])
        lines += ["", "</details>"]
    if failing:
        lines += ["", "<details><summary>How to fix the failing findings</summary>", ""]
        for rule in sorted({(f.rule, f.title, prose(f.remediation)) for f in failing}):
            lines.append(f"- **{rule[0]} {cell(rule[1])}** — {cell(rule[2]) or 'see the rule documentation'}")
        lines += ["", "</details>"]
    if assessment.nodes:
        lines += ["", "<details><summary>Evidence per node</summary>", ""]
        rows = [_node_row(n) for n in sorted(assessment.nodes, key=lambda n: n.node)]
        lines += table(["Node", "Role", "Status", "RPO age / target", "RTO worst / target", "3-2-1",
                        "Blocks at risk"], rows)
        lines += ["", "</details>"]
    failed_sources = [s for s in assessment.sources if not s.ok]
    if failed_sources:
        lines += ["", "**Sources not read** (their checks are unknown): "
                  + "; ".join(f"{cell(s.name)}: {cell(reason_line(s.error or 'failed'))}"
                              for s in failed_sources)]
    return "\n".join(lines) + "\n"

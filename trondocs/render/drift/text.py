"""text: a table for a terminal, worst first, the summary line last."""

from __future__ import annotations

from trondocs.evaluate.models import Assessment, Change, Finding, Status
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    shown,
    subject_label,
    summary_line,
    waiver_text,
)
from trondocs.render.drift.grouping import one_line as reason_line
from trondocs.render.drift.grouping import unknown_lines
from trondocs.render.escape import no_commands, one_line

MEDIA_TYPE = "text/plain"
SUFFIX = ".txt"

_RESET = "\033[0m"
_STATUS_COLOR = {Status.FAIL: "\033[1;31m", Status.UNKNOWN: "\033[1;33m", Status.WAIVED: "\033[36m",
                 Status.PASS: "\033[32m"}
_SEVERITY_COLOR = {"critical": "\033[1;35m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[2m"}
_VERDICT_COLOR = {"ready": "\033[1;32m", "at-risk": "\033[1;33m", "not-ready": "\033[1;31m"}
HEADER = ("STATUS", "SEVERITY", "RULE", "NODE", "MESSAGE")


def _row(finding: Finding) -> tuple[str, str, str, str, str]:
    message = one_line(finding.message)  # one row per finding, whatever the message holds
    if finding.status is Status.WAIVED and finding.waiver is not None:
        message += f" [{one_line(waiver_text(finding))}]"
    if finding.change is Change.NEW:
        message = "NEW " + message
    return (finding.status.value.upper(), finding.severity.value, finding.rule,
            one_line(subject_label(finding)), message)


def _paint(text: str, code: str | None, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color and code else text


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    # UNKNOWN findings are listed by cause below the table, once per failed source or scope
    findings = [f for f in shown(assessment.findings) if f.status is not Status.UNKNOWN]
    organization = one_line(assessment.organization)
    lines = [f"trondocs drift — {organization} — as of {assessment.as_of:%Y-%m-%d %H:%M} UTC", ""]
    if findings:
        rows = [_row(f) for f in findings]
        widths = [max(len(HEADER[i]), *(len(r[i]) for r in rows)) for i in range(4)]
        heading = [h.ljust(w) for h, w in zip(HEADER[:4], widths, strict=True)]
        lines.append("  ".join([*heading, HEADER[4]]))
        for finding, row in zip(findings, rows, strict=True):
            cells = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            cells[0] = _paint(cells[0], _STATUS_COLOR[finding.status], options.color)
            cells[1] = _paint(cells[1], _SEVERITY_COLOR[finding.severity.value], options.color)
            lines.append("  ".join([*cells, row[4]]).rstrip())
    elif not assessment.summary.count(Status.UNKNOWN):
        lines.append("No failing, unknown or waived findings.")
    else:
        lines.append("No failing or waived findings.")
    lines += unknown_lines(assessment)
    if assessment.resolved:
        lines += ["", f"Resolved since the baseline ({len(assessment.resolved)}):"]
        lines += [f"  {f.rule}  {one_line(subject_label(f))}  {one_line(f.title)}"
                  for f in assessment.resolved]
    failed_sources = [s for s in assessment.sources if not s.ok]
    if failed_sources:
        lines += ["", "Sources that could not be read (their checks are UNKNOWN):"]
        lines += [f"  {one_line(s.name)} ({one_line(s.type)}): {reason_line(s.error or 'failed')}"
                  for s in failed_sources]
    summary = summary_line(assessment)
    verdict, rest = summary.split(":", 1)
    lines += ["", _paint(verdict, _VERDICT_COLOR.get(verdict), options.color) + ":" + rest]
    return no_commands("\n".join(lines)) + "\n"

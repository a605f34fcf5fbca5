"""What every drift format shares: options, ordering, counts, and how times and places are spelled."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trondocs.diagnostics import Location
from trondocs.evaluate.models import Assessment, Finding, RuleInfo, Severity, Status

# Worst first: a failure outranks missing evidence, which outranks an accepted (waived) risk.
STATUS_ORDER = {Status.FAIL: 0, Status.UNKNOWN: 1, Status.WAIVED: 2, Status.PASS: 3}


@dataclass(frozen=True)
class RenderOptions:
    """How to render; the same options reach every format, each uses what it needs."""

    color: bool = False  # text: ANSI colours
    root: Path | None = None  # plan files are shown relative to this folder (the repository root)
    fallback_location: Location | None = None  # where plan-wide findings without a place point
    tool_version: str = ""


DEFAULT_OPTIONS = RenderOptions()

def ordered(findings: list[Finding]) -> list[Finding]:
    """Worst first (status, then severity), then by rule, node and subject: a stable order."""
    return sorted(findings, key=lambda f: (STATUS_ORDER[f.status], -f.severity.rank, f.rule,
                                           f.node or "", f.subject or "", f.message))


def shown(findings: list[Finding]) -> list[Finding]:
    """The findings an operator must see: everything but PASS, worst first."""
    return ordered([f for f in findings if f.status is not Status.PASS])


@dataclass(frozen=True)
class Counts:
    by_status: dict[Status, int]
    failing_by_severity: dict[Severity, int]  # critical first
    total: int
    new: int
    resolved: int


def counts(assessment: Assessment) -> Counts:
    """The assessment's own summary: evaluation counts once, every output shows the same."""
    summary = assessment.summary
    by_status = {s: summary.count(s) for s in Status}
    failing = {s: summary.failing(s) for s in reversed(Severity)}
    return Counts(by_status=by_status, failing_by_severity=failing, total=summary.total,
                  new=summary.new, resolved=summary.resolved)


def summary_line(assessment: Assessment) -> str:
    """One line: verdict, failing by severity, unknown, waived, passing, change since baseline."""
    c = counts(assessment)
    failing = c.by_status[Status.FAIL]
    parts = [f"{failing} failing"]
    by_severity = [f"{n} {sev}" for sev, n in c.failing_by_severity.items() if n]
    if by_severity:
        parts[0] += f" ({', '.join(by_severity)})"
    parts += [f"{c.by_status[Status.UNKNOWN]} unknown", f"{c.by_status[Status.WAIVED]} waived",
              f"{c.by_status[Status.PASS]} passing"]
    line = f"{assessment.verdict.value}: " + ", ".join(parts)
    if assessment.baseline_at is not None:
        line += f"; since {shown_time(assessment.baseline_at)}: {c.new} new, {c.resolved} resolved"
    return line + f" (as of {shown_time(assessment.as_of)})"


def rule_table(assessment: Assessment) -> list[RuleInfo]:
    """Rule metadata: the catalogue carried by the assessment, else what the findings say."""
    rules = {r.id: r for r in assessment.rules}
    for finding in [*assessment.findings, *assessment.resolved]:
        if finding.rule not in rules:
            rules[finding.rule] = RuleInfo(
                id=finding.rule, title=finding.title, family=finding.rule[:4] + "xx",
                severity=finding.severity, rationale=finding.title, remediation=finding.remediation)
    return sorted(rules.values(), key=lambda r: r.id)


def shown_time(value: dt.datetime) -> str:
    """A time for people: whole seconds (machine formats keep the exact value)."""
    return timestamp(value.replace(microsecond=0)) or ""


def timestamp(value: dt.datetime | None) -> str | None:
    """RFC 3339 in UTC with a Z: 2026-11-20T06:00:00Z."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def iso_duration(value: dt.timedelta | None) -> str | None:
    """ISO 8601 duration text: PT15M, P2DT3H, PT0S (negative ones get a leading minus)."""
    if value is None:
        return None
    micro = round(value.total_seconds() * 1_000_000)
    sign, micro = ("-" if micro < 0 else ""), abs(micro)
    seconds, micro = divmod(micro, 1_000_000)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time = ""
    if hours:
        time += f"{hours}H"
    if minutes:
        time += f"{minutes}M"
    if micro:
        time += f"{seconds}.{micro:06d}".rstrip("0") + "S"
    elif seconds:
        time += f"{seconds}S"
    text = "P" + (f"{days}D" if days else "") + (f"T{time}" if time else "")
    return sign + (text if text != "P" else "PT0S")


def seconds(value: dt.timedelta | None) -> int | float | None:
    """Whole seconds as an int, fractions kept: stable JSON either way."""
    if value is None:
        return None
    total = value.total_seconds()
    return int(total) if total == int(total) else total


def plan_uri(location: Location, root: Path | None) -> str:
    """The plan file as a forward-slash path relative to ``root`` (as code scanning expects)."""
    # Every finding asks, for a handful of files: resolve each (file, root, cwd) once.
    return _plan_uri(location.file, None if root is None else str(root), os.getcwd())


@functools.lru_cache(maxsize=256)
def _plan_uri(file: str, root_text: str | None, _cwd: str) -> str:
    path = Path(file)
    root = None if root_text is None else Path(root_text)
    if root is not None:
        absolute = path if path.is_absolute() else Path.cwd() / path
        with contextlib.suppress(ValueError):  # outside the root: keep it as it was given
            path = absolute.resolve().relative_to(Path(root).resolve())
    return str(PurePosixPath(*path.parts)) if not path.is_absolute() else path.as_posix()


def place(finding: Finding, options: RenderOptions) -> Location | None:
    return finding.plan_location or options.fallback_location


def subject_label(finding: Finding) -> str:
    """Who the finding is about, for one cell: node, subject, or both."""
    if finding.node and finding.subject:
        return f"{finding.node} ({finding.subject})"
    return finding.node or finding.subject or "(plan)"


def prose(text: str) -> str:
    """Rule text wrapped for source code, unwrapped: one line per paragraph (blank lines kept)."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def waiver_text(finding: Finding) -> str:
    waiver = finding.waiver
    if waiver is None:
        return ""
    text = f"waived until {waiver.expires.isoformat()}: {waiver.reason}"
    return text + (f" (approved by {waiver.approved_by})" if waiver.approved_by else "")

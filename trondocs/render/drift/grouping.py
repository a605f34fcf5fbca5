"""UNKNOWN findings grouped by cause: one line per failed source, failed scope or other gap.

With one source down, dozens of checks are UNKNOWN for the same reason; text and Markdown
say it once per cause — how many checks it left unknown, which rules, and a one-line reason
no longer than :data:`REASON_LIMIT` — while JSON keeps every finding with its full message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trondocs.evaluate.models import Assessment, Finding, Status
from trondocs.render import escape
from trondocs.wording import count_noun

REASON_LIMIT = 100
MISSING = "evidence missing: "
COLLECTED = re.compile(r" \(in what was collected: .*\)$", re.S)
FAILED = re.compile(r"^source '(?P<name>[^']+)' \((?P<type>[^)]+)\) failed: ")
SCOPE = re.compile(r"^source '(?P<name>[^']+)' could not read (?P<scope>.+?): (?P<error>.*)$", re.S)


@dataclass
class Cause:
    label: str  # one line: what is missing and why, length-limited
    findings: list[Finding] = field(default_factory=list)

    @property
    def rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})


def one_line(text: str, limit: int = REASON_LIMIT) -> str:
    """Whitespace (an HTML error page's lines) flattened, tags dropped, cut at ``limit`` with …"""
    flat = escape.one_line(re.sub(r"<[^>]{0,200}>", " ", text))  # control characters too
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _gaps(finding: Finding, errors: dict[str, str]) -> list[str]:
    message = finding.message
    if not message.startswith(MISSING):
        return [message]
    message = COLLECTED.sub("", message[len(MISSING):])
    # a source's error may itself hold "; ": stand it in by a token before splitting
    tokens = {}
    for index, (name, error) in enumerate(errors.items()):
        if error and error in message:
            token = f"\x00{index}\x00"
            tokens[token] = name
            message = message.replace(error, token)
    gaps = []
    for piece in message.split("; "):
        for token, name in tokens.items():
            piece = piece.replace(token, errors[name])
        gaps.append(piece)
    return gaps


def _label(gap: str, errors: dict[str, str]) -> str:
    failed = FAILED.match(gap)
    if failed:
        error = errors.get(failed["name"]) or gap[failed.end():]
        return f"source '{failed['name']}' ({failed['type']}) failed: {one_line(error)}"
    scope = SCOPE.match(gap)
    if scope:
        where = one_line(scope["scope"], 60)
        return f"source '{scope['name']}' could not read {where}: {one_line(scope['error'])}"
    return one_line(gap, 160)


def unknown_causes(assessment: Assessment) -> list[Cause]:
    """Causes of the UNKNOWN findings, most checks first; a finding with two causes is in both."""
    errors = {s.name: s.error or "" for s in assessment.sources if not s.ok}
    causes: dict[str, Cause] = {}
    for finding in assessment.findings:
        if finding.status is not Status.UNKNOWN:
            continue
        for label in dict.fromkeys(_label(g, errors) for g in _gaps(finding, errors)):
            causes.setdefault(label, Cause(label)).findings.append(finding)
    return sorted(causes.values(), key=lambda c: (-len(c.findings), c.label))


def rules_text(cause: Cause, limit: int = 6) -> str:
    rules = cause.rules
    return ", ".join(rules[:limit]) + (f", … ({len(rules)} rules)" if len(rules) > limit else "")


def unknown_lines(assessment: Assessment) -> list[str]:
    """The text output's section: a heading with the summary's count, one line per cause."""
    unknown = assessment.summary.count(Status.UNKNOWN)
    causes = unknown_causes(assessment)
    if not unknown or not causes:
        return []
    lines = ["", f"UNKNOWN — {count_noun(unknown, 'check')} without the evidence to judge, by cause "
                 "(every finding with its full message: --format json):"]
    width = max(len(count_noun(len(c.findings), "check")) for c in causes)
    for cause in causes:
        lines.append(f"  {count_noun(len(cause.findings), 'check').rjust(width)}  {cause.label}  "
                     f"[{rules_text(cause)}]")
    return lines

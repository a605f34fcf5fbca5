"""github: GitHub Actions workflow commands, so the job annotates the plan YAML lines.

``::error file=inventory/nodes.yaml,line=12,col=5,title=TRD301 …::message``. Severity picks the
command (critical/high error, medium warning, low notice); UNKNOWN and WAIVED findings are notices,
so they stay visible without failing anything. Escaping follows @actions/core (toolkit command.ts).
"""

from __future__ import annotations

from trondocs.evaluate.models import Assessment, Finding, Severity, Status
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    place,
    plan_uri,
    prose,
    shown,
    summary_line,
    waiver_text,
)
from trondocs.render.escape import one_line, text_lines

MEDIA_TYPE = "text/plain"
SUFFIX = ".txt"
COMMAND = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
           Severity.LOW: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(finding: Finding, options: RenderOptions) -> str:
    # Control characters in names are flattened first; line breaks stay (escaped as %0A below,
    # so no line of a message can end the command or start another).
    if finding.status is Status.FAIL:
        name, title, message = COMMAND[finding.severity], f"{finding.rule} {finding.title}", finding.message
    elif finding.status is Status.UNKNOWN:
        name, title = "notice", f"{finding.rule} {finding.title} (evidence missing)"
        message = finding.message
    else:
        name, title = "notice", f"{finding.rule} {finding.title} (waived)"
        message = f"{finding.message} — {waiver_text(finding)}"
    title, message = one_line(title), text_lines(message)
    if finding.remediation and finding.status is not Status.WAIVED:
        message += f"\nFix: {prose(finding.remediation)}"
    location = place(finding, options)
    if location is None:
        return command(name, message, title=title)
    return command(name, message, file=plan_uri(location, options.root), line=location.line,
                   col=location.column, title=title)


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    lines = [annotation(f, options) for f in shown(assessment.findings)]
    lines.append(command("notice", summary_line(assessment), title="trondocs drift"))
    return "\n".join(lines) + "\n"

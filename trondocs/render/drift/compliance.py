"""``drift --compliance FRAMEWORK``: the framework's controls the rules evidence, with their status."""

from __future__ import annotations

from trondocs.compliance import FRAMEWORKS, ControlResult, ControlStatus

LABELS = {ControlStatus.FAILING: "FAILING", ControlStatus.UNKNOWN: "UNKNOWN",
          ControlStatus.EVIDENCED: "EVIDENCED", ControlStatus.NOT_ASSESSED: "NOT ASSESSED"}


def _rules(result: ControlResult) -> str:
    if result.failing:
        return "failing: " + ", ".join(result.failing)
    if result.unknown:
        return "unknown: " + ", ".join(result.unknown)
    return ", ".join(result.rules) or "—"


def render_text(framework: str, results: list[ControlResult]) -> str:
    rows = [(r.control, LABELS[r.status], r.title, _rules(r)) for r in results]
    head = ("CONTROL", "STATUS", "TITLE", "RULES")
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(3)]
    lines = [f"controls evidenced — {FRAMEWORKS[framework].name}", ""]
    for row in [head, *rows]:
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    counts = {status: sum(r.status is status for r in results) for status in ControlStatus}
    lines += ["", ", ".join(f"{n} {LABELS[s].lower()}" for s, n in counts.items() if n)
              + " — a control's status is the worst of its rules' findings (waived counts as evidenced)"]
    return "\n".join(lines) + "\n"


def render_markdown(framework: str, results: list[ControlResult]) -> str:
    lines = [f"### Controls evidenced — {FRAMEWORKS[framework].name}", "",
             "| Control | Status | Title | Rules |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.control} | {LABELS[r.status].lower()} | {r.title} | {_rules(r)} |")
    return "\n".join(lines) + "\n"

"""The site's "Controls evidenced" page: each framework's controls, with their status."""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.compliance import FRAMEWORKS, ControlStatus, controls_evidenced
from trondocs.render.website.data import SiteData
from trondocs.render.website.labels import Badge, Tone

CONTROL_BADGES = {
    ControlStatus.FAILING: Badge("FAILING", Tone.FAIL),
    ControlStatus.UNKNOWN: Badge("UNKNOWN", Tone.UNKNOWN),
    ControlStatus.EVIDENCED: Badge("EVIDENCED", Tone.PASS),
    ControlStatus.NOT_ASSESSED: Badge("NOT ASSESSED", Tone.NEUTRAL),
}


@dataclass(frozen=True)
class ControlRow:
    control: str
    title: str
    status: Badge
    rules: list[tuple[str, str, bool]]  # (rule ID, its anchor on the rules page, failing or unknown)


@dataclass(frozen=True)
class FrameworkSection:
    name: str
    rows: list[ControlRow]


@dataclass(frozen=True)
class ControlsPage:
    page: str
    title: str
    frameworks: list[FrameworkSection]


def controls_page(data: SiteData) -> ControlsPage:
    rules = data.rules or data.assessment.rules
    mapping = {r.id: r.controls for r in rules}
    findings = [(f.rule, f.status.value) for f in data.assessment.findings]
    sections = []
    for key, framework in FRAMEWORKS.items():
        rows = [ControlRow(control=r.control, title=r.title, status=CONTROL_BADGES[r.status],
                           rules=[(rule, rule.lower(), rule in r.failing or rule in r.unknown)
                                  for rule in r.rules])
                for r in controls_evidenced(key, mapping, findings)]
        sections.append(FrameworkSection(name=framework.name, rows=rows))
    return ControlsPage(page="controls.md", title="Controls evidenced", frameworks=sections)

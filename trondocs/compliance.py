"""Controls of compliance frameworks that trondocs' rules evidence, and their status.

Each rule names the controls it evidences in its ``@rule(..., controls=[...])`` metadata, as
``FRAMEWORK:CONTROL`` keys of :data:`CONTROLS`. A control's status comes from the findings of
its rules: failing if one fails, unknown if none fails but one lacks evidence, evidenced when
every finding passes (or is waived), not assessed when no rule produced a finding.

The control titles were checked against published texts of the frameworks: ISO/IEC
27001:2022 Annex A, ISO 22301:2019 clause 8, NIST CSF 2.0 subcategories and the AICPA Trust
Services Criteria (SOC 2, Availability). A rule evidences a control; it does not satisfy it on
its own — the mapping says where trondocs' checks are evidence an auditor can use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Framework:
    key: str  # what --compliance takes
    name: str


FRAMEWORKS: dict[str, Framework] = {f.key: f for f in (
    Framework("iso27001", "ISO/IEC 27001:2022 Annex A"),
    Framework("iso22301", "ISO 22301:2019"),
    Framework("nist-csf", "NIST Cybersecurity Framework 2.0 (Protect, Recover)"),
    Framework("soc2", "SOC 2 Trust Services Criteria (Availability)"),
)}

# FRAMEWORK:CONTROL → title, in each framework's own order.
CONTROLS: dict[str, str] = {
    "iso27001:5.29": "Information security during disruption",
    "iso27001:5.30": "ICT readiness for business continuity",
    "iso27001:8.13": "Information backup",
    "iso27001:8.14": "Redundancy of information processing facilities",
    "iso22301:8.3": "Business continuity strategies and solutions",
    "iso22301:8.4": "Business continuity plans and procedures",
    "iso22301:8.5": "Exercise programme",
    "nist-csf:PR.DS-11": "Backups of data are created, protected, maintained, and tested",
    "nist-csf:PR.IR-03": "Mechanisms are implemented to achieve resilience requirements in normal and "
                         "adverse situations",
    "nist-csf:RC.RP-01": "The recovery portion of the incident response plan is executed once initiated "
                         "from the incident response process",
    "nist-csf:RC.RP-05": "The integrity of restored assets is verified, systems and services are restored, "
                         "and normal operating status is confirmed",
    "soc2:A1.2": "Environmental protections, software, data backup processes, and recovery infrastructure "
                 "are authorized, designed, implemented, operated, maintained and monitored",
    "soc2:A1.3": "Recovery plan procedures supporting system recovery are tested",
}


def check_controls(rule_id: str, controls: Iterable[str]) -> tuple[str, ...]:
    """The rule's controls, each a known ``FRAMEWORK:CONTROL`` key (a typo is a programming error)."""
    keys = tuple(controls)
    unknown = [key for key in keys if key not in CONTROLS]
    if unknown:
        raise ValueError(f"{rule_id}: unknown controls {unknown}; add them to trondocs.compliance.CONTROLS")
    return keys


def framework_of(key: str) -> str:
    return key.split(":", 1)[0]


def control_id(key: str) -> str:
    return key.split(":", 1)[1]


class ControlStatus(StrEnum):
    FAILING = "failing"
    UNKNOWN = "unknown"
    EVIDENCED = "evidenced"
    NOT_ASSESSED = "not-assessed"


@dataclass(frozen=True)
class ControlResult:
    framework: str
    control: str
    title: str
    status: ControlStatus
    rules: tuple[str, ...]  # the rules that evidence it
    failing: tuple[str, ...]  # rules with a failing finding
    unknown: tuple[str, ...]  # rules with an UNKNOWN finding (and none failing)
    findings: int  # how many findings of its rules


def controls_evidenced(framework: str, rule_controls: dict[str, Iterable[str]],
                       findings: Iterable[tuple[str, str]]) -> list[ControlResult]:
    """Each control of FRAMEWORK with its status.

    ``rule_controls``: rule ID → its control keys (from ``RuleInfo.controls``). ``findings``:
    (rule ID, status value) of every finding of the assessment.
    """
    if framework not in FRAMEWORKS:
        raise KeyError(framework)
    statuses: dict[str, list[str]] = {}
    for rule_id, status in findings:
        statuses.setdefault(rule_id, []).append(str(status))
    results = []
    for key, title in CONTROLS.items():
        if framework_of(key) != framework:
            continue
        rules = tuple(sorted(r for r, keys in rule_controls.items() if key in set(keys)))
        failing = tuple(r for r in rules if "fail" in statuses.get(r, []))
        unknown = tuple(r for r in rules if r not in failing and "unknown" in statuses.get(r, []))
        count = sum(len(statuses.get(r, [])) for r in rules)
        if failing:
            status = ControlStatus.FAILING
        elif unknown:
            status = ControlStatus.UNKNOWN
        elif count:
            status = ControlStatus.EVIDENCED
        else:
            status = ControlStatus.NOT_ASSESSED
        results.append(ControlResult(framework=framework, control=control_id(key), title=title, status=status,
                                     rules=rules, failing=failing, unknown=unknown, findings=count))
    return results


def controls_for_assessment(assessment, framework: str) -> list[ControlResult]:
    """:func:`controls_evidenced` from an Assessment (its rules' metadata and its findings)."""
    return controls_evidenced(framework, {r.id: r.controls for r in assessment.rules},
                              [(f.rule, f.status.value) for f in assessment.findings])

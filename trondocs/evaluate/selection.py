"""``drift --rule/--skip-rule/--severity/--node``: an assessment narrowed to some findings.

The narrowed assessment is judged again from what is kept: its summary, verdict and the
exit code all speak of the selection only (``--rule TRD503`` gates on the standby witness
alone). Nodes keep their evidence; the resolved list keeps what matches the same filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from trondocs.evaluate.engine import judged, summary
from trondocs.evaluate.models import Assessment, Finding, Severity


@dataclass(frozen=True)
class Selection:
    rules: frozenset[str] = frozenset()  # keep only these rule IDs (empty: every rule)
    skip_rules: frozenset[str] = frozenset()
    severity: Severity | None = None  # keep findings at or above this severity
    nodes: frozenset[str] = frozenset()  # keep findings about these nodes (empty: every node)

    @classmethod
    def of(cls, *, rules: Iterable[str] = (), skip_rules: Iterable[str] = (), severity: str | None = None,
           nodes: Iterable[str] = ()) -> Selection:
        return cls(rules=frozenset(r.upper() for r in rules),
                   skip_rules=frozenset(r.upper() for r in skip_rules),
                   severity=Severity(severity) if severity else None, nodes=frozenset(nodes))

    @property
    def empty(self) -> bool:
        return not (self.rules or self.skip_rules or self.severity or self.nodes)

    def keeps(self, finding: Finding) -> bool:
        if self.rules and finding.rule not in self.rules:
            return False
        if finding.rule in self.skip_rules:
            return False
        if self.severity is not None and finding.severity.rank < self.severity.rank:
            return False
        return not self.nodes or finding.node in self.nodes


def select(assessment: Assessment, selection: Selection) -> Assessment:
    if selection.empty:
        return assessment
    kept = [f for f in assessment.findings if selection.keeps(f)]
    resolved = [f for f in assessment.resolved if selection.keeps(f)]
    counts = summary(kept, resolved=len(resolved))
    return assessment.model_copy(update={
        "findings": kept, "resolved": resolved, "verdict": judged(counts), "summary": counts,
    })

"""Which nodes the report shows in detail, and how: a report a delegator can finish at any estate size.

Page one, the summary and the findings stay whole. For an SR-sized estate (up to ``AUTO_ALL``
nodes) every node has its full evidence section (facts, RPO chart, evidence tables). Beyond it,
each node that fails or whose evidence is unknown has a *compact* section: its failing and
unknown findings with their verdict, the evidence facts that decided them and what is missing,
in a fraction of a page; the nodes with nothing to report are listed by name. So the page
count grows with the nodes in trouble, not with the estate. When even the compact sections
would be too many (``COMPACT_CAP``), the worst ones are printed and the report says how many
more are in trouble and where they are. The embedded state and assessment are whole either
way: what the evidence proves does not depend on what is printed.

- ``auto`` (the default): every node in full for an SR-sized estate, the nodes in trouble
  compactly beyond it;
- ``problems``: only the nodes in trouble (in full up to ``AUTO_ALL`` nodes, compactly beyond);
- ``all``: every node in full, and the full per-node appendix (also ``auto`` up to ``AUTO_ALL``
  nodes).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from trondocs.evaluate.models import Assessment, NodeEvidence, Severity, Status


class DetailLevel(StrEnum):
    AUTO = "auto"
    PROBLEMS = "problems"
    ALL = "all"


DETAIL_CHOICES = tuple(level.value for level in DetailLevel)
AUTO_ALL = 25  # most SRs run 5–20 nodes: their reports keep every node's full section
# Compact sections printed at most: ~5 a page, so ≤ ~50 pages of them. At 5,000 nodes (~1,000 in
# trouble) WeasyPrint would otherwise lay out some 200 more pages, and its memory grows with them.
COMPACT_CAP = 250
IN_TROUBLE = (Status.FAIL, Status.UNKNOWN)
_STATUS_RANK = {Status.FAIL: 0, Status.UNKNOWN: 1}


@dataclass(frozen=True)
class Selection:
    detail: DetailLevel  # what was asked for
    everything: bool  # every node in detail, in full
    full: bool  # the detailed nodes have the full section (chart and tables); else compact
    in_trouble: frozenset[str]  # every node that fails or is unknown
    detailed: tuple[str, ...]  # the nodes with a section, in the order they are printed

    @property
    def left_out(self) -> int:
        """The nodes in trouble without a section of their own (the cap)."""
        return len(self.in_trouble) - len(self.detailed) if not self.everything else 0


def detail_level(detail: DetailLevel | str) -> DetailLevel:
    try:
        return DetailLevel(detail)
    except ValueError:
        raise ValueError(f"detail must be one of {', '.join(DETAIL_CHOICES)}, not {detail!r}") from None


def worst_first(assessment: Assessment, troubled: list[NodeEvidence]) -> list[NodeEvidence]:
    """Fail before unknown, then the most severe finding, then the most findings; the plan's
    order breaks ties, so the same assessment always prints the same nodes."""
    unresolved: dict[str, list[Severity]] = {}
    for finding in assessment.findings:
        if finding.node is not None and finding.status in IN_TROUBLE:
            unresolved.setdefault(finding.node, []).append(finding.severity)

    def key(indexed: tuple[int, NodeEvidence]) -> tuple[int, int, int, int]:
        position, node = indexed
        severities = unresolved.get(node.node, [])
        most = max((s.rank for s in severities), default=-1)
        return _STATUS_RANK[node.status], -most, -len(severities), position

    return [node for _, node in sorted(enumerate(troubled), key=key)]


def select(assessment: Assessment, detail: DetailLevel | str = DetailLevel.AUTO) -> Selection:
    level = detail_level(detail)
    small = len(assessment.nodes) <= AUTO_ALL
    everything = level is DetailLevel.ALL or (level is DetailLevel.AUTO and small)
    troubled = [n for n in assessment.nodes if n.status in IN_TROUBLE]
    in_trouble = frozenset(n.node for n in troubled)
    if everything:
        detailed = tuple(n.node for n in assessment.nodes)
    elif small:  # ``problems`` on an SR-sized estate: the nodes in trouble, in full, in plan order
        detailed = tuple(n.node for n in troubled)
    else:
        detailed = tuple(n.node for n in worst_first(assessment, troubled)[:COMPACT_CAP])
    return Selection(detail=level, everything=everything, full=everything or small,
                     in_trouble=in_trouble, detailed=detailed)

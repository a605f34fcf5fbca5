"""Which nodes the report shows in detail: a report a delegator can finish at any estate size.

Page one, the summary and the findings stay whole. A node's evidence section (facts, chart,
tables) is printed for the nodes that fail or whose evidence is unknown; the nodes with nothing
to report are listed compactly, by name, and the appendix's full evidence tables (every node's
rows again) only when every node is detailed. So the page count grows with the nodes in
trouble, not with the estate. The embedded state and
assessment are whole either way: what the evidence proves does not depend on what is printed.

- ``auto`` (the default): every node in detail for an SR-sized estate (up to ``AUTO_ALL``
  nodes), only the nodes in trouble beyond it;
- ``problems``: only the nodes in trouble;
- ``all``: every node, and the full per-node appendix (also ``auto`` up to ``AUTO_ALL`` nodes).
"""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.evaluate.models import Assessment, Status

DETAIL_CHOICES = ("auto", "problems", "all")
AUTO_ALL = 25  # most SRs run 5–20 nodes: their reports keep every node's page
IN_TROUBLE = (Status.FAIL, Status.UNKNOWN)


@dataclass(frozen=True)
class Selection:
    detail: str  # what was asked for
    everything: bool  # every node in detail
    detailed: frozenset[str]  # the nodes with an evidence section


def select(assessment: Assessment, detail: str = "auto") -> Selection:
    if detail not in DETAIL_CHOICES:
        raise ValueError(f"detail must be one of {', '.join(DETAIL_CHOICES)}, not {detail!r}")
    everything = detail == "all" or (detail == "auto" and len(assessment.nodes) <= AUTO_ALL)
    names = frozenset(n.node for n in assessment.nodes if everything or n.status in IN_TROUBLE)
    return Selection(detail=detail, everything=everything, detailed=names)

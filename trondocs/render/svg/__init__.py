"""SVG pictures for the site and the PDF: pure functions from data to SVG text.

Every function returns a complete, standalone ``<svg>`` document as a string: no
JavaScript, no external fonts or images, and the same input always gives byte-identical
output (coordinates are rounded, nothing depends on the clock or on dict order).

Public API (stable; the site and the PDF report both use it):

- :func:`rpo_chart` — age of the newest restore point over time against the RPO line.
- :func:`dependency_graph` — the plan's nodes and their ``depends_on`` edges, layered.
- :func:`boot_order` — a failover plan's boot sequence with its delays, as a timeline.
- :func:`badge` — a small two-part status badge (``RPO | 38m``).
- :class:`GraphNode`, :class:`BootStepView`, :data:`TONES` — the inputs and colours they use.
"""

from trondocs.render.svg.badge import badge
from trondocs.render.svg.base import TONES, Tone
from trondocs.render.svg.boot import BootStepView, boot_order
from trondocs.render.svg.chart import rpo_chart
from trondocs.render.svg.graph import GraphNode, dependency_graph

__all__ = ["TONES", "BootStepView", "GraphNode", "Tone", "badge", "boot_order", "dependency_graph",
           "rpo_chart"]

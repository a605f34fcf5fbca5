"""SVG pictures for the site and the PDF: pure functions from data to SVG text.

Every function returns a complete, standalone ``<svg>`` document as a string: no
JavaScript, no external fonts or images, and the same input always gives byte-identical
output (coordinates are rounded, nothing depends on the clock or on dict order).

Public API (stable; the site and the PDF report both use it):

- ``rpo_chart(points, *, target, start, end, title=...) -> str`` — age of the newest restore
  point over ``start``…``end`` (aware datetimes) against the RPO ``target`` (timedelta);
  ``points`` are restore-point creation times (``RpoEvidence.points``). 640×220.
- ``dependency_graph(nodes, edges, title=...) -> str`` — ``nodes`` a sequence of
  :class:`GraphNode` (name, caption, tone), ``edges`` ``(node, depends_on)`` pairs; layered,
  dependencies left.
- ``boot_order(steps, title=...) -> str`` — ``steps`` a sequence of :class:`BootStepView`
  (name, delay, caption, tone): a failover plan's boot sequence as a timeline.
- ``readiness_chart(points, title=...) -> str`` — ``points`` a sequence of
  :class:`ReadinessPoint` (at, verdict, failing, ages per node): the evidence history as
  failing checks per snapshot (coloured by verdict) over each node's newest-point age.
- ``badge(label, value, tone="neutral") -> str`` — a two-part status badge (``RPO | 38m``).
- ``tone`` everywhere is one of ``pass``, ``fail``, ``unknown``, ``waived``, ``neutral``
  (colours in :data:`TONES`, ``(fill, text)`` pairs).

Sizes are in CSS pixels via ``width``/``height`` plus a ``viewBox``, so the pictures scale
in HTML and print crisply in a PDF.
"""

from trondocs.render.svg.badge import badge
from trondocs.render.svg.base import TONES, Tone
from trondocs.render.svg.boot import BootStepView, boot_order
from trondocs.render.svg.chart import rpo_chart
from trondocs.render.svg.graph import GraphNode, dependency_graph
from trondocs.render.svg.history import ReadinessPoint, readiness_chart

__all__ = ["TONES", "BootStepView", "GraphNode", "ReadinessPoint", "Tone", "badge", "boot_order",
           "dependency_graph", "readiness_chart", "rpo_chart"]

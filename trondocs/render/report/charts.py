"""Pictures in the report: the site's SVG charts (one source of truth), embedded as images.

The chart function is injected into the context (``build_context(chart=…)``), so tests can
draw something simpler and the site's chart module can change without touching the report.
"""

from __future__ import annotations

import base64
import datetime as dt

from trondocs.evaluate.models import NodeEvidence
from trondocs.render.svg import rpo_chart


def node_rpo_chart(evidence: NodeEvidence, as_of: dt.datetime) -> str:
    """The node's RPO chart over its evidence window, as the site draws it (SVG text)."""
    rpo = evidence.rpo
    return rpo_chart(
        rpo.points,
        target=rpo.target,
        start=as_of - rpo.window,
        end=as_of,
        title=f"{evidence.node}: age of the newest restore point",
    )


def data_uri(svg: str) -> str:
    """SVG as an image URI: WeasyPrint draws it without fetching anything."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

"""Pictures in the report, embedded as images. The chart function is injected into the context
(``build_context(chart=…)``) so the report draws exactly what the site draws."""

from __future__ import annotations

import base64
import datetime as dt
from xml.sax.saxutils import escape

from trondocs.evaluate.models import NodeEvidence

WIDTH, HEIGHT, PAD = 640, 200, 30


def node_rpo_chart(evidence: NodeEvidence, as_of: dt.datetime) -> str:
    """Age of the newest restore point over the evidence window, against the RPO line (SVG text)."""
    rpo = evidence.rpo
    start, span = as_of - rpo.window, rpo.window.total_seconds()
    points = sorted(p for p in rpo.points if p <= as_of)
    target = rpo.target.total_seconds()
    ages = [(t, (t - prev).total_seconds()) for prev, t in zip(points, [*points[1:], as_of], strict=True)]
    top = max([target * 1.5, *(a for _, a in ages)]) or 1.0

    def x(t: dt.datetime) -> float:
        return round(PAD + (WIDTH - 2 * PAD) * max(0.0, (t - start).total_seconds()) / span, 1)

    def y(age: float) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * min(age, top) / top, 1)

    line = []
    for prev, (t, age) in zip(points, ages, strict=True):
        line += [f"{x(prev)},{y(0)}", f"{x(t)},{y(age)}"]
    title = escape(f"{evidence.node}: age of the newest restore point")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="DejaVu Sans" font-size="11">'
        f'<title>{title}</title><text x="{PAD}" y="18" font-weight="bold">{title}</text>'
        f'<rect x="{PAD}" y="{PAD}" width="{WIDTH - 2 * PAD}" height="{HEIGHT - 2 * PAD}" fill="none" '
        f'stroke="#bdbdbd"/><line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target)}" y2="{y(target)}" '
        f'stroke="#c62828" stroke-dasharray="6 4"/>'
        f'<polyline points="{" ".join(line)}" fill="none" stroke="#1a237e" stroke-width="1.5"/></svg>'
    )


def data_uri(svg: str) -> str:
    """SVG as an image URI: WeasyPrint draws it without fetching anything."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

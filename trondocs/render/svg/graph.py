"""The dependency graph: nodes in layers (dependencies left), arrows from dependant to dependency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trondocs.render.svg.base import FONT, Tone, document, esc, num, text_width, tone_of

BOX_H, GAP_X, GAP_Y, MARGIN = 44, 56, 16, 12


@dataclass(frozen=True)
class GraphNode:
    """One box: ``name`` identifies it, ``caption`` is the second line (role, where it runs)."""

    name: str
    caption: str = ""
    tone: Tone = Tone.NEUTRAL


def _layers(nodes: Sequence[GraphNode], edges: Sequence[tuple[str, str]]) -> list[list[str]]:
    """Longest-path layering: a node sits one layer right of its deepest dependency."""
    names = [n.name for n in nodes]
    needs = {n: sorted({d for s, d in edges if s == n and d in names}) for n in names}
    depth: dict[str, int] = {}

    def visit(name: str, trail: tuple[str, ...]) -> int:
        if name in depth:
            return depth[name]
        if name in trail:  # a cycle (the plan check reports it): break it here
            return 0
        depth[name] = 1 + max((visit(d, (*trail, name)) for d in needs[name]), default=-1)
        return depth[name]

    for name in names:
        visit(name, ())
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for name in names:
        layers[depth[name]].append(name)
    return layers


def dependency_graph(nodes: Sequence[GraphNode], edges: Sequence[tuple[str, str]],
                     title: str = "Node dependencies") -> str:
    """Boxes for ``nodes``; ``edges`` are ``(node, depends_on)`` pairs.

    Dependencies stand in the left columns, the nodes that need them to their right, so a
    recovery reads left to right. Box colour follows each node's ``tone``.
    """
    by_name = {n.name: n for n in nodes}
    layers = _layers(nodes, edges)
    box_w = max([text_width(n.name, 12) + 24 for n in nodes]
                + [text_width(n.caption, 10) + 24 for n in nodes] + [120])
    rows = max((len(layer) for layer in layers), default=1)
    width = MARGIN * 2 + len(layers) * box_w + max(len(layers) - 1, 0) * GAP_X
    height = MARGIN * 2 + rows * BOX_H + (rows - 1) * GAP_Y
    where: dict[str, tuple[float, float]] = {}
    for column, layer in enumerate(layers):
        offset = (rows - len(layer)) * (BOX_H + GAP_Y) / 2
        for row, name in enumerate(layer):
            where[name] = (MARGIN + column * (box_w + GAP_X), MARGIN + offset + row * (BOX_H + GAP_Y))
    body = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#616161"/>'
            "</marker></defs>"]
    for source, target in sorted(set(edges)):
        if source not in where or target not in where:
            continue
        (sx, sy), (tx, ty) = where[source], where[target]
        body.append(f'<line x1="{num(sx)}" y1="{num(sy + BOX_H / 2)}" x2="{num(tx + box_w)}" '
                    f'y2="{num(ty + BOX_H / 2)}" stroke="#616161" stroke-width="1.2" '
                    'marker-end="url(#arrow)"/>')
    body.append(f'<g {FONT}>')
    for name, (bx, by) in where.items():
        node = by_name[name]
        fill, ink = tone_of(node.tone)
        body.append(f'<rect x="{num(bx)}" y="{num(by)}" width="{num(box_w)}" height="{BOX_H}" rx="6" '
                    f'fill="{fill}"/>')
        body.append(f'<text x="{num(bx + box_w / 2)}" y="{num(by + 19)}" font-size="12" '
                    f'font-weight="bold" text-anchor="middle" fill="{ink}">{esc(name)}</text>')
        if node.caption:
            body.append(f'<text x="{num(bx + box_w / 2)}" y="{num(by + 35)}" font-size="10" '
                        f'text-anchor="middle" fill="{ink}">{esc(node.caption)}</text>')
    body.append("</g>")
    return document(max(width, 160), max(height, BOX_H + 2 * MARGIN), title, body)

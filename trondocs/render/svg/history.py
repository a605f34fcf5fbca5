"""Readiness over time: the verdict and failing checks per snapshot, and each node's newest-point age."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from trondocs.durations import format_duration
from trondocs.evaluate.models import Verdict
from trondocs.render.svg.base import FONT, Tone, document, esc, num, text_width, tone_of

WIDTH = 640
LEFT, RIGHT, TOP = 56, 16, 24
BARS_H, GAP, AGES_H, AXIS_H = 70, 44, 110, 22
LEGEND_ROW = 16
LEGEND_MAX = 8  # nodes named in the legend; the rest are counted
# Line colours for the nodes' ages: distinct in colour and (dashes) in greyscale print.
LINES = [("#1a237e", ""), ("#00838f", "6 3"), ("#6a1b9a", "2 2"), ("#ef6c00", "8 3 2 3"),
         ("#2e7d32", "4 4"), ("#5d4037", "1 3")]
VERDICT_TONES = {Verdict.READY: Tone.PASS, Verdict.AT_RISK: Tone.WAIVED, Verdict.NOT_READY: Tone.FAIL}
VERDICT_WORDS = {Verdict.READY: "ready", Verdict.AT_RISK: "at risk", Verdict.NOT_READY: "not ready"}


@dataclass(frozen=True)
class ReadinessPoint:
    """One snapshot of the evidence history as evaluated: its verdict, how many checks failed,
    and each node's newest-point age (``None`` when unknown)."""

    at: dt.datetime
    verdict: Verdict
    failing: int
    ages: tuple[tuple[str, dt.timedelta | None], ...] = field(default_factory=tuple)


def _ceiling(seconds: float) -> float:
    for step in (900, 3600, 6 * 3600, 86400, 7 * 86400):
        if seconds <= step * 6:
            return max(step, -(-seconds // step) * step)
    return seconds


def readiness_chart(points: Sequence[ReadinessPoint], title: str = "Readiness over time") -> str:
    """Top: a bar per snapshot, as tall as its failing checks and coloured (and labelled) by
    its verdict. Bottom: each node's newest restore point age at each snapshot, one line a node.

    Snapshots are spaced evenly (oldest left), so a burst of runs on one day stays readable;
    the first and last dates are written under the axis. Times in UTC.
    """
    ordered = sorted(points, key=lambda p: p.at)
    nodes = list(dict.fromkeys(name for p in ordered for name, _ in p.ages))
    legend = nodes[:LEGEND_MAX]
    legend_rows = -(-(len(legend) + (len(nodes) > LEGEND_MAX)) // 3) if nodes else 0
    height = TOP + BARS_H + GAP + AGES_H + AXIS_H + legend_rows * LEGEND_ROW + 8
    plot_w = WIDTH - LEFT - RIGHT
    count = len(ordered)
    slot = plot_w / max(count, 1)

    def cx(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    body = [f'<g {FONT} font-size="11" fill="#212121">',
            f'<text x="{LEFT}" y="{TOP - 8}" font-weight="bold">{esc(title)}</text>']
    if not ordered:
        body.append(f'<text x="{num(LEFT + plot_w / 2)}" y="{num(TOP + BARS_H)}" text-anchor="middle" '
                    'fill="#757575">no snapshots in the evidence history yet</text>')
        body.append("</g>")
        return document(WIDTH, height, title, body)
    worst = max(max(p.failing for p in ordered), 1)
    bar_w = max(min(slot * 0.6, 28), 2)
    base = TOP + BARS_H
    body.append(f'<text x="{LEFT - 4}" y="{num(base - 2)}" text-anchor="end" font-size="10">failing</text>')
    body.append(f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" stroke="#bdbdbd"/>')
    labelled = count <= 16  # a count over every bar while they are wide enough to carry one
    for index, point in enumerate(ordered):
        fill, _ = tone_of(VERDICT_TONES.get(point.verdict, Tone.NEUTRAL))
        h = max((BARS_H - 14) * point.failing / worst, 1.5)
        body.append(f'<rect x="{num(cx(index) - bar_w / 2)}" y="{num(base - h)}" width="{num(bar_w)}" '
                    f'height="{num(h)}" fill="{fill}"><title>{esc(point.at.strftime("%Y-%m-%d %H:%M"))}: '
                    f'{esc(VERDICT_WORDS.get(point.verdict, point.verdict))}, {point.failing} failing'
                    '</title></rect>')
        if labelled or index == count - 1:
            body.append(f'<text x="{num(cx(index))}" y="{num(base - h - 3)}" text-anchor="middle" '
                        f'font-size="10">{point.failing}</text>')
    keys, x = [], LEFT
    for verdict in Verdict:
        fill, _ = tone_of(VERDICT_TONES[verdict])
        keys.append(f'<rect x="{num(x)}" y="{num(base + 6)}" width="9" height="9" fill="{fill}"/>'
                    f'<text x="{num(x + 12)}" y="{num(base + 14)}" font-size="10">'
                    f'{esc(VERDICT_WORDS[verdict])}</text>')
        x += 24 + text_width(VERDICT_WORDS[verdict], 10)
    body.extend(keys)
    # The ages' panel.
    top = base + GAP
    ages = [a.total_seconds() for p in ordered for _, a in p.ages if a is not None]
    ceiling = _ceiling(max([*ages, 3600.0]))
    bottom = top + AGES_H
    body.append(f'<rect x="{LEFT}" y="{num(top)}" width="{num(plot_w)}" height="{AGES_H}" fill="none" '
                'stroke="#bdbdbd"/>')
    body.append(f'<text x="{LEFT - 4}" y="{num(top + 4)}" text-anchor="end">'
                f'{esc(format_duration(dt.timedelta(seconds=ceiling)))}</text>')
    body.append(f'<text x="{LEFT - 4}" y="{num(bottom + 4)}" text-anchor="end">0</text>')
    body.append(f'<text x="{LEFT + 4}" y="{num(top - 6)}" font-size="10">age of each node\'s newest '
                'restore point</text>')

    def y(age: dt.timedelta) -> float:
        return bottom - AGES_H * min(age.total_seconds(), ceiling) / ceiling

    for n, name in enumerate(nodes):
        colour, dash = LINES[n % len(LINES)]
        style = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for index, point in enumerate(ordered):
            age = dict(point.ages).get(name)
            if age is None:  # unknown: the line breaks
                runs.append([])
                continue
            runs[-1].append(f"{num(cx(index))},{num(y(age))}")
        for run in runs:
            if len(run) == 1:
                cxv, cyv = run[0].split(",")
                body.append(f'<circle cx="{cxv}" cy="{cyv}" r="2.5" fill="{colour}"/>')
            elif run:
                body.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                            f'stroke-width="1.6"{style}/>')
    first, last = ordered[0].at, ordered[-1].at
    axis_y = bottom + 15
    body.append(f'<text x="{LEFT}" y="{num(axis_y)}">{esc(first.strftime("%Y-%m-%d %H:%M"))}</text>')
    body.append(f'<text x="{num(LEFT + plot_w / 2)}" y="{num(axis_y)}" text-anchor="middle" fill="#616161">'
                f'{esc(f"{count} snapshot" + ("s" if count != 1 else ""))}</text>')
    if count > 1:
        body.append(f'<text x="{LEFT + plot_w}" y="{num(axis_y)}" text-anchor="end">'
                    f'{esc(last.strftime("%Y-%m-%d %H:%M"))} UTC</text>')
    column = plot_w / 3
    entries = [(LINES[i % len(LINES)], name) for i, name in enumerate(legend)]
    for i, ((colour, dash), name) in enumerate(entries):
        lx, ly = LEFT + column * (i % 3), axis_y + 8 + LEGEND_ROW * (i // 3)
        style = f' stroke-dasharray="{dash}"' if dash else ""
        shown = name if len(name) <= 28 else name[:27] + "…"
        body.append(f'<line x1="{num(lx)}" y1="{num(ly + 6)}" x2="{num(lx + 18)}" y2="{num(ly + 6)}" '
                    f'stroke="{colour}" stroke-width="2"{style}/>'
                    f'<text x="{num(lx + 22)}" y="{num(ly + 10)}" font-size="10">{esc(shown)}</text>')
    if len(nodes) > LEGEND_MAX:
        i = len(entries)
        lx, ly = LEFT + column * (i % 3), axis_y + 8 + LEGEND_ROW * (i // 3)
        body.append(f'<text x="{num(lx)}" y="{num(ly + 10)}" font-size="10" fill="#616161">'
                    f'{esc(f"and {len(nodes) - LEGEND_MAX} more nodes")}</text>')
    body.append("</g>")
    return document(WIDTH, height, title, body)

"""The RPO chart: how old the newest restore point was at each moment, against the RPO."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from trondocs.durations import format_duration
from trondocs.render.svg.base import FONT, TONES, Tone, document, esc, num

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 24, 36


def age_series(points: Sequence[dt.datetime], start: dt.datetime,
               end: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta]]:
    """Vertices of the saw-tooth: at each restore point the age drops to zero.

    Before the first point inside the window the age is only known if an older point
    exists; without one the line starts at the first point.
    """
    ordered = sorted(p for p in points if p <= end)
    before = [p for p in ordered if p <= start]
    latest = before[-1] if before else None
    series: list[tuple[dt.datetime, dt.timedelta]] = []
    if latest is not None:
        series.append((start, start - latest))
    for point in (p for p in ordered if p > start):
        if latest is not None:
            series.append((point, point - latest))
        series.append((point, dt.timedelta(0)))
        latest = point
    if latest is not None:
        series.append((end, end - latest))
    return series


def _nice_ceiling(seconds: float) -> float:
    """Round an axis maximum up to a readable step (minutes, hours or days)."""
    for step in (300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400):
        if seconds <= step * 6:
            return max(step, -(-seconds // step) * step)
    return seconds


# The axis reaches at most this many RPOs: the target line then sits at least a sixth of the
# way up, where it can be seen, and older ages are clipped at the top and marked.
MAX_TARGETS = 6


def axis_top(worst: dt.timedelta, target: dt.timedelta) -> float:
    """The age axis' maximum in seconds: room for the worst age, but never so much that the
    RPO line is squashed onto the axis (a 15-minute RPO under a 2-day stale point)."""
    wanted = max(worst.total_seconds(), target.total_seconds() * 1.5, 60.0)
    if target.total_seconds() > 0:
        wanted = min(wanted, target.total_seconds() * MAX_TARGETS)
    return _nice_ceiling(max(wanted, 60.0))


def rpo_chart(points: Sequence[dt.datetime], *, target: dt.timedelta, start: dt.datetime,
              end: dt.datetime, title: str = "Age of the newest restore point") -> str:
    """Saw-tooth of restore-point age over ``start``…``end`` with the RPO ``target`` line.

    ``points`` are the creation times of the node's usable restore points (any order, any
    copy). The band above the RPO line is shaded: wherever the line enters it, the node
    could have lost more data than the plan allows. The scale keeps the RPO line visible
    (:func:`axis_top`); ages beyond the top are drawn on the top edge, marked with a red
    triangle, and the oldest one is written out. Times are shown in UTC.
    """
    series = age_series(points, start, end)
    span = max((end - start).total_seconds(), 1.0)
    worst = max((age for _, age in series), default=dt.timedelta(0))
    top = axis_top(worst, target)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(moment: dt.datetime) -> float:
        return LEFT + plot_w * (moment - start).total_seconds() / span

    def y(age: dt.timedelta) -> float:
        return TOP + plot_h * (1 - min(age.total_seconds(), top) / top)

    target_y = y(target)
    fail, _ = TONES[Tone.FAIL]
    body = [
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{num(target_y - TOP)}" '
        'fill="#fdecea"/>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#bdbdbd"/>',
        f'<line x1="{LEFT}" y1="{num(target_y)}" x2="{LEFT + plot_w}" y2="{num(target_y)}" '
        f'stroke="{fail}" stroke-width="1.5" stroke-dasharray="6 4"/>',
    ]
    if series:
        coords = " ".join(f"{num(x(t))},{num(y(a))}" for t, a in series)
        body.append(f'<polyline points="{coords}" fill="none" stroke="#1a237e" stroke-width="1.5"/>')
    # Marks and ticks are one path each, however many there are: a chart costs the same few
    # elements to draw (in the browser and in WeasyPrint's layout) at 10 points or at 500.
    clipped = sorted({num(x(t)) for t, a in series if a.total_seconds() > top}, key=float)
    if clipped:
        marks = " ".join(f"M{c},{TOP - 1} l-4,6 h8 z" for c in clipped)
        body.append(f'<path class="clipped" d="{marks}" fill="{fail}"/>')
    ticks = sorted({num(x(p)) for p in points if start <= p <= end}, key=float)
    if ticks:
        strokes = " ".join(f"M{t},{TOP + plot_h} v4" for t in ticks)
        body.append(f'<path class="ticks" d="{strokes}" fill="none" stroke="#1a237e"/>')
    top_label = format_duration(dt.timedelta(seconds=top))
    labels = [
        f'<text x="{LEFT - 4}" y="{num(TOP + plot_h + 4)}" text-anchor="end">0</text>',
        f'<text x="{LEFT - 4}" y="{num(TOP + 4)}" text-anchor="end">{esc(top_label)}</text>',
        f'<text x="{LEFT + plot_w - 4}" y="{num(target_y - 4)}" text-anchor="end" fill="{fail}">'
        f'RPO {esc(format_duration(target))}</text>',
        f'<text x="{LEFT}" y="{HEIGHT - 14}">{esc(start.strftime("%Y-%m-%d %H:%M"))}</text>',
        f'<text x="{LEFT + plot_w}" y="{HEIGHT - 14}" text-anchor="end">'
        f'{esc(end.strftime("%Y-%m-%d %H:%M"))} UTC</text>',
        f'<text x="{LEFT}" y="{TOP - 8}" font-weight="bold">{esc(title)}</text>',
    ]
    if clipped:
        labels.append(f'<text x="{num(LEFT + plot_w / 2)}" y="{HEIGHT - 14}" text-anchor="middle" '
                      f'font-size="10" fill="{fail}">'
                      f'{esc(f"▲ clipped above {top_label}; oldest {format_duration(worst)}")}</text>')
    if not series:
        labels.append(f'<text x="{num(LEFT + plot_w / 2)}" y="{num(TOP + plot_h / 2)}" '
                      'text-anchor="middle" fill="#757575">no restore points in this window</text>')
    body.append(f'<g {FONT} font-size="11" fill="#212121">')
    body.extend(labels)
    body.append("</g>")
    return document(WIDTH, HEIGHT, title, body)

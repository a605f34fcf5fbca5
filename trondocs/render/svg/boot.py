"""A failover plan's boot order as a timeline: each VM starts after the previous one's delay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from trondocs.durations import format_duration
from trondocs.render.svg.base import FONT, Tone, document, esc, num, text_width, tone_of

ROW_H, BAR_H, MARGIN, PLOT_W = 30, 18, 12, 360


@dataclass(frozen=True)
class BootStepView:
    """One step: ``name`` starts, then the plan waits ``delay`` before the next step."""

    name: str
    delay: dt.timedelta = dt.timedelta(0)
    caption: str = ""  # e.g. the VM or replica that is started
    tone: Tone = Tone.NEUTRAL


def boot_order(steps: Sequence[BootStepView], title: str = "Boot order") -> str:
    """Rows in boot order; a bar from each step's start offset spanning its delay.

    The total (sum of delays) is the plan's minimum time to bring everything up, before
    any node has synced: a floor under the measured RTO.
    """
    total = sum((s.delay for s in steps), dt.timedelta(0))
    span = max(total.total_seconds(), 1.0)
    label_w = max([text_width(f"{i + 1}. {s.name}", 12) for i, s in enumerate(steps)] + [80]) + 16
    waits, offset = [], dt.timedelta(0)
    for step in steps:
        waits.append(f"starts at +{format_duration(offset)}, then wait {format_duration(step.delay)}")
        offset += step.delay
    width = MARGIN * 2 + label_w + PLOT_W + 12 + max([text_width(w, 10) for w in waits] + [0])
    height = MARGIN * 2 + ROW_H * (len(steps) + 1)
    body = [f'<g {FONT} font-size="12" fill="#212121">']
    offset = dt.timedelta(0)
    for index, step in enumerate(steps):
        top = MARGIN + index * ROW_H
        fill, _ = tone_of(step.tone)
        x0 = MARGIN + label_w + PLOT_W * offset.total_seconds() / span
        bar = max(PLOT_W * step.delay.total_seconds() / span, 4.0)
        body.append(f'<text x="{MARGIN}" y="{num(top + 14)}">{esc(f"{index + 1}. {step.name}")}</text>')
        if step.caption:
            body.append(f'<text x="{MARGIN + 14}" y="{num(top + 26)}" font-size="9" fill="#616161">'
                        f"{esc(step.caption)}</text>")
        body.append(f'<rect x="{num(x0)}" y="{num(top + 2)}" width="{num(bar)}" height="{BAR_H}" rx="3" '
                    f'fill="{fill}"/>')
        body.append(f'<text x="{num(x0 + bar + 6)}" y="{num(top + 15)}" font-size="10">'
                    f"{esc(waits[index])}</text>")
        offset += step.delay
    bottom = MARGIN + len(steps) * ROW_H + 16
    body.append(f'<text x="{MARGIN}" y="{num(bottom)}" font-weight="bold">'
                f"{esc(f'All started after {format_duration(total)} of delays')}</text>")
    body.append("</g>")
    return document(width, height, title, body)

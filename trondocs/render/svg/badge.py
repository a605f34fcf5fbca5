"""A shields-style two-part badge: ``label | value`` with the value coloured by status."""

from __future__ import annotations

from trondocs.render.svg.base import FONT, Tone, document, esc, num, text_width, tone_of


def badge(label: str, value: str, tone: Tone = Tone.NEUTRAL) -> str:
    """``badge("RPO", "38m", "pass")`` → an SVG about 20 px high.

    ``tone`` is one of ``pass``, ``fail``, ``unknown``, ``waived``, ``neutral``.
    """
    left = text_width(label) + 12
    right = text_width(value) + 12
    fill, ink = tone_of(tone)
    body = [
        f'<rect width="{num(left)}" height="20" rx="3" fill="#555555"/>',
        f'<rect x="{num(left)}" width="{num(right)}" height="20" rx="3" fill="{fill}"/>',
        f'<g {FONT} font-size="11" text-anchor="middle">',
        f'<text x="{num(left / 2)}" y="14" fill="#ffffff">{esc(label)}</text>',
        f'<text x="{num(left + right / 2)}" y="14" fill="{ink}">{esc(value)}</text>',
        "</g>",
    ]
    return document(left + right, 20, f"{label}: {value}", body)

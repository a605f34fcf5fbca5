"""Shared SVG helpers: escaping, stable number formatting, the status colours."""

from __future__ import annotations

from enum import StrEnum
from xml.sax.saxutils import escape as _escape


class Tone(StrEnum):
    """The colour a status is shown in: SVG boxes here, the site's badges (its value is their CSS
    class, assets/extra.css)."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"  # also "at risk", "due soon": a warning
    NEUTRAL = "neutral"


# Colour pairs (fill, text) per tone; readable on white and in greyscale print.
TONES: dict[Tone, tuple[str, str]] = {
    Tone.PASS: ("#2e7d32", "#ffffff"),
    Tone.FAIL: ("#c62828", "#ffffff"),
    Tone.UNKNOWN: ("#757575", "#ffffff"),
    Tone.WAIVED: ("#8d6e00", "#ffffff"),
    Tone.NEUTRAL: ("#3949ab", "#ffffff"),
}
FONT = "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\""
CHAR_WIDTH = 6.6  # average advance of an 11px sans-serif character, for sizing boxes


def esc(text: object) -> str:
    """Text or attribute value, XML-escaped (quotes too)."""
    return _escape(str(text), {'"': "&quot;", "'": "&#39;"})


def num(value: float) -> str:
    """A coordinate with at most one decimal, never ``-0``: stable across platforms."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float = 11) -> float:
    return len(text) * CHAR_WIDTH * size / 11


def document(width: float, height: float, title: str, body: list[str]) -> str:
    """A standalone SVG document with an accessible title."""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
            f'viewBox="0 0 {num(width)} {num(height)}" role="img" aria-label="{esc(title)}">')
    return "\n".join([head, f"<title>{esc(title)}</title>", *body, "</svg>"]) + "\n"


def tone_of(tone: Tone) -> tuple[str, str]:
    return TONES[tone]

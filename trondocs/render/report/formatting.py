"""Words and numbers as a delegator reads them: '2 days 3 hours', '20 Nov 2026 06:00 UTC'."""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.models import CopyStanding

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))


def plain_duration(value: dt.timedelta | None, *, parts: int = 2) -> str:
    """'2 days 3 hours', '15 minutes', '21 seconds'; '—' when unknown."""
    if value is None:
        return "—"
    total = round(abs(value.total_seconds()))
    if total == 0:
        return "0 seconds"
    words = []
    for unit, size in _UNITS:
        amount, total = divmod(total, size)
        if amount:
            words.append(f"{amount} {unit}{'s' if amount != 1 else ''}")
    return " ".join(words[:parts])


def short_duration(value: dt.timedelta | None) -> str:
    """Compact form for tables: '2d 3h', '15m', '21s'; '—' when unknown."""
    if value is None:
        return "—"
    total = round(abs(value.total_seconds()))
    if total == 0:
        return "0s"
    words = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, total = divmod(total, size)
        if amount:
            words.append(f"{amount}{unit}")
    return " ".join(words[:2])


def when(value: dt.datetime | None) -> str:
    """'20 Nov 2026 06:00 UTC'; '—' when unknown."""
    if value is None:
        return "—"
    return value.astimezone(dt.UTC).strftime("%d %b %Y %H:%M UTC")


def day(value: dt.date | dt.datetime | None) -> str:
    """'20 Nov 2026'; '—' when unknown."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).date()
    return value.strftime("%d %b %Y")


def grouped_hex(digest: str, size: int = 8) -> str:
    """A SHA-256 in groups of eight so people can compare it by eye and lines can break."""
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


YES_NO = {True: "yes", False: "no", None: "—"}


def copy_cells(copy, *, account: bool = False) -> list[str]:
    """A 3-2-1 copy as table cells: label, kind, site, medium, offsite, immutable, encrypted,
    (account,) failure domain, and whether it counts (and why not)."""
    cells = [copy.label, copy.kind, copy.site or f"unplaced: {copy.placement or '—'}", copy.medium or "—",
             YES_NO[copy.offsite], YES_NO[copy.immutable], YES_NO[copy.encrypted]]
    if account:
        cells.append(copy.account or "—")
    counts = "yes" if copy.standing is CopyStanding.COUNTED else f"no — {copy.why}"
    return [*cells, copy.failure_domain, counts]

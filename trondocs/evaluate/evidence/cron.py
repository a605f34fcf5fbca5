"""Cron expressions (AWS's six fields, or classic five) expanded into the times they fire.

AWS (EventBridge / DLM / AWS Backup): ``cron(minutes hours day-of-month month day-of-week year)``,
day-of-week 1-7 = SUN-SAT, ``?`` for "any" in one of the day fields. Classic cron: five fields,
day-of-week 0-7 with 0 and 7 = Sunday. ``L``, ``W`` and ``#`` are not understood: such an
expression is not expanded (the comparison says UNKNOWN rather than guess).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass

_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}
_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Python's weekday() order
# Expanded over a year from a Monday (at most _MOST fire times): weekly, monthly patterns repeat.
_START, _SPAN, _MOST = dt.datetime(2026, 1, 5), dt.timedelta(days=366), 20_000


@dataclass(frozen=True)
class Fires:
    """What a cron expression does, read from the times it fires."""

    largest_gap: dt.timedelta
    smallest_gap: dt.timedelta
    times: frozenset[str]  # "HH:MM" of day it fires at
    weekdays: frozenset[str]  # "mon"…"sun"

    @property
    def regular(self) -> bool:
        return self.largest_gap == self.smallest_gap


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> set[int] | None:
    if re.search(r"[LW#]", text.upper().replace("WED", "")):
        return None
    out: set[int] = set()
    for part in text.split(","):
        step, stepped = 1, "/" in part
        if stepped:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if part in ("*", "?"):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _value(a, names), _value(b, names)
            if start is None or end is None:
                return None
        else:
            start = _value(part, names)
            if start is None:
                return None
            end = high if stepped else start
        if start < low or end > high or start > end:
            return None
        out.update(range(start, end + 1, step))
    return out


def _value(text: str, names: dict[str, int] | None) -> int | None:
    text = text.strip().upper()
    if text.isdigit():
        return int(text)
    return names.get(text) if names else None


def fires(expression: str) -> Fires | None:
    """The expression's pattern, or None when it cannot be expanded here."""
    inner = expression.strip()
    if inner.lower().startswith("cron(") and inner.endswith(")"):
        inner = inner[5:-1]
    parts = inner.split()
    if len(parts) == 6:  # AWS: day-of-week 1-7 = SUN-SAT
        minute, hour, dom, month, dow, _year = parts
        days = {n: i + 1 for i, n in enumerate(_DAYS)}
        dow_set = _field(dow, 1, 7, days)
        weekdays = {(d - 2) % 7 for d in dow_set} if dow_set is not None else None
    elif len(parts) == 5:  # classic: 0-7, 0 and 7 = Sunday
        minute, hour, dom, month, dow = parts
        days = {n: i for i, n in enumerate(_DAYS)}
        dow_set = _field(dow, 0, 7, days)
        weekdays = {(d - 1) % 7 for d in dow_set} if dow_set is not None else None
    else:
        return None
    minutes, hours = _field(minute, 0, 59), _field(hour, 0, 23)
    doms, months = _field(dom, 1, 31), _field(month, 1, 12, _MONTHS)
    if None in (minutes, hours, doms, months, weekdays):
        return None
    any_dom, any_dow = dom in ("*", "?"), dow in ("*", "?")
    when = []
    day = _START
    while day < _START + _SPAN and len(when) < _MOST:
        if day.month in months:
            by_dom, by_dow = day.day in doms, day.weekday() in weekdays
            # classic cron: when both day fields are restricted, either one matching fires
            hit = (by_dom and by_dow) if (any_dom or any_dow) else (by_dom or by_dow)
            if hit:
                when += [day.replace(hour=h, minute=m) for h in sorted(hours) for m in sorted(minutes)]
        day += dt.timedelta(days=1)
    if len(when) < 2:
        return None
    gaps = [b - a for a, b in itertools.pairwise(when)]
    return Fires(largest_gap=max(gaps), smallest_gap=min(gaps),
                 times=frozenset(f"{w.hour:02d}:{w.minute:02d}" for w in when),
                 weekdays=frozenset(_WEEKDAY_NAMES[w.weekday()] for w in when))

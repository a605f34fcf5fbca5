"""Durations as operators write them: ``90s``, ``15m``, ``2h``, ``7d``, ``1w`` or ISO 8601 ``PT15M``."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = r"(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)"
_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*" + _UNITS + r"\s*$", re.I)
_ISO = re.compile(
    r"^P(?!$)(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$",
    re.I,
)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

DURATION_PATTERN = (
    r"^(\d+(\.\d+)?\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hr|hrs|hours?|d|days?|w|weeks?)"
    r"|P(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?)$"
)
DURATION_HINT = "write a duration like 90s, 15m, 2h, 7d or ISO 8601 PT15M"
# No objective, schedule or retention is longer than a century; beyond it a duration is a typo
# (and timedelta itself overflows at about 2.7 million years).
MAX_DURATION = timedelta(days=36_525)


def _bounded(value: object, seconds: float) -> timedelta:
    if not seconds <= MAX_DURATION.total_seconds():  # also catches inf and nan
        raise ValueError(f"{value!r} is longer than 100 years; {DURATION_HINT}")
    return timedelta(seconds=seconds)


def parse_duration(value: object) -> timedelta:
    """Parse a duration; raise ValueError with a hint on anything else."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected a duration, got {type(value).__name__}; {DURATION_HINT}")
    if isinstance(value, int | float):
        raise ValueError(f"a bare number ({value}) has no unit; {DURATION_HINT}")
    text = value.strip()
    short = _SHORT.match(text)
    if short:
        seconds = float(short.group(1)) * _UNIT_SECONDS[short.group(2)[0].lower()]
        return _bounded(value, seconds)
    iso = _ISO.match(text)
    if iso:
        parts = {k: float(v) for k, v in iso.groupdict().items() if v}
        return _bounded(value, sum(parts.get(unit, 0.0) * _UNIT_SECONDS[unit] for unit in "wdhms"))
    raise ValueError(f"{value!r} is not a duration; {DURATION_HINT}")


def format_duration(value: timedelta | None) -> str:
    """Render a duration the way the plan writes it: the largest exact unit (``15m``, ``2h``, ``1d 6h``)."""
    if value is None:
        return "—"
    total = round(value.total_seconds())
    if total == 0:
        return "0s"
    sign = "-" if total < 0 else ""
    total = abs(total)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return sign + " ".join(parts[:2])

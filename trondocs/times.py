"""Times as the command line takes them (``--as-of``)."""

from __future__ import annotations

import datetime as dt
import re

AS_OF_HINT = "write ISO 8601 like 2026-11-20T06:00:00Z, a date like 2026-11-20, or 'now'"


def parse_as_of(text: str | None) -> dt.datetime | None:
    """``2026-11-20T06:00:00Z``, an offset, a date (midnight UTC), or ``now``; no zone means UTC.

    Raises ValueError with a one-line message and the fix after ``; ``.
    """
    if text is None:
        return None
    value = text.strip()
    if value.lower() == "now":
        return dt.datetime.now(dt.UTC)
    try:
        parsed = dt.datetime.fromisoformat(re.sub(r"[zZ]$", "+00:00", value))
    except ValueError:
        raise ValueError(f"--as-of {text!r} is not a time; {AS_OF_HINT}") from None
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)

"""Reading Veeam's values: timestamps with local offsets and variable fractions, open enums."""

from __future__ import annotations

import datetime as dt
import re

_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: object) -> dt.datetime | None:
    """ISO 8601 as VBR writes it ("2024-02-04T21:40:34.473+03:00", ".2", 7 digits, "Z") → UTC.

    None for missing or unreadable values: a timestamp we cannot read is no evidence."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("z", "Z")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    # Python wants 0, 3 or 6 fraction digits before 3.12: normalise to 6 (.NET writes up to 7).
    text = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], text, count=1)
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:  # never seen from VBR; assume UTC rather than the reader's zone
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def low(value: object) -> str:
    """An enum value compared case-insensitively ("Running", "running" and "RUNNING" are one)."""
    return value.strip().lower() if isinstance(value, str) else ""


def name_of(item: object) -> str | None:
    """The name of an included object, flat ({name}) or nested ({inventoryObject: {name}})."""
    if not isinstance(item, dict):
        return None
    inner = item.get("inventoryObject")
    if isinstance(inner, dict) and inner.get("name"):
        return str(inner["name"])
    return str(item["name"]) if item.get("name") else None


def clock(value: object) -> str | None:
    """"4:00" → "04:00" (VBR's local times drop the leading zero)."""
    if not isinstance(value, str):
        return None
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})(?::\d{2})?\s*", value)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else value.strip() or None


def revision(api_version: str) -> tuple[int, int, int]:
    """"1.2-rev1" → (1, 2, 1), for comparing revisions."""
    match = re.fullmatch(r"(\d+)\.(\d+)-rev(\d+)", api_version.strip())
    if not match:
        raise ValueError(f"{api_version!r} is not an API revision like 1.2-rev1")
    return int(match.group(1)), int(match.group(2)), int(match.group(3))

"""Field types shared by the plan models: durations, retention, dates, TRON addresses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from trondocs.durations import DURATION_PATTERN, parse_duration
from trondocs.tron import hex_to_base58, validate_address
from trondocs.wording import count_noun

_HEX_ADDRESS = re.compile(r"^(0x)?41[0-9a-fA-F]{40}$")


def _hex_address(value: object) -> object:
    """``41…`` (21 bytes in hex, as java-tron's API writes addresses) → base58check ``T…``."""
    if isinstance(value, str) and _HEX_ADDRESS.fullmatch(value.strip()):
        return hex_to_base58(value.strip())
    return value


class StrictModel(BaseModel):
    """Unknown keys are errors; no silent coercion from one type to another."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


T = TypeVar("T")
# Enums are written as text in YAML: accept their string values even in strict models.
Lax = Annotated[T, Field(strict=False)]

Duration = Annotated[
    dt.timedelta,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {"type": "string", "pattern": DURATION_PATTERN,
         "description": "a duration: 90s, 15m, 2h, 7d, 1w or ISO 8601 (PT15M)"}
    ),
]


def _parse_date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _parse_timestamp(value: object) -> object:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"{value!r} is not a timestamp; write it as 2026-10-01T09:00:00Z"
            ) from None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("the timestamp has no time zone; end it with Z (UTC) or +02:00")
        return value.astimezone(dt.UTC)
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "description": "YYYY-MM-DD"}),
]
Timestamp = Annotated[
    dt.datetime,
    BeforeValidator(_parse_timestamp),
    WithJsonSchema(
        {"type": "string", "format": "date-time", "description": "ISO 8601 with a time zone"}
    ),
]
TronAddress = Annotated[
    str,
    BeforeValidator(_hex_address),
    AfterValidator(validate_address),
    WithJsonSchema(
        {"type": "string", "pattern": "^(T[1-9A-HJ-NP-Za-km-z]{33}|(0x)?41[0-9a-fA-F]{40})$",
         "description": "TRON address: base58check (T…) or hex (41…)"}
    ),
]
# A name (and a waiver reason or drill scenario) is one line of text: no line breaks, tabs or
# other control characters (C0, DEL, C1, Unicode line/paragraph separators and bidirectional
# overrides), which no output could show as written.
_NAME_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CC = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"  # (JSON Schema)
NAME_PATTERN = rf"^[^\s{_CC}]([^{_CC}]*[^\s{_CC}])?$"
Name = Annotated[
    str,
    WithJsonSchema({"type": "string", "minLength": 1, "pattern": NAME_PATTERN}),
    AfterValidator(lambda v: _non_blank(v)),
]


def _non_blank(value: str) -> str:
    if not value.strip() or value != value.strip():
        raise ValueError("a name must not be blank or start/end with spaces")
    if _NAME_CONTROLS.search(value):
        raise ValueError("must be one line of text: no line breaks, tabs or control characters")
    return value


_RETENTION = re.compile(
    r"^\s*(\d+)\s*(points?|restore points?|snapshots?|generations?|copies|backups?)\s*$", re.I
)


class Retention(StrictModel):
    """How much history a job keeps: a number of restore points or a length of time."""

    count: int | None = None
    duration: Duration | None = None

    def __str__(self) -> str:
        from trondocs.durations import format_duration

        return count_noun(self.count, "point") if self.count is not None else format_duration(self.duration)


def _parse_retention(value: object) -> object:
    if isinstance(value, Retention | dict):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Retention(count=value)
    if isinstance(value, str):
        match = _RETENTION.match(value)
        if match:
            return Retention(count=int(match.group(1)))
        try:
            return Retention(duration=parse_duration(value))
        except ValueError:
            pass
    raise ValueError(
        f"{value!r} is not a retention; write a count like '14 points' or '48 snapshots', "
        "or a length of time like '30d'"
    )


RetentionSpec = Annotated[
    Retention,
    BeforeValidator(_parse_retention),
    WithJsonSchema(
        {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string"}],
         "description": "'14 points', '48 snapshots', '7 generations' or a duration like '30d'"}
    ),
]

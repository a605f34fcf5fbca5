"""Compare a declared schedule (``every: 15m``, ``schedule: daily 02:00``) with a job's schedule.

Both sides become an interval plus, where given, a time of day and a weekday; cron
expressions compare as text. ``None`` means the two cannot be compared from the evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from trondocs.durations import format_duration
from trondocs.plan.models import Protection
from trondocs.plan.types import Retention as PlanRetention
from trondocs.state.models import Retention, Schedule, ScheduleKind
from trondocs.wording import count_noun

_KIND_INTERVAL = {ScheduleKind.DAILY: dt.timedelta(days=1), ScheduleKind.WEEKLY: dt.timedelta(days=7),
                  ScheduleKind.MONTHLY: dt.timedelta(days=31),
                  ScheduleKind.CONTINUOUS: dt.timedelta(minutes=1)}
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_DAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)")


def plan_text(prot: Protection) -> str:
    return f"every {format_duration(prot.every)}" if prot.every is not None else str(prot.schedule)


def state_text(schedule: Schedule | None) -> str:
    if schedule is None:
        return "not reported"
    kind = schedule.kind
    if kind is ScheduleKind.PERIODIC:
        return f"every {format_duration(schedule.interval)}"
    if kind is ScheduleKind.CRON:
        return schedule.expression or "cron"
    if kind is ScheduleKind.AFTER_JOB:
        return f"after job '{schedule.after_job}'"
    return " ".join(p for p in (kind.value, " ".join(schedule.days), schedule.time or "") if p)


def matches(prot: Protection, schedule: Schedule | None,
            follow: Callable[[str], Schedule | None]) -> bool | None:
    """Does the job's schedule give what the plan declares? ``follow`` resolves after-job chains."""
    for _ in range(5):  # a job chained after another runs when that one does
        if schedule is None or schedule.kind is not ScheduleKind.AFTER_JOB:
            break
        schedule = follow(schedule.after_job or "")
    if schedule is None or schedule.kind is ScheduleKind.AFTER_JOB:
        return None
    if schedule.kind is ScheduleKind.MANUAL:
        return False
    declared = (prot.schedule or "").strip()
    if declared.lower().startswith("cron(") or schedule.kind is ScheduleKind.CRON:
        if declared.lower().startswith("cron(") and schedule.kind is ScheduleKind.CRON:
            return _norm_cron(declared) == _norm_cron(schedule.expression or "")
        return None
    wanted, got = prot.interval, _interval(schedule)
    if wanted is None or got is None:
        return None
    if wanted != got:
        return False
    time, their_time = _TIME.search(declared), _TIME.search(schedule.time or "")
    if time and their_time and _hhmm(time) != _hhmm(their_time):
        return False
    day = _DAY.search(declared.lower())
    return not (day and schedule.days and day.group(1) not in {d[:3].lower() for d in schedule.days})


def _interval(schedule: Schedule) -> dt.timedelta | None:
    if schedule.kind is ScheduleKind.PERIODIC:
        return schedule.interval
    return _KIND_INTERVAL.get(schedule.kind)


def _hhmm(match: re.Match) -> tuple[int, int]:
    return int(match.group(1)), int(match.group(2))


def _norm_cron(text: str) -> str:
    inner = text.strip()
    if inner.lower().startswith("cron(") and inner.endswith(")"):
        inner = inner[5:-1]
    return " ".join(inner.split()).lower()


def retention_enough(wanted: PlanRetention, got: Retention | None,
                     interval: dt.timedelta | None) -> bool | None:
    """Does the job keep at least what the plan declares? Counts and durations convert via the
    declared interval; ``None`` when they cannot be compared."""
    if got is None or (got.count is None and got.duration is None):
        return None
    if wanted.count is not None:
        if got.count is not None:
            return got.count >= wanted.count
        return got.duration >= wanted.count * interval if interval else None
    if wanted.duration is not None:
        if got.duration is not None:
            return got.duration >= wanted.duration
        return got.count * interval >= wanted.duration if interval else None
    return None


def retention_text(value: PlanRetention | Retention | None) -> str:
    if value is None:
        return "not reported"
    if value.count is not None:
        return count_noun(value.count, "point")
    return format_duration(value.duration)

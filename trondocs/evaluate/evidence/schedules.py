"""Compare a declared schedule (``every: 15m``, ``schedule: daily 02:00``) with a job's schedule.

Both sides become an interval plus, where given, a time of day and a weekday; a cron
expression is expanded into the times it fires (evidence/cron.py) and compared by its largest
gap, its times of day and weekdays. ``None`` means the two cannot be compared from the evidence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from trondocs.durations import format_duration
from trondocs.evaluate.evidence.cron import Fires, fires
from trondocs.plan.models import Protection
from trondocs.plan.types import Retention as PlanRetention
from trondocs.state.models import DiscoveredSchedule, Retention, ScheduleKind
from trondocs.wording import count_noun

_KIND_INTERVAL = {ScheduleKind.DAILY: dt.timedelta(days=1), ScheduleKind.WEEKLY: dt.timedelta(days=7),
                  ScheduleKind.MONTHLY: dt.timedelta(days=31),
                  ScheduleKind.CONTINUOUS: dt.timedelta(minutes=1)}
_TIME = re.compile(r"\b(\d{1,2}):(\d{2})\b")
_DAY = re.compile(r"\b(mon|tue|wed|thu|fri|sat|sun)")


def plan_text(prot: Protection) -> str:
    return f"every {format_duration(prot.every)}" if prot.every is not None else str(prot.schedule)


def state_text(schedule: DiscoveredSchedule | None) -> str:
    if schedule is None:
        return "not reported"
    kind = schedule.kind
    if kind is ScheduleKind.PERIODIC:
        closed = window_closed(schedule)
        shut = (f", not for up to {format_duration(closed)} (backup window)" if closed
                else ", within a backup window" if closed is None else "")
        return f"every {format_duration(schedule.interval)}{shut}"
    if kind is ScheduleKind.CRON:
        return (schedule.expression or "cron") + (f" ({schedule.timezone})" if schedule.timezone else "")
    if kind is ScheduleKind.AFTER_JOB:
        return f"after job '{schedule.after_job}'"
    return " ".join(p for p in (kind.value, " ".join(schedule.days), schedule.time or "") if p)


def matches(prot: Protection, schedule: DiscoveredSchedule | None,
            follow: Callable[[str], DiscoveredSchedule | None]) -> bool | None:
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
    plan_cron = declared.lower().startswith("cron(")
    if plan_cron and schedule.kind is ScheduleKind.CRON \
            and _norm_cron(declared) == _norm_cron(schedule.expression or ""):
        return True
    if plan_cron or schedule.kind is ScheduleKind.CRON:
        return _cron_matches(prot, declared if plan_cron else None, schedule)
    wanted, got = prot.interval, _interval(schedule)
    if wanted is None or got is None:
        return None
    if wanted != got:
        return False
    closed = window_closed(schedule)
    if closed is None:  # a window we cannot read in full: it may hold runs back
        return None
    if closed and closed + got > wanted:  # no runs while the backup window is shut
        return False
    time, their_time = _TIME.search(declared), _TIME.search(schedule.time or "")
    if time and their_time and _hhmm(time) != _hhmm(their_time):
        return False
    day = _DAY.search(declared.lower())
    return not (day and schedule.days and day.group(1) not in {d[:3].lower() for d in schedule.days})


def _cron_matches(prot: Protection, declared_cron: str | None, schedule: DiscoveredSchedule) -> bool | None:
    """A cron on either side, expanded: the largest gap between runs must be the planned
    interval, and a planned time of day or weekday must be when it fires."""
    theirs = fires(schedule.expression or "") if schedule.kind is ScheduleKind.CRON else None
    if schedule.kind is ScheduleKind.CRON and theirs is None:
        return None
    if declared_cron is not None:
        ours = fires(declared_cron)
        if ours is None:
            return None
        if theirs is not None:
            return (ours.largest_gap, ours.smallest_gap, ours.times, ours.weekdays) == (
                theirs.largest_gap, theirs.smallest_gap, theirs.times, theirs.weekdays)
        got = _interval(schedule)
        if got is None or got != ours.largest_gap or not ours.regular:
            return False if got is not None else None
        their_time = _TIME.search(schedule.time or "")
        return not (their_time and f"{_hhmm(their_time)[0]:02d}:{_hhmm(their_time)[1]:02d}" not in ours.times)
    assert theirs is not None
    return _fires_as_declared(prot, (prot.schedule or "").strip(), theirs)


def _fires_as_declared(prot: Protection, declared: str, theirs: Fires) -> bool | None:
    wanted = prot.interval
    if wanted is None:
        return None
    if theirs.largest_gap != wanted:
        return False
    time = _TIME.search(declared)
    if time and {f"{_hhmm(time)[0]:02d}:{_hhmm(time)[1]:02d}"} != set(theirs.times):
        return False
    day = _DAY.search(declared.lower())
    return not (day and day.group(1) not in theirs.weekdays)


_WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def window_closed(schedule: DiscoveredSchedule) -> dt.timedelta | None:
    """The longest time a periodic job's backup window keeps it from starting (0: never closed);
    None when the window names only some days (the others cannot be told)."""
    if schedule.kind is not ScheduleKind.PERIODIC or not schedule.window:
        return dt.timedelta(0)
    if set(schedule.window) != set(_WEEK):
        return None if any("0" in h for h in schedule.window.values()) else dt.timedelta(0)
    hours = "".join(schedule.window[d] for d in _WEEK)
    if "1" not in hours:
        return dt.timedelta(days=7)
    doubled = hours + hours  # the week wraps: Sunday night runs into Monday morning
    longest = max((len(run) for run in doubled.split("1")), default=0)
    return dt.timedelta(hours=min(longest, 168))


def _interval(schedule: DiscoveredSchedule) -> dt.timedelta | None:
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

"""Presentation decisions made in Python: status words, badge tones, times, slugs and links."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from trondocs.durations import format_duration
from trondocs.evaluate.models import Severity, Status, Verdict
from trondocs.render.svg.base import Tone


@dataclass(frozen=True)
class Badge:
    """A status badge: the template shows ``text`` styled by ``tone`` (see assets/extra.css)."""

    text: str
    tone: Tone


STATUS_BADGES = {
    Status.PASS: Badge("PASS", Tone.PASS),
    Status.FAIL: Badge("FAIL", Tone.FAIL),
    Status.UNKNOWN: Badge("UNKNOWN", Tone.UNKNOWN),
    Status.WAIVED: Badge("WAIVED", Tone.WAIVED),
}
VERDICT_BADGES = {
    Verdict.READY: Badge("READY", Tone.PASS),
    Verdict.AT_RISK: Badge("AT RISK", Tone.WAIVED),
    Verdict.NOT_READY: Badge("NOT READY", Tone.FAIL),
}
SEVERITY_BADGES = {
    Severity.CRITICAL: Badge("critical", Tone.FAIL),
    Severity.HIGH: Badge("high", Tone.FAIL),
    Severity.MEDIUM: Badge("medium", Tone.WAIVED),
    Severity.LOW: Badge("low", Tone.NEUTRAL),
}
SEVERITIES_WORST_FIRST = sorted(Severity, key=lambda s: -s.rank)
NO_VALUE = "—"


def status_badge(status: Status) -> Badge:
    return STATUS_BADGES[Status(status)]


def when(moment: dt.datetime | None) -> str:
    """A UTC time as the site shows it (minutes are enough for DR evidence)."""
    if moment is None:
        return NO_VALUE
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(moment: dt.date | dt.datetime | None) -> str:
    if moment is None:
        return NO_VALUE
    if isinstance(moment, dt.datetime):
        moment = moment.astimezone(dt.UTC).date()
    return moment.isoformat()


def duration(value: dt.timedelta | None) -> str:
    return format_duration(value)


def yes_no(value: bool | None) -> str:
    return NO_VALUE if value is None else ("yes" if value else "no")


def within(achieved: dt.timedelta | None, target: dt.timedelta, known: bool = True) -> Badge:
    """A measured duration against its objective: PASS when at or under, UNKNOWN when unmeasured."""
    if achieved is None or not known:
        return Badge("UNKNOWN", Tone.UNKNOWN)
    return Badge("PASS", Tone.PASS) if achieved <= target else Badge("FAIL", Tone.FAIL)


def slug(name: str) -> str:
    """A file-name-safe, lowercase slug; stable for a given name."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text or "node"


def unique_slugs(names: list[str]) -> dict[str, str]:
    """Each name's slug, made unique in list order (``full-01``, ``full-01-2``…)."""
    taken: set[str] = {"index"}
    found: dict[str, str] = {}
    for name in names:
        base = candidate = slug(name)
        count = 1
        while candidate in taken:
            count += 1
            candidate = f"{base}-{count}"
        taken.add(candidate)
        found[name] = candidate
    return found


def rule_anchor(rule_id: str) -> str:
    return rule_id.lower()


def link(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """A relative link between two pages of the docs folder (mkdocs checks them in strict mode).

    Both paths are docs-relative POSIX paths; computed by hand because ``posixpath.relpath``
    consults the working directory, which shows in a build of thousands of links.
    """
    here = from_page.split("/")[:-1]
    there = to_page.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    target = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{target}#{anchor}" if anchor else target

"""What a rule is: metadata beside its code, and a check that loops over the context.

A rule is a function ``check(ctx) -> Iterable[Result]`` decorated with :func:`rule`; its
docstring is its user documentation. The engine turns results into findings (adding the
rule's metadata, the plan location and waivers).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from inspect import cleandoc
from types import MappingProxyType
from typing import Any, NamedTuple

from trondocs.compliance import check_controls
from trondocs.diagnostics import Location
from trondocs.durations import format_duration
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.models import Needs, RuleInfo, Severity, Status

EvidenceValue = str | int | float | bool | None


class Result(NamedTuple):
    """One rule's verdict on one subject, before waivers.

    Immutable, as a frozen dataclass would be, and made in half its time: a large estate's
    rules give hundreds of thousands (the engine turns each into a Finding).
    """

    status: Status
    message: str
    node: str | None = None
    subject: str | None = None
    evidence: Mapping[str, EvidenceValue] = MappingProxyType({})  # none: the engine copies it
    location: Location | None = None


Check = Callable[[EvaluationContext], Iterable[Result]]


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    family: str
    severity: Severity
    rationale: str
    remediation: str
    doc: str
    check: Check
    needs: frozenset[Needs]  # the evidence it judges from
    monotone_in: frozenset[Needs]  # more data from these could only keep a PASS passing
    controls: tuple[str, ...] = ()  # compliance controls it evidences (trondocs.compliance keys)

    @property
    def info(self) -> RuleInfo:
        return RuleInfo(id=self.id, title=self.title, family=self.family, severity=self.severity,
                        rationale=self.rationale, remediation=self.remediation, doc=self.doc,
                        needs=sorted(self.needs), monotone_in=sorted(self.monotone_in),
                        controls=list(self.controls))

    @functools.cached_property
    def doubtful(self) -> frozenset[Needs]:
        """What it needs and is not monotone in: where that is missing, a PASS is UNKNOWN (asked of
        every result, so worked out once)."""
        return self.needs - self.monotone_in

    @functools.cached_property
    def plain_metadata(self) -> bool:
        """Whether what a Finding takes from it is of the finding's own field types (the engine
        need not validate it per finding)."""
        return (type(self.id), type(self.title), type(self.severity), type(self.remediation)) == (
            str, str, Severity, str)

    def __call__(self, ctx: EvaluationContext) -> Iterable[Result]:
        return self.check(ctx)


def rule(rule_id: str, title: str, severity: Severity, *, rationale: str, remediation: str,
         needs: Iterable[Needs] = (), monotone_in: Iterable[Needs] = (),
         controls: Iterable[str] = ()) -> Callable[[Check], Rule]:
    """Declare a rule; the family is the name of the module it lives in.

    ``needs``: the evidence the rule judges from. ``monotone_in``: the part of it where more data
    could only keep a PASS passing ("a fresh point exists" stays true whatever else turns up).
    Where a needed source failed or is missing and the rule is not monotone in it, the engine
    turns a PASS into UNKNOWN; a FAIL stands. ``controls``: the compliance controls the rule
    evidences, as ``FRAMEWORK:CONTROL`` keys of :data:`trondocs.compliance.CONTROLS`.
    """
    needed, monotone = frozenset(needs), frozenset(monotone_in)
    if not monotone <= needed:
        raise ValueError(f"{rule_id}: monotone_in must be part of needs")
    evidenced = check_controls(rule_id, controls)

    def wrap(check: Check) -> Rule:
        return Rule(id=rule_id, title=title, family=check.__module__.rsplit(".", 1)[-1],
                    severity=severity, rationale=cleandoc(rationale), remediation=cleandoc(remediation),
                    doc=cleandoc(check.__doc__ or ""), check=check, needs=needed, monotone_in=monotone,
                    controls=evidenced)

    return wrap


# Each is asked several times per node about a few distinct values (the RPO, the interval, the
# collection time, the ages messages name): formatted once each. Bounded, as the distinct values
# of a state may not be.
_duration_text = functools.lru_cache(maxsize=4096)(format_duration)


@functools.lru_cache(maxsize=4096)
def _time_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


_PLAIN = frozenset({str, int, float, bool, type(None)})  # shown as they are: most evidence values


def evidence(**values: object) -> dict[str, EvidenceValue]:
    """Evidence values as outputs show them: durations as ``15m``, times in ISO 8601."""
    return _shown(values)


def _shown(values: dict[str, object]) -> dict[str, EvidenceValue]:
    """``values`` as shown; itself when every value shows as it is (a dict of the caller's own,
    as ``**values`` makes it)."""
    if _PLAIN.issuperset(map(type, values.values())):
        return values  # nothing to show otherwise: most results (one set lookup per value, in C)
    return {key: value if type(value) in _PLAIN else _show(value) for key, value in values.items()}


def _joined(values: Iterable[object]) -> str:
    return ", ".join(map(str, values))


# How a value of each of these exact types is shown: looked up first, as most values are one of
# these (subclasses and anything else go through the isinstance checks of _show).
_SHOW_TYPE: dict[type, Callable[[Any], EvidenceValue]] = {
    dt.timedelta: _duration_text, dt.datetime: _time_text, dt.date: dt.date.isoformat,
    list: _joined, tuple: _joined, set: _joined, frozenset: _joined}


def _show(value: object) -> EvidenceValue:
    show = _SHOW_TYPE.get(type(value))
    if show is not None:
        return show(value)
    if isinstance(value, dt.timedelta):
        return _duration_text(value)
    if isinstance(value, dt.datetime):
        return _time_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return _joined(value)
    if not isinstance(value, str | int | float | bool | type(None)):
        return str(value)
    return value  # a subclass of a plain type (a StrEnum): as it is


def node_result(facts: NodeFacts, status: Status, message: str, *, subject: str | None = None,
                location: Location | None = None, **values: object) -> Result:
    return Result(status, message, node=facts.name, subject=subject, evidence=_shown(values),
                  location=location)


# A node's result with no location of its own points at the node's entry in the plan, which the
# engine looks up once for the node's dozens of findings: say so rather than locate it again.
NODE_ENTRY: Location | None = None


def gaps_for(ctx: EvaluationContext, facts: NodeFacts, *types: str) -> list[str]:
    return ctx.coverage.gaps(types, facts.idents)


PLATFORM, PROTECTION, JAVA_TRON = Needs.PLATFORM, Needs.PROTECTION, Needs.JAVA_TRON
BACKUPS = (PLATFORM, PROTECTION)  # what restore points, replicas and copies come from


def age(value: dt.timedelta | None) -> str:
    return _duration_text(value) if value is not None else "—"


def missing(gaps: list[str]) -> str:
    return "evidence missing: " + "; ".join(gaps)

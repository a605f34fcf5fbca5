"""What a rule is: metadata beside its code, and a check that loops over the context.

A rule is a function ``check(ctx) -> Iterable[Result]`` decorated with :func:`rule`; its
docstring is its user documentation. The engine turns results into findings (adding the
rule's metadata, the plan location and waivers).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from inspect import cleandoc

from trondocs.compliance import check_controls
from trondocs.diagnostics import Location
from trondocs.durations import format_duration
from trondocs.evaluate.context import EvaluationContext, NodeFacts
from trondocs.evaluate.models import Needs, RuleInfo, Severity, Status

EvidenceValue = str | int | float | bool | None


@dataclass(frozen=True)
class Result:
    """One rule's verdict on one subject, before waivers."""

    status: Status
    message: str
    node: str | None = None
    subject: str | None = None
    evidence: Mapping[str, EvidenceValue] = field(default_factory=dict)
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
    out: dict[str, EvidenceValue] = {}
    for key, value in values.items():
        if type(value) in _PLAIN:
            pass
        elif isinstance(value, dt.timedelta):
            value = _duration_text(value)
        elif isinstance(value, dt.datetime):
            value = _time_text(value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, list | tuple | set | frozenset):
            value = ", ".join(str(v) for v in value)
        elif not isinstance(value, str | int | float | bool | type(None)):
            value = str(value)
        out[key] = value
    return out


def node_result(facts: NodeFacts, status: Status, message: str, *, subject: str | None = None,
                location: Location | None = None, **values: object) -> Result:
    return Result(status, message, node=facts.name, subject=subject, evidence=_shown(values),
                  location=location)


# A node's result with no location of its own points at the node's entry in the plan, which the
# engine looks up once for the node's dozens of findings: say so rather than locate it again.
NODE_ENTRY: Location | None = None


def located(ctx: EvaluationContext) -> Callable[..., Location | None]:
    """``ctx.locate``, remembered for one pass of a rule: a protection covers many nodes, and the
    findings about each point at the same entry."""
    return functools.cache(ctx.locate)


def gaps_for(ctx: EvaluationContext, facts: NodeFacts, *types: str) -> list[str]:
    return ctx.coverage.gaps(types, facts.idents)


PLATFORM, PROTECTION, JAVA_TRON = Needs.PLATFORM, Needs.PROTECTION, Needs.JAVA_TRON
BACKUPS = (PLATFORM, PROTECTION)  # what restore points, replicas and copies come from


def age(value: dt.timedelta | None) -> str:
    return _duration_text(value) if value is not None else "—"


def missing(gaps: list[str]) -> str:
    return "evidence missing: " + "; ".join(gaps)

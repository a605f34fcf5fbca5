"""How every command ends: one table of exit codes, the one error a workflow raises for a bad
request, and the one definition of incomplete evidence that decides exit 3 (drift, build and
the GitHub Action all read it from here).

Every command is a request → ``run(request)`` → an outcome carrying its ``exit_code``: the CLI
builds the request from its options, prints the outcome and exits with that code. A request
the workflow cannot carry out raises ``UsageError`` (one line) or ``PlanError`` (diagnostics
with their places), both exit 2 with nothing written.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # the CLI reads the table at start-up; evaluation loads only when a command runs
    from trondocs.evaluate.models import Assessment, Severity


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # a finding at or above --fail-on fails (verify: the evidence was altered)
    USAGE = 2  # a usage, plan or sources.yaml error: nothing was judged or written
    INCOMPLETE = 3  # nothing fails at the threshold, but the evidence is incomplete
    INTERRUPTED = 130  # 128 + SIGINT, as shells report it; never 1, which means "findings"


class Outcome(Protocol):
    """What every workflow's ``run`` returns: whatever it has to show, and how the command ends."""

    @property
    def exit_code(self) -> ExitCode: ...


class UsageError(ValueError):
    """A request the workflow refuses (a mistake in the command line): one line, exit 2."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


MEANINGS = {
    ExitCode.OK: "ok",
    ExitCode.FINDINGS: "findings at or above --fail-on",
    ExitCode.USAGE: "usage or plan error",
    ExitCode.INCOMPLETE: "evidence incomplete (a source failed, or a check is UNKNOWN)",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


def exit_codes_text() -> str:
    """``0 ok, 1 findings at or above --fail-on, …``: the table as the help texts write it."""
    return ", ".join(f"{code.value} {MEANINGS[code]}" for code in ExitCode)


def evidence_incomplete(assessment: Assessment) -> bool:
    """Some check could not be judged: a finding is UNKNOWN, or a source failed. (With no source
    read at all every check that needs one is UNKNOWN, so that case is here too.)"""
    from trondocs.evaluate.models import Status

    return (assessment.summary.count(Status.UNKNOWN) > 0
            or not all(source.ok for source in assessment.sources))


def exit_code(assessment: Assessment, fail_on: Severity | None) -> ExitCode:
    """1: a failing finding at or above ``fail_on``; 3: none, but evidence is incomplete; else 0.
    ``fail_on`` None (``--fail-on never``): always 0. Drift and build both end by it."""
    from trondocs.evaluate.models import Severity

    if fail_on is None:
        return ExitCode.OK
    # the Summary's counts, made once in evaluation (and again for a narrowed selection)
    if any(assessment.summary.failing(s) for s in Severity if s.rank >= fail_on.rank):
        return ExitCode.FINDINGS
    return ExitCode.INCOMPLETE if evidence_incomplete(assessment) else ExitCode.OK

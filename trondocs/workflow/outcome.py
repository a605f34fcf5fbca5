"""How every command ends: one table of exit codes, and the one definition of incomplete
evidence that decides exit 3 (drift, build and the GitHub Action all read it from here)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI reads the table at start-up; evaluation loads only when a command runs
    from trondocs.evaluate.models import Assessment


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # a finding at or above --fail-on fails (verify: the evidence was altered)
    USAGE = 2  # a usage, plan or sources.yaml error: nothing was judged or written
    INCOMPLETE = 3  # nothing fails at the threshold, but the evidence is incomplete
    INTERRUPTED = 130  # 128 + SIGINT, as shells report it; never 1, which means "findings"


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

"""Waivers: accepted findings stay accepted only until their end date."""

from __future__ import annotations

from collections.abc import Iterator

from trondocs.evaluate.context import EvaluationContext
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import Result, evidence, rule


@rule("TRD801", "Waiver expired", Severity.MEDIUM,
      rationale="""A waiver accepts a finding for a reason and until a date; past that date the
      reason must be reviewed, and the finding it covered counts again.""",
      remediation="""Fix the finding, or renew the waiver with a new 'expires' date, a current
      reason and who approved it.""",
      controls=["iso27001:5.30", "iso22301:8.4"])
def waiver_expiry(ctx: EvaluationContext) -> Iterator[Result]:
    """One finding per waiver: FAIL once as_of's date is past 'expires' (a waiver is valid
    through its last day). It reads only the plan and as_of, so it is never UNKNOWN."""
    for index, waiver in enumerate(ctx.plan.waivers):
        who = f" for {waiver.node}" if waiver.node else " for every node"
        values = evidence(rule=waiver.rule, expires=waiver.expires, reason=waiver.reason,
                          approved_by=waiver.approved_by)
        kw = dict(node=waiver.node, subject=f"waiver {waiver.rule}", location=ctx.locate_waiver(index),
                  evidence=values)
        if waiver.expires < ctx.today:
            yield Result(Status.FAIL, f"waiver of {waiver.rule}{who} expired on {waiver.expires}: "
                         "the finding counts again", **kw)
        else:
            yield Result(Status.PASS, f"waiver of {waiver.rule}{who} valid until {waiver.expires}", **kw)

"""Compare with a baseline assessment: which findings are new, unchanged, or resolved since then.

A finding is *unchanged* when the baseline had the same key (rule, node, subject) with the
same status, *new* otherwise. A baseline FAIL whose key now passes, is waived or is gone is
*resolved*; one that is now UNKNOWN is not (nobody knows it was fixed).
"""

from __future__ import annotations

from trondocs.evaluate.engine import summary
from trondocs.evaluate.models import Assessment, Change, Finding, Status


def compare(current: Assessment, before: Assessment) -> Assessment:
    earlier = {f.key: f for f in before.findings}
    now = {f.key: f for f in current.findings}
    findings = [
        f.model_copy(update={"change": _change(f, earlier.get(f.key))})
        for f in current.findings
    ]
    resolved = [
        f.model_copy(update={"change": Change.RESOLVED})
        for f in before.findings
        if f.status is Status.FAIL and _no_longer_fails(now.get(f.key))
    ]
    return current.model_copy(update={
        "findings": findings, "resolved": resolved,
        "summary": summary(findings, resolved=len(resolved)),
        "baseline_at": before.collected_at,
    })


def _change(finding: Finding, before: Finding | None) -> Change:
    return Change.UNCHANGED if before is not None and before.status is finding.status else Change.NEW


def _no_longer_fails(finding: Finding | None) -> bool:
    return finding is None or finding.status in (Status.PASS, Status.WAIVED)

"""json: the stable, documented machine format (docs/drift-json.md, drift.schema.json beside this file).

Keys come in a fixed order and lists in a fixed order, so the same assessment always gives
the same bytes: diffs of two runs show only what changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from trondocs.evaluate.models import (
    Assessment,
    CopiesEvidence,
    Finding,
    NodeEvidence,
    RpoEvidence,
    RtoEvidence,
)
from trondocs.render.drift.common import (
    DEFAULT_OPTIONS,
    RenderOptions,
    counts,
    iso_duration,
    ordered,
    plan_uri,
    rule_table,
    seconds,
    timestamp,
)

MEDIA_TYPE = "application/json"
SUFFIX = ".json"
SCHEMA_VERSION = 2  # bump on any incompatible change; additions keep it (2: copies observed, not assumed)


def duration(value: dt.timedelta | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"seconds": seconds(value), "iso": iso_duration(value)}


def finding_object(finding: Finding, options: RenderOptions) -> dict[str, Any]:
    location = finding.plan_location
    waiver = finding.waiver
    return {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity.value,
        "status": finding.status.value,
        "node": finding.node,
        "subject": finding.subject,
        "message": finding.message,
        "evidence": dict(sorted(finding.evidence.items())),
        "remediation": finding.remediation,
        "plan_location": None if location is None else {
            "file": plan_uri(location, options.root), "line": location.line, "column": location.column},
        "change": None if finding.change is None else finding.change.value,
        "waiver": None if waiver is None else {
            "reason": waiver.reason, "expires": waiver.expires.isoformat(),
            "approved_by": waiver.approved_by},
    }


def _rpo(rpo: RpoEvidence) -> dict[str, Any]:
    return {
        "known": rpo.known,
        "target": duration(rpo.target),
        "newest": timestamp(rpo.newest),
        "newest_age": duration(rpo.newest_age),
        "largest_gap": duration(rpo.largest_gap),
        "window": duration(rpo.window),
        "counts_by_kind": dict(sorted(rpo.counts_by_kind.items())),
        "counts_by_location": dict(sorted(rpo.counts_by_location.items())),
        "judged_from": timestamp(rpo.judged_from),
        "per_protection": [{
            "protection": p.protection, "kind": p.kind, "location": p.location, "site": p.site,
            "placement": p.placement, "count": p.count, "oldest": timestamp(p.oldest),
            "newest": timestamp(p.newest), "newest_age": duration(p.newest_age),
            "largest_gap": duration(p.largest_gap), "expected_interval": duration(p.expected_interval),
            "freshness_limit": duration(p.freshness_limit), "stale": p.stale,
            "basis": None if p.basis is None else p.basis.value,
        } for p in rpo.per_protection],
    }


def _rto(rto: RtoEvidence) -> dict[str, Any]:
    return {
        "target": duration(rto.target),
        "latest": duration(rto.latest),
        "worst": duration(rto.worst),
        "last_test": timestamp(rto.last_test),
        "next_test_due": timestamp(rto.next_test_due),
        "runs": [{
            "source": r.source, "kind": r.kind, "name": r.name, "plan": r.plan,
            "started": timestamp(r.started), "finished": timestamp(r.finished),
            "duration": duration(r.duration), "result": r.result,
        } for r in rto.runs],
    }


def _copies(copies: CopiesEvidence) -> dict[str, Any]:
    return {
        "independent_copies": copies.independent_copies,
        "media": copies.media,
        "offsite": copies.offsite,
        "immutable": copies.immutable,
        "outside_account": copies.outside_account,
        "loss_probability": copies.loss_probability,
        "possible": copies.possible.model_dump(),
        "copies": [{
            "label": c.label, "kind": c.kind, "site": c.site, "placement": c.placement, "medium": c.medium,
            "offsite": c.offsite, "immutable": c.immutable, "encrypted": c.encrypted, "account": c.account,
            "failure_domain": c.failure_domain, "standing": c.standing.value, "why": c.why,
        } for c in copies.copies],
    }


def _attribution(node: NodeEvidence) -> dict[str, Any]:
    a = node.attribution
    return {
        "asset": None if a.asset is None else {
            "source": a.asset.source, "id": a.asset.id, "name": a.asset.name, "basis": a.asset.basis.value},
        "replicas": [{"source": r.source, "id": r.id, "name": r.name} for r in a.replicas],
        "jobs": [{"protection": j.protection, "job": j.job, "system": j.system, "found": j.found,
                  "source": j.source, "job_id": j.job_id, "basis": None if j.basis is None else j.basis.value,
                  "includes_node": j.includes_node} for j in a.jobs],
        "points_total": a.points_total,
        "usable_points": a.usable_points,
        "vm_snapshots": len(a.vm_snapshots),
        "folded_replica_snapshots": a.folded_replica_snapshots,
    }


def node_object(node: NodeEvidence) -> dict[str, Any]:
    impact = node.impact
    return {
        "node": node.node,
        "role": node.role,
        "status": node.status.value,
        "rpo": _rpo(node.rpo),
        "rto": _rto(node.rto),
        "copies": _copies(node.copies),
        "attribution": _attribution(node),
        "impact": None if impact is None else {
            "elected": impact.elected, "outage": duration(impact.outage),
            "blocks_at_risk": impact.blocks_at_risk,
            "blocks_at_risk_with_standby": impact.blocks_at_risk_with_standby,
        },
    }


def document(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, Iterator) else value
            for key, value in _sections(assessment, options).items()}


def _sections(assessment: Assessment, options: RenderOptions) -> dict[str, Any]:
    """The document, its long lists (findings, nodes) as iterators: made one item at a time."""
    c = counts(assessment)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "trondocs", "version": options.tool_version},
        "as_of": timestamp(assessment.as_of),
        "collected_at": timestamp(assessment.collected_at),
        "baseline_at": timestamp(assessment.baseline_at),
        "organization": assessment.organization,
        "sr_address": assessment.sr_address,
        "verdict": assessment.verdict.value,
        "summary": {"total": c.total, **c.by_status, "failing_by_severity": c.failing_by_severity,
                    "new": c.new, "resolved": c.resolved},
        "findings": (finding_object(f, options) for f in ordered(assessment.findings)),
        "resolved": (finding_object(f, options) for f in ordered(assessment.resolved)),
        "nodes": (node_object(n) for n in sorted(assessment.nodes, key=lambda n: n.node)),
        "sources": [{"name": s.name, "type": s.type, "ok": s.ok, "error": s.error,
                     "finished": timestamp(s.finished)} for s in assessment.sources],
        "rules": [{"id": r.id, "title": r.title, "family": r.family, "severity": r.severity.value,
                   "rationale": r.rationale, "remediation": r.remediation,
                   "needs": [n.value for n in r.needs], "monotone_in": [n.value for n in r.monotone_in]}
                  for r in rule_table(assessment)],
        "unattributed_points": assessment.unattributed_total,
    }


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """The text ``json.dumps(document(...), indent=2)`` gives: :func:`render_pieces` joined."""
    return "".join(render_pieces(assessment, options))  # joined once: a join per piece would copy the lists


def render_pieces(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> Iterator[str]:
    """The text of :func:`render` in pieces, a list item at a time, for writing as they come.

    A large estate has a hundred thousand findings: their objects all at once, and the encoder's
    pieces of all of them, took several times the memory of the text. A raw newline is never
    inside a JSON string, so an item's own text is indented to its depth by indenting its lines.
    """
    yield "{"
    for n, (key, value) in enumerate(_sections(assessment, options).items()):
        yield f"{',' if n else ''}\n  {_dumps(key)}: "
        if not isinstance(value, Iterator):
            yield _dumps(value).replace("\n", "\n  ")
            continue
        separator = "[\n    "  # before the first item; between the others a comma
        for item in value:
            yield separator + _dumps(item).replace("\n", "\n    ")
            separator = ",\n    "
        yield "[]" if separator.startswith("[") else "\n  ]"
    yield "\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def schema() -> dict[str, Any]:
    """The JSON Schema of this format (drift.schema.json, shipped in the package)."""
    text = resources.files("trondocs.render.drift").joinpath("drift.schema.json").read_text("utf-8")
    return json.loads(text)

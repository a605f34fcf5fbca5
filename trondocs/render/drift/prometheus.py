"""prometheus: a node_exporter textfile (Prometheus text format 0.0.4) for alerting between nightly runs.

Write it to the textfile collector's folder (e.g. /var/lib/node_exporter/textfile/trondocs.prom);
the atomic write keeps node_exporter from reading half a file. No sample timestamps: the textfile
collector refuses them; ``trondocs_drift_timestamp_seconds`` says how fresh the numbers are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from trondocs.evaluate.models import Assessment, Status, Verdict
from trondocs.render.drift.common import DEFAULT_OPTIONS, RenderOptions, counts, ordered

MEDIA_TYPE = "text/plain; version=0.0.4"
SUFFIX = ".prom"


@dataclass
class Metric:
    name: str
    help: str
    samples: list[tuple[dict[str, str], float]] = field(default_factory=list)

    def add(self, value: float | bool, **labels: str | None) -> None:
        self.samples.append(({k: v or "" for k, v in labels.items()}, float(value)))


def _escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _escape_help(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n")


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def exposition(metrics: Iterable[Metric]) -> str:
    lines = []
    for metric in metrics:
        lines += [f"# HELP {metric.name} {_escape_help(metric.help)}", f"# TYPE {metric.name} gauge"]
        for labels, value in metric.samples:
            text = ",".join(f'{k}="{_escape_label(v)}"' for k, v in labels.items())
            series = f"{metric.name}{{{text}}}" if text else metric.name
            lines.append(f"{series} {_number(value)}")
    return "\n".join(lines) + "\n"


def _epoch(value: dt.datetime) -> float:
    return value.timestamp()


def metrics(assessment: Assessment) -> list[Metric]:
    c = counts(assessment)
    stamp = Metric("trondocs_drift_timestamp_seconds",
                   "Time (as of) the drift assessment describes, Unix seconds.")
    stamp.add(_epoch(assessment.as_of))
    verdict = Metric("trondocs_drift_verdict",
                     "1 for the current verdict (ready, at-risk, not-ready), 0 otherwise.")
    for value in Verdict:
        verdict.add(assessment.verdict is value, verdict=value.value)
    findings = Metric("trondocs_findings", "Findings by status.")
    for status, number in c.by_status.items():
        findings.add(number, status=status)
    age = Metric("trondocs_restore_point_age_seconds",
                 "Age of the node's newest usable restore point at as_of.")
    gap = Metric("trondocs_restore_point_largest_gap_seconds",
                 "Largest gap between consecutive restore points over the evidence window.")
    rpo = Metric("trondocs_rpo_target_seconds", "The node's declared RPO.")
    rto = Metric("trondocs_rto_target_seconds", "The node's declared RTO.")
    rto_worst = Metric("trondocs_rto_worst_measured_seconds", "Longest measured recovery of the node.")
    copies = Metric("trondocs_copies_independent",
                    "Copies of the node's data in distinct failure domains (3-2-1).")
    blocks = Metric("trondocs_blocks_at_risk", "Blocks an outage of the node's RTO would cost the SR.")
    for node in sorted(assessment.nodes, key=lambda n: n.node):
        rpo.add(node.rpo.target.total_seconds(), node=node.node)
        rto.add(node.rto.target.total_seconds(), node=node.node)
        if node.rpo.known and node.rpo.newest_age is not None:
            age.add(node.rpo.newest_age.total_seconds(), node=node.node)
        if node.rpo.known and node.rpo.largest_gap is not None:
            gap.add(node.rpo.largest_gap.total_seconds(), node=node.node)
        if node.rto.worst is not None:
            rto_worst.add(node.rto.worst.total_seconds(), node=node.node)
        copies.add(node.copies.independent_copies, node=node.node)
        if node.impact is not None:
            blocks.add(node.impact.blocks_at_risk, node=node.node)
    failing = Metric("trondocs_finding_failing",
                     "1 when the rule fails for the node (waived failures are 0).")
    status = Metric("trondocs_finding_status",
                    "1 for the finding's current status (pass, fail, unknown, waived).")
    seen: set[tuple[str, str, str]] = set()
    for finding in ordered(assessment.findings):
        if finding.key in seen:  # one series per identity: node_exporter rejects duplicates
            continue
        seen.add(finding.key)
        labels = {"rule": finding.rule, "node": finding.node, "subject": finding.subject,
                  "severity": finding.severity.value}
        failing.add(finding.status is Status.FAIL, **labels)
        for value in Status:
            status.add(finding.status is value, **labels, status=value.value)
    success = Metric("trondocs_source_collection_success",
                     "1 when the source was read completely at the last collection, 0 when it failed.")
    finished = Metric("trondocs_source_collection_timestamp_seconds",
                      "When the source was last read, Unix seconds.")
    for source in assessment.sources:
        success.add(source.ok, source=source.name, type=source.type)
        if source.finished is not None:
            finished.add(_epoch(source.finished), source=source.name, type=source.type)
    return [stamp, verdict, findings, age, gap, rpo, rto, rto_worst, copies, blocks, failing, status, success,
            finished]


def render(assessment: Assessment, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    return exposition(metrics(assessment))

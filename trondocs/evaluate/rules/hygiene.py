"""Hygiene: what is no evidence but wears the production down."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trondocs.evaluate.context import EvaluationContext
from trondocs.evaluate.models import Severity, Status
from trondocs.evaluate.rules.base import PLATFORM, Result, age, node_result, rule
from trondocs.plan.models import Platform

# VMware: keep a snapshot no longer than 72 hours (KB 1025279, "Best practices for using snapshots").
SNAPSHOT_AGE_LIMIT = dt.timedelta(hours=72)


@rule("TRD901", "Old snapshot on a production VM", Severity.LOW,
      rationale="""A VM snapshot is a delta file on the VM's own datastore, lost with it: it is no
      restore point. Kept for days it grows, slows the disk a java-tron node lives on and can
      fill the datastore.""",
      remediation="""Delete or consolidate the snapshot once the change it guarded is done;
      protect the node with backups or replicas instead.""",
      needs=[PLATFORM],
      controls=["iso27001:8.13", "nist-csf:PR.DS-11"])
def old_vm_snapshot(ctx: EvaluationContext) -> Iterator[Result]:
    """For each vSphere node whose VM was found: no snapshot of the VM itself older than 72 hours
    (VMware's guidance). Snapshots of replica VMs are the replication's restore points and are
    not judged here."""
    for facts in ctx.nodes:
        if facts.node.runs_on.source is not Platform.VSPHERE or facts.asset is None:
            continue
        where = ctx.locate("nodes", facts.name, "runs_on")
        snapshots = facts.attribution.vm_snapshots
        old = [s for s in snapshots if s.age > SNAPSHOT_AGE_LIMIT]
        values = dict(snapshots=len(snapshots), limit=SNAPSHOT_AGE_LIMIT)
        if old:
            names = ", ".join(f"'{s.name or s.id}' ({age(s.age)})" for s in old)
            yield node_result(facts, Status.FAIL, f"{facts.asset_name} keeps VM snapshots older than "
                              f"{age(SNAPSHOT_AGE_LIMIT)}: {names}", location=where, **values)
        else:
            text = (f"{len(snapshots)} VM snapshots, none older than {age(SNAPSHOT_AGE_LIMIT)}" if snapshots
                    else f"{facts.asset_name} has no VM snapshot")
            yield node_result(facts, Status.PASS, text, location=where, **values)

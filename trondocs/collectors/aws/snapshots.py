"""EBS snapshots → restore points: which instance each came from, which are copies, who made them.

Runs after every region is read, because a copy's source lives in another region: the copy
inherits the instance of the snapshot it copies (its own volume id is a placeholder in AWS).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from trondocs.collectors.aws.ec2 import Snapshot
from trondocs.plan.models import Medium
from trondocs.state.models import RestorePoint, RestorePointKind

# CopySnapshot's default description, and the one EC2 gives snapshots copied with an AMI.
COPY_DESCRIPTIONS = (
    re.compile(r"Copied (?P<snap>snap-[0-9a-f]+) from (?P<region>[a-z]{2}(?:-[a-z]+)+-\d)"),
    re.compile(r"Copied for DestinationAmi \S+ from SourceAmi \S+ "
               r"for SourceSnapshot (?P<snap>snap-[0-9a-f]+)"),
)
# Tags some copy tools leave on a copy (DLM with CopyTags, scripts): the source snapshot id.
COPY_SOURCE_TAGS = ("SourceSnapshotId", "source-snapshot-id", "aws:backup:source-resource")
# DLM tags the snapshots it creates with its policy id (AWS docs: "AWS-added lifecycle tags").
DLM_POLICY_TAG = "aws:dlm:lifecycle-policy-id"
DLM_SCHEDULE_TAG = "aws:dlm:lifecycle-schedule-name"
# AWS Backup tags the EBS snapshots it makes with the resource it backed up (an ARN).
BACKUP_SOURCE_TAG = "aws:backup:source-resource"
RESOURCE_ARN = re.compile(
    r"arn:[^:]+:ec2:[^:]*:(?P<account>\d*):(?P<kind>volume|instance)/(?P<id>(?:vol|i)-[0-9a-f]+)")
INSTANCE_TAGS = ("instance-id", "aws:dlm:instance-id")
SNAPSHOT_ID = re.compile(r"snap-[0-9a-f]+")
STATUSES = {"completed": "ok", "pending": "creating", "error": "failed", "recoverable": "partial"}
GIB = 2**30


@dataclass
class SnapshotIndex:
    """What the regions read tell us about snapshots, gathered before resolving them."""

    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    volume_owner: dict[tuple[str, str], str] = field(default_factory=dict)  # (account, vol) → instance
    dlm_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (account, policy id) → name
    _sources: dict[str, tuple[str | None, str | None]] = field(default_factory=dict, repr=False)

    def source_of(self, snap: Snapshot) -> tuple[str | None, str | None]:
        """(source snapshot id, source region) when ``snap`` is a copy, else (None, None)."""
        if snap.id not in self._sources:
            self._sources[snap.id] = self._find_source(snap)
        return self._sources[snap.id]

    def _find_source(self, snap: Snapshot) -> tuple[str | None, str | None]:
        for key in COPY_SOURCE_TAGS:
            match = SNAPSHOT_ID.search(snap.tags.get(key, ""))
            if match and match.group(0) != snap.id:
                return match.group(0), None
        for pattern in COPY_DESCRIPTIONS:
            match = pattern.search(snap.description)
            if match and match.group("snap") != snap.id:
                return match.group("snap"), match.groupdict().get("region")
        return None, None

    def instance_of(self, snap: Snapshot) -> str | None:
        """The instance whose volume ``snap`` (or the snapshot it copies) was taken from."""
        seen: set[str] = set()
        current: Snapshot | None = snap
        while current is not None and current.id not in seen:
            seen.add(current.id)
            if current.volume_id and (current.account, current.volume_id) in self.volume_owner:
                return self.volume_owner[(current.account, current.volume_id)]
            for key in INSTANCE_TAGS:
                if current.tags.get(key, "").startswith("i-"):
                    return current.tags[key]
            match = RESOURCE_ARN.search(current.tags.get(BACKUP_SOURCE_TAG, ""))
            if match and match.group("kind") == "instance":
                return match.group("id")
            if match:
                owner = self.volume_owner.get((match.group("account") or current.account, match.group("id")))
                if owner:
                    return owner
            source_id, _ = self.source_of(current)
            current = self.snapshots.get(source_id) if source_id else None
        return None


def restore_points(index: SnapshotIndex, *, source: str, n2ws_tag_keys: list[str]) -> list[RestorePoint]:
    points = []
    for snap in sorted(index.snapshots.values(), key=lambda s: (s.account, s.region, s.created, s.id)):
        copy_of, _ = index.source_of(snap)
        instance = index.instance_of(snap)
        job, job_id = _made_by(snap, index, n2ws_tag_keys)
        points.append(RestorePoint(
            source=source, id=snap.id, kind=RestorePointKind.COPY if copy_of else RestorePointKind.SNAPSHOT,
            asset_id=instance, asset_name=instance or snap.volume_id or snap.id, created=snap.created,
            location=snap.region, region=snap.region, account=snap.account, medium=Medium.CLOUD_SNAPSHOT,
            encrypted=snap.encrypted, job=job, job_id=job_id,
            status=STATUSES.get(snap.state, snap.state), copy_of=copy_of,
            size_bytes=snap.size_gib * GIB if snap.size_gib is not None else None,
            name=snap.tags.get("Name") or None, description=snap.description or None,
        ))
    return points


def _made_by(snap: Snapshot, index: SnapshotIndex, n2ws_tag_keys: list[str]) -> tuple[str | None, str | None]:
    """(job name, job id): the DLM policy or N2WS policy that made it; a copy inherits its source's."""
    seen: set[str] = set()
    current: Snapshot | None = snap
    while current is not None and current.id not in seen:
        seen.add(current.id)
        policy_id = current.tags.get(DLM_POLICY_TAG)
        if policy_id:
            # a policy of several schedules is one job per schedule; the tag says which made it
            job_id = f"{policy_id}/{current.tags.get(DLM_SCHEDULE_TAG, '')}"
            if (current.account, job_id) not in index.dlm_names:
                job_id = policy_id
            return index.dlm_names.get((current.account, job_id),
                                       index.dlm_names.get((current.account, policy_id), policy_id)), job_id
        present = [k for k in n2ws_tag_keys if current.tags.get(k)]
        if present:
            # The first configured key names the N2WS policy (cpm_policy_name by default).
            name_key = n2ws_tag_keys[0]
            return current.tags.get(name_key) or "n2ws", None
        source_id, _ = index.source_of(current)
        current = index.snapshots.get(source_id) if source_id else None
    return None, None

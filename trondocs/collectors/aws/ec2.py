"""EC2: instances (assets), which instance each EBS volume belongs to, and the account's snapshots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from trondocs.plan.models import Platform
from trondocs.state.models import Asset, AssetKind

# Known EC2 states, normalised to the State's power_state spellings; others kept as they came.
POWER_STATES = {"running": "on", "stopped": "off"}
# The largest pages EC2 allows: without MaxResults DescribeSnapshots answers in one response,
# which for a big account is slow and may time out.
PAGES = {"describe_instances": 1000, "describe_volumes": 500, "describe_snapshots": 1000}


@dataclass(frozen=True)
class Snapshot:
    """One EBS snapshot as DescribeSnapshots reports it, before it is tied to an instance."""

    id: str
    region: str
    account: str
    volume_id: str | None
    created: dt.datetime
    state: str
    encrypted: bool
    size_gib: int | None
    description: str
    tags: dict[str, str]


@dataclass
class Ec2Inventory:
    assets: list[Asset] = field(default_factory=list)
    volume_owner: dict[str, str] = field(default_factory=dict)  # volume id → instance id
    volume_tags: dict[str, dict[str, str]] = field(default_factory=dict)
    snapshots: list[Snapshot] = field(default_factory=list)


def tag_dict(tags: list[dict] | None) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def read_instances(ec2, *, source: str, region: str, account: str, into: Ec2Inventory) -> None:
    for page in ec2.get_paginator("describe_instances").paginate(
            PaginationConfig={"PageSize": PAGES["describe_instances"]}):
        for reservation in page.get("Reservations", []):
            for item in reservation.get("Instances", []):
                into.assets.append(_asset(item, source=source, region=region, account=account))
                for mapping in item.get("BlockDeviceMappings", []):
                    volume = mapping.get("Ebs", {}).get("VolumeId")
                    if volume:
                        into.volume_owner[volume] = item["InstanceId"]


def _asset(item: dict, *, source: str, region: str, account: str) -> Asset:
    tags = tag_dict(item.get("Tags"))
    state = item.get("State", {}).get("Name", "unknown")
    return Asset(
        source=source, platform=Platform.AWS, kind=AssetKind.INSTANCE, id=item["InstanceId"],
        ref=f"arn:aws:ec2:{region}:{account}:instance/{item['InstanceId']}",
        name=tags.get("Name") or item["InstanceId"], power_state=POWER_STATES.get(state, state),
        region=region, availability_zone=item.get("Placement", {}).get("AvailabilityZone"),
        account=account, instance_type=item.get("InstanceType"),
        volumes=sorted(m["Ebs"]["VolumeId"] for m in item.get("BlockDeviceMappings", [])
                       if m.get("Ebs", {}).get("VolumeId")),
        tags=tags,
    )


def read_volumes(ec2, *, into: Ec2Inventory) -> None:
    for page in ec2.get_paginator("describe_volumes").paginate(
            PaginationConfig={"PageSize": PAGES["describe_volumes"]}):
        for volume in page.get("Volumes", []):
            into.volume_tags[volume["VolumeId"]] = tag_dict(volume.get("Tags"))
            for attachment in volume.get("Attachments", []):
                if attachment.get("InstanceId"):
                    into.volume_owner.setdefault(volume["VolumeId"], attachment["InstanceId"])


def read_snapshots(ec2, *, region: str, account: str, into: Ec2Inventory) -> None:
    for page in ec2.get_paginator("describe_snapshots").paginate(
            OwnerIds=["self"], PaginationConfig={"PageSize": PAGES["describe_snapshots"]}):
        for item in page.get("Snapshots", []):
            # OwnerIds=self already asks for this; checked again because not every endpoint honours it
            if item.get("OwnerId") not in (None, account):
                continue
            volume = item.get("VolumeId")
            into.snapshots.append(Snapshot(
                id=item["SnapshotId"], region=region, account=account,
                volume_id=None if volume in (None, "vol-ffffffff") else volume,
                created=utc(item["StartTime"]), state=item.get("State", "completed"),
                encrypted=bool(item.get("Encrypted")), size_gib=item.get("VolumeSize"),
                description=item.get("Description") or "", tags=tag_dict(item.get("Tags")),
            ))

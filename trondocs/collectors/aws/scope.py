"""One account × region: every service read on its own, each all or nothing.

A service that fails part-way (DLM answering 500, AWS Backup denied, one EC2 call throttled)
yields nothing but its error, recorded as the scope ``account/region/service``; what the
other services read is kept. Half a service's answers would look like a gap in protection,
while a failed service makes only the checks needing it UNKNOWN (evaluate/coverage.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from trondocs.collectors.aws.backup import BackupJob, read_backup_jobs, read_plans
from trondocs.collectors.aws.backup_points import (
    CopyJob,
    VaultPoint,
    read_copy_jobs,
    read_restore_jobs,
    read_vault_points,
    read_vaults,
)
from trondocs.collectors.aws.dlm import read_dlm
from trondocs.collectors.aws.ec2 import Ec2Inventory, read_instances, read_snapshots, read_volumes
from trondocs.collectors.aws.session import AccountSession, describe_error
from trondocs.collectors.base import log
from trondocs.state.models import ProtectionJob, Repository


class AwsService(StrEnum):
    """An AWS service the source reads, as boto3 names its client."""

    EC2 = "ec2"  # instances, volumes and EBS snapshots
    DLM = "dlm"
    BACKUP = "backup"


# The parts of a scope that fail alone, as they appear in scope names.
EC2, SNAPSHOTS, DLM, BACKUP = AwsService.EC2.value, "ebs-snapshots", AwsService.DLM.value, \
    AwsService.BACKUP.value


@dataclass
class ScopeResult:
    account: str
    region: str
    ec2: Ec2Inventory = field(default_factory=Ec2Inventory)
    jobs: list[ProtectionJob] = field(default_factory=list)
    repositories: list[Repository] = field(default_factory=list)
    vault_points: list[VaultPoint] = field(default_factory=list)
    backup_history: list[BackupJob] = field(default_factory=list)
    copy_jobs: list[CopyJob] = field(default_factory=list)
    restore_jobs: list[dict] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # services read in full
    failed: dict[str, str] = field(default_factory=dict)  # service → one-line error

    @property
    def name(self) -> str:
        return f"{self.account}/{self.region}"


def _part(out: ScopeResult, service: str, read: Callable[[], None]) -> None:
    try:
        read()
    except Exception as exc:
        log.debug("aws %s/%s failed", out.name, service, exc_info=True)
        out.failed[service] = describe_error(exc)
    else:
        out.read.append(service)


def read_scope(session: AccountSession, region: str, *, source: str, services: frozenset[AwsService],
               copies_only: bool, now: dt.datetime | None = None) -> ScopeResult:
    """Read one region of one account. A copy region (or a DR account) is read for snapshots,
    vaults and the recovery points in them only."""
    account = session.account_id
    out = ScopeResult(account=account, region=region)
    now = now or dt.datetime.now(dt.UTC)

    if AwsService.EC2 in services and not copies_only:
        def instances() -> None:
            found = Ec2Inventory()
            ec2 = session.client("ec2", region)
            read_instances(ec2, source=source, region=region, account=account, into=found)
            read_volumes(ec2, into=found)
            out.ec2.assets, out.ec2.volume_owner, out.ec2.volume_tags = \
                found.assets, found.volume_owner, found.volume_tags
        _part(out, EC2, instances)
    if AwsService.EC2 in services:
        def snapshots() -> None:
            found = Ec2Inventory()
            read_snapshots(session.client("ec2", region), region=region, account=account, into=found)
            out.ec2.snapshots = found.snapshots
        _part(out, SNAPSHOTS, snapshots)
    if AwsService.DLM in services and not copies_only:
        def dlm() -> None:
            out.jobs += read_dlm(session.client("dlm", region), source=source, region=region, account=account,
                                 instances=out.ec2.assets, volume_tags=out.ec2.volume_tags,
                                 volume_owner=out.ec2.volume_owner)
        _part(out, DLM, dlm)
    if AwsService.BACKUP in services:
        def backup() -> None:
            client = session.client("backup", region)
            vaults = read_vaults(client, source=source, region=region, now=now)
            points = read_vault_points(client, region=region, account=account, vaults=vaults)
            copies = read_copy_jobs(client)
            jobs: list[ProtectionJob] = []
            history: list[BackupJob] = []
            restores: list[dict] = []
            if not copies_only:
                history = read_backup_jobs(client)
                jobs = read_plans(client, source=source, region=region, account=account,
                                  instances=out.ec2.assets, history=history,
                                  volume_tags=out.ec2.volume_tags, volume_owner=out.ec2.volume_owner)
                restores = read_restore_jobs(client)
            out.repositories, out.vault_points, out.copy_jobs = vaults, points, copies
            out.backup_history, out.restore_jobs = history, restores
            out.jobs += jobs
        _part(out, BACKUP, backup)
    return out

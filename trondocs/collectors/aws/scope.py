"""One account × region: everything the collector reads there, all or nothing.

A scope that fails part-way yields nothing but its error: half a region's snapshots would
look like a gap in protection, while a failed scope makes its checks UNKNOWN.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trondocs.collectors.aws.backup import read_backup_jobs, read_plans
from trondocs.collectors.aws.backup_points import read_recovery_points, read_restore_jobs, read_vaults
from trondocs.collectors.aws.dlm import read_dlm
from trondocs.collectors.aws.ec2 import Ec2Inventory, read_instances, read_snapshots, read_volumes
from trondocs.collectors.aws.session import AccountSession
from trondocs.state.models import ProtectionJob, RecoveryRun, Repository, RestorePoint


@dataclass
class ScopeResult:
    account: str
    region: str
    ec2: Ec2Inventory = field(default_factory=Ec2Inventory)
    jobs: list[ProtectionJob] = field(default_factory=list)
    repositories: list[Repository] = field(default_factory=list)
    backup_points: list[RestorePoint] = field(default_factory=list)
    recovery_runs: list[RecoveryRun] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.account}/{self.region}"


def read_scope(session: AccountSession, region: str, *, source: str, services: frozenset[str],
               copies_only: bool) -> ScopeResult:
    """Read one region of one account. A copy region is read for snapshots and vaults only."""
    account = session.account_id
    out = ScopeResult(account=account, region=region)
    if "ec2" in services:
        ec2 = session.client("ec2", region)
        if not copies_only:
            read_instances(ec2, source=source, region=region, account=account, into=out.ec2)
            read_volumes(ec2, into=out.ec2)
        read_snapshots(ec2, region=region, account=account, into=out.ec2)
    instances = out.ec2.assets
    if "dlm" in services and not copies_only:
        out.jobs += read_dlm(session.client("dlm", region), source=source, region=region, account=account,
                             instances=instances, volume_tags=out.ec2.volume_tags,
                             volume_owner=out.ec2.volume_owner)
    if "backup" in services:
        backup = session.client("backup", region)
        out.repositories = read_vaults(backup, source=source, region=region)
        if not copies_only:
            history = read_backup_jobs(backup)
            out.jobs += read_plans(backup, source=source, region=region, account=account,
                                   instances=instances, history=history)
            out.backup_points = read_recovery_points(
                backup, source=source, region=region, account=account, instances=instances,
                vaults=out.repositories, history=history)
            out.recovery_runs = read_restore_jobs(backup, source=source, points=out.backup_points)
    return out

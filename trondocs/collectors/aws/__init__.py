"""Source ``aws``: EC2 instances, EBS snapshots and their copies, DLM policies, AWS Backup.

Every account × region is read in parallel (a bounded pool); within it each service (EC2
instances and volumes, EBS snapshots, DLM, AWS Backup) is read on its own, and one that fails —
access denied, throttled past the retries, unreachable, a 500 — is recorded as the failed scope
``account/region/service`` while the rest is still collected. Only Describe*/List*/Get* calls
are possible (see ``session.CallLog``);
``docs/aws-iam-policy.json`` is the matching least-privilege policy.

In sources.yaml (credentials come from the profile, the role, or the AWS_* environment)::

    - name: aws
      type: aws
      regions: [eu-central-1]
      copy_regions: [eu-west-1]        # where DLM / AWS Backup put the cross-region copies
      accounts:
        - {name: tron-prod, role_arn: "arn:aws:iam::111122223333:role/trondocs-read"}
        # a DR account holding copies (AWS Backup copy actions, shared snapshots): its vaults
        # and snapshots in every region above are read, nothing else
        - {name: tron-dr, role_arn: "arn:aws:iam::444455556666:role/trondocs-read", copies_only: true}
"""

from __future__ import annotations

import concurrent.futures
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from trondocs.collectors.aws.backup_points import VaultPoint, resource_instance, restore_runs
from trondocs.collectors.aws.scope import AwsService, ScopeResult, read_scope
from trondocs.collectors.aws.session import CallLog, Endpoints, client_config, describe_error, open_account
from trondocs.collectors.aws.snapshots import SnapshotIndex, restore_points
from trondocs.collectors.base import CollectContext, Collected, SourceConfig, log
from trondocs.plan.models import Medium, Platform, ProtectionSystem
from trondocs.state.models import RestorePoint, RestorePointKind, ScopeRun

# botocore's standard and adaptive modes wait a random time between tries, at most 2**i s for
# the i-th retry of a throttled call and never more than this.
BOTOCORE_MAX_RETRY_WAIT = 20.0

Region = Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$", description="e.g. eu-central-1")]


class Account(BaseModel):
    """Whose resources to read: a profile and/or a role to assume; nothing = ambient credentials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, description="what to call the account when it cannot be reached")
    profile: str | None = Field(None, description="AWS profile (~/.aws/config)")
    role_arn: str | None = Field(None, pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$",
                                 description="role to assume for reading, e.g. a read-only trondocs role")
    external_id: str | None = Field(None, description="ExternalId the role's trust policy requires")
    copies_only: bool = Field(False, description="a DR account: read only the copies it holds "
                                                 "(snapshots, backup vaults and their recovery points)")

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.role_arn:
            return self.role_arn.split(":")[4]
        return f"profile:{self.profile}" if self.profile else "default"


class Config(SourceConfig):
    type: Literal["aws"] = "aws"
    regions: list[Region] = Field(min_length=1, description="regions the nodes run in")
    copy_regions: list[Region] = Field(default_factory=list,
                                    description="regions holding cross-region copies (snapshots, vaults)")
    accounts: list[Account] = Field(default_factory=lambda: [Account()], min_length=1)
    endpoint_url: str | None = Field(None, description="one endpoint for every service (tests, proxies)")
    dlm_endpoint_url: str | None = None
    backup_endpoint_url: str | None = None
    region_endpoint_urls: dict[Region, str] = Field(
        default_factory=dict, description="per-region endpoint, e.g. a VPC interface endpoint")
    services: list[AwsService] = Field(default_factory=lambda: list(AwsService), min_length=1)
    max_workers: int = Field(8, ge=1, le=64, description="account × region scopes read at once")
    max_attempts: int = Field(5, ge=1, le=20, description="tries per call, the first included (default 5; "
                              "botocore's adaptive retries, waiting 2, 4, 8… up to 20 s between tries)")
    n2ws_tag_keys: list[str] = Field(
        default_factory=lambda: ["cpm_policy_name", "cpm_server_id"],
        description="snapshot tags that mark N2WS snapshots; the first names the N2WS policy")

    def worst_request(self) -> tuple[float, str]:
        waits = sum(min(2.0 ** i, BOTOCORE_MAX_RETRY_WAIT) for i in range(1, self.max_attempts))
        return (self.max_attempts * self.timeout + waits,
                f"{self.max_attempts} tries × timeout {self.timeout:g} s + up to {waits:g} s of botocore's "
                "waits between them")


def collect(config: Config, ctx: CollectContext, *, calls: CallLog | None = None) -> Collected:
    calls = calls if calls is not None else CallLog()
    endpoints = Endpoints(
        default=config.endpoint_url, per_region=dict(config.region_endpoint_urls),
        per_service={k: v for k, v in ((AwsService.DLM, config.dlm_endpoint_url),
                                       (AwsService.BACKUP, config.backup_endpoint_url)) if v})
    botocore_config = client_config(config.timeout, config.max_attempts)
    regions = [(r, False) for r in config.regions]
    regions += [(r, True) for r in config.copy_regions if r not in config.regions]
    scopes: list[ScopeRun] = []
    results: list[ScopeResult] = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=config.max_workers) as pool:
        logins = [pool.submit(open_account, profile=a.profile, role_arn=a.role_arn,
                              external_id=a.external_id, sts_region=config.regions[0], log=calls,
                              endpoints=endpoints, config=botocore_config, deadline=ctx.limit,
                              remember_secret=ctx.remember_secret, where=f"AWS {config.name}")
                  for a in config.accounts]
        work = []
        for account, login in zip(config.accounts, logins, strict=True):
            try:
                session = login.result()
            except Exception as exc:  # the account cannot be read at all: each of its scopes fails
                log.debug("aws login %s failed", account.label, exc_info=True)
                error = _why(exc, ctx, config)
                scopes += [ScopeRun(scope=f"{account.label}/{r}", ok=False, error=error) for r, _ in regions]
                continue
            for region, copies_only in regions:
                work.append((f"{session.account_id}/{region}", pool.submit(
                    read_scope, session, region, source=config.name,
                    services=frozenset(config.services), copies_only=copies_only or account.copies_only,
                    now=ctx.now())))
        for name, future in work:
            try:
                result = future.result()
            except Exception as exc:  # a bug: the whole scope is unread
                log.debug("aws scope %s failed", name, exc_info=True)
                scopes.append(ScopeRun(scope=name, ok=False, error=_why(exc, ctx, config)))
                continue
            results.append(result)
            scopes += [ScopeRun(scope=f"{name}/{service}", ok=True) for service in result.read]
            scopes += [ScopeRun(scope=f"{name}/{service}", ok=False, error=error)
                       for service, error in result.failed.items()]
            ctx.progress(config.name, sum(len(r.ec2.assets) + len(r.ec2.snapshots) + len(r.vault_points)
                                          for r in results))
    out = _assemble(results, config)
    out.warnings += _ambiguous_names(ctx, out)
    out.scopes = sorted(scopes, key=lambda s: s.scope)
    out.api_calls = calls.calls
    return out


def _why(exc: Exception, ctx: CollectContext, config: Config) -> str:
    """The scope's error; past the deadline that is the reason, whatever botocore made of it."""
    if ctx.limit.expired:
        return str(ctx.limit.error(f"AWS {config.name}"))
    return describe_error(exc)


def _assemble(results: list[ScopeResult], config: Config) -> Collected:
    out = Collected()
    index = SnapshotIndex()
    read = {(r.account, r.region) for r in results}
    accounts = {r.account for r in results}
    for result in results:
        out.assets += result.ec2.assets
        out.jobs += result.jobs
        out.repositories += result.repositories
        index.snapshots.update({s.id: s for s in result.ec2.snapshots})
        index.volume_owner.update({(result.account, v): i for v, i in result.ec2.volume_owner.items()})
        for job in result.jobs:
            if job.system is ProtectionSystem.DLM:
                index.dlm_names[(result.account, job.id)] = job.name
                index.dlm_names.setdefault((result.account, job.id.split("/")[0]), job.name)
        for job in result.jobs:
            missing = [c for c in job.copy_locations if not _was_read(c, result.account, read, accounts)]
            if missing:
                how = "add the account to accounts (copies_only: true)" if any("/" in m for m in missing) \
                    else "add it to copy_regions"
                out.warnings.append(f"{job.system} {job.name!r} ({result.name}) copies to "
                                    f"{', '.join(missing)}, which was not read: {how}")
    backup_points = _backup_points(results, index.volume_owner, source=config.name)
    instance_of = {p.id: p.asset_name for p in backup_points}
    for result in results:
        out.recovery_runs += restore_runs(result.restore_jobs, source=config.name, instance_of=instance_of)
    out.restore_points = restore_points(index, source=config.name, n2ws_tag_keys=config.n2ws_tag_keys) \
        + backup_points
    return out


def _ambiguous_names(ctx: CollectContext, out: Collected) -> list[str]:
    """A plan node naming its instance by Name tag must name one instance: say when it names several."""
    if ctx.plan is None:
        return []
    warnings = []
    for node in ctx.plan.nodes:
        wanted = node.runs_on.instance
        if node.runs_on.source is not Platform.AWS or not wanted or wanted.startswith("i-"):
            continue
        carrying = sorted(a.id for a in out.assets if a.name.casefold() == wanted.casefold())
        if len(carrying) > 1:
            warnings.append(f"node '{node.name}' names instance '{wanted}', a Name tag {len(carrying)} "
                            f"instances carry ({', '.join(carrying)}): name it by instance id")
    return warnings


def _was_read(where: str, account: str, read: set[tuple[str, str]], accounts: set[str]) -> bool:
    if "/" not in where:
        return (account, where) in read
    other, region = where.split("/", 1)
    return other in accounts if region == "*" else (other, region) in read


def _backup_points(results: list[ScopeResult], volume_owner: dict[tuple[str, str], str], *,
                   source: str) -> list[RestorePoint]:
    """Recovery points of every vault read, tied to the instance they protect.

    A point whose vault's copy job (read in the source account) names its source, or whose
    ``SourceBackupVaultArn`` is another vault, is a copy.
    """
    copy_of = {j.destination_point: j.source_point for r in results for j in r.copy_jobs
               if j.destination_point and j.source_point}
    made_by = {j.recovery_point: (j.plan_id, j.plan_name) for r in results for j in r.backup_history
               if j.recovery_point}
    plans = {j.id.split("/")[0]: j.name for r in results for j in r.jobs
             if j.system is ProtectionSystem.AWS_BACKUP}
    made_by |= {p.arn: (p.plan_id, plans.get(p.plan_id)) for r in results for p in r.vault_points
                if p.plan_id and p.arn not in made_by}
    out = []
    for result in results:
        for point in sorted(result.vault_points, key=lambda p: (p.created, p.arn)):
            out.append(_backup_point(point, volume_owner, copy_of, made_by, source=source))
    return out


def _backup_point(point: VaultPoint, volume_owner, copy_of, made_by, *, source: str) -> RestorePoint:
    instance = resource_instance(point.resource_arn, volume_owner)
    source_point = copy_of.get(point.arn)
    is_copy = bool(source_point) or bool(point.source_vault_arn and point.source_vault_arn != point.vault_arn)
    # the plan that made it (a copy: the plan that made what it copies)
    plan_id, plan_name = made_by.get(point.arn) or made_by.get(source_point or "") or (None, None)
    name = instance or point.resource_name or point.resource_arn.rsplit("/", 1)[-1] or point.arn
    return RestorePoint(
        source=source, id=point.arn, kind=RestorePointKind.COPY if is_copy else RestorePointKind.BACKUP,
        asset_id=instance, asset_name=name, created=point.created, location=point.vault,
        repository=point.vault, region=point.region, account=point.account, medium=Medium.CLOUD_SNAPSHOT,
        immutable=point.immutable, encrypted=point.encrypted,
        job=plan_name, job_id=plan_id,
        status=point.status, copy_of=source_point, size_bytes=point.size_bytes,
    )

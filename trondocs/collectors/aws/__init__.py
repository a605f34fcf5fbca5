"""Source ``aws``: EC2 instances, EBS snapshots and their copies, DLM policies, AWS Backup.

Every account × region is read in parallel (a bounded pool); a region that fails — access
denied, throttled past the retries, unreachable — is recorded as a failed scope and the rest
is still collected. Only Describe*/List*/Get* calls are possible (see ``session.CallLog``);
``docs/aws-iam-policy.json`` is the matching least-privilege policy.

In sources.yaml (credentials come from the profile, the role, or the AWS_* environment)::

    - name: aws
      type: aws
      regions: [eu-central-1]
      copy_regions: [eu-west-1]        # where DLM / AWS Backup put the cross-region copies
      accounts:
        - {name: tron-prod, role_arn: "arn:aws:iam::111122223333:role/trondocs-read"}
"""

from __future__ import annotations

import concurrent.futures
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from trondocs.collectors.aws.scope import ScopeResult, read_scope
from trondocs.collectors.aws.session import CallLog, Endpoints, client_config, describe_error, open_account
from trondocs.collectors.aws.snapshots import SnapshotIndex, restore_points
from trondocs.collectors.base import CollectContext, Collected, SourceConfig, log
from trondocs.state.models import ScopeRun

Region = Annotated[str, Field(pattern=r"^[a-z]{2}(-[a-z]+)+-\d$", description="e.g. eu-central-1")]
Service = Literal["ec2", "dlm", "backup"]


class Account(BaseModel):
    """Whose resources to read: a profile and/or a role to assume; nothing = ambient credentials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str | None = Field(None, description="what to call the account when it cannot be reached")
    profile: str | None = Field(None, description="AWS profile (~/.aws/config)")
    role_arn: str | None = Field(None, pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/\S+$",
                                 description="role to assume for reading, e.g. a read-only trondocs role")
    external_id: str | None = Field(None, description="ExternalId the role's trust policy requires")

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
    services: list[Service] = Field(default_factory=lambda: ["ec2", "dlm", "backup"], min_length=1)
    max_workers: int = Field(8, ge=1, le=64, description="account × region scopes read at once")
    max_attempts: int = Field(5, ge=1, le=20, description="tries per call (adaptive retries)")
    n2ws_tag_keys: list[str] = Field(
        default_factory=lambda: ["cpm_policy_name", "cpm_server_id"],
        description="snapshot tags that mark N2WS snapshots; the first names the N2WS policy")


def collect(config: Config, ctx: CollectContext, *, calls: CallLog | None = None) -> Collected:
    calls = calls if calls is not None else CallLog()
    endpoints = Endpoints(
        default=config.endpoint_url, per_region=dict(config.region_endpoint_urls),
        per_service={k: v for k, v in (("dlm", config.dlm_endpoint_url),
                                       ("backup", config.backup_endpoint_url)) if v})
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
                    services=frozenset(config.services), copies_only=copies_only)))
        for name, future in work:
            try:
                results.append(future.result())
                scopes.append(ScopeRun(scope=name, ok=True))
            except Exception as exc:
                log.debug("aws scope %s failed", name, exc_info=True)
                scopes.append(ScopeRun(scope=name, ok=False, error=_why(exc, ctx, config)))
            ctx.progress(config.name, sum(len(r.ec2.assets) + len(r.ec2.snapshots) for r in results))
    out = _assemble(results, config)
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
    for result in results:
        out.assets += result.ec2.assets
        out.jobs += result.jobs
        out.repositories += result.repositories
        out.restore_points += result.backup_points
        out.recovery_runs += result.recovery_runs
        index.snapshots.update({s.id: s for s in result.ec2.snapshots})
        index.volume_owner.update({(result.account, v): i for v, i in result.ec2.volume_owner.items()})
        index.dlm_names.update({(result.account, j.id): j.name for j in result.jobs if j.system == "dlm"})
        for job in result.jobs:
            missing = [c for c in job.copy_locations if (result.account, c) not in read]
            if missing:
                out.warnings.append(f"{job.system} {job.name!r} ({result.name}) copies to "
                                    f"{', '.join(missing)}, which was not read: add it to copy_regions")
    out.restore_points = restore_points(index, source=config.name, n2ws_tag_keys=config.n2ws_tag_keys) \
        + out.restore_points
    return out

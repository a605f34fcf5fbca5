"""boto3 sessions per account, clients per region, and the read-only guard on every call.

Every client is made from a session whose ``before-call`` hook records the operation and
refuses anything that is not a read: the collector cannot change the account even by a bug.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import boto3
import botocore.config
import botocore.exceptions

from trondocs.collectors.base import SourceError
from trondocs.collectors.deadline import NO_DEADLINE, Deadline, watched_pool

READ_PREFIXES = ("Describe", "List", "Get")
STS_ALLOWED = frozenset({"AssumeRole", "GetCallerIdentity"})
SESSION_NAME = "trondocs-collect"


class ReadOnlyViolation(RuntimeError):
    """The collector tried an operation that could change something; refused before sending."""


def is_read_only(service: str, operation: str) -> bool:
    if service == "sts":
        return operation in STS_ALLOWED
    return operation.startswith(READ_PREFIXES)


@dataclass
class CallLog:
    """Every operation the collector called (``service:Operation``, as IAM spells actions)."""

    calls: int = 0
    actions: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def before_call(self, model, **_kwargs) -> None:
        service = model.service_model.signing_name or model.service_model.endpoint_prefix
        if not is_read_only(service, model.name):
            raise ReadOnlyViolation(f"refused {service}:{model.name}: trondocs only reads")
        with self._lock:
            self.calls += 1
            self.actions.add(f"{service}:{model.name}")

    def watch(self, session: boto3.Session) -> boto3.Session:
        session.events.register("before-call", self.before_call)
        return session


@dataclass(frozen=True)
class Endpoints:
    """Where to send requests; None means AWS's own endpoints."""

    default: str | None = None
    per_service: dict[str, str] = field(default_factory=dict)  # dlm, backup → URL
    per_region: dict[str, str] = field(default_factory=dict)  # VPC endpoints are regional

    def url(self, service: str, region: str) -> str | None:
        return self.per_region.get(region) or self.per_service.get(service) or self.default


def client_config(timeout: float, max_attempts: int) -> botocore.config.Config:
    return botocore.config.Config(
        # total_max_attempts counts the first try too ("max_attempts" there would mean retries)
        retries={"mode": "adaptive", "total_max_attempts": max_attempts},
        connect_timeout=timeout, read_timeout=timeout, max_pool_connections=16,
        user_agent_extra="trondocs",
    )


def hold_to(session: boto3.Session, deadline: Deadline, where: str) -> boto3.Session:
    """No request of ``session`` is sent (first try or retry) once ``deadline`` has passed."""

    def guard(**_kwargs) -> None:
        deadline.check(where)

    session.events.register("before-send", guard)
    return session


def bounded_client(session: boto3.Session, service: str, region: str, config: botocore.config.Config,
                   endpoint_url: str | None, deadline: Deadline):
    """A client whose reads never wait past ``deadline`` and whose sockets it shuts down."""
    if deadline.at is not None:
        limit = deadline.timeout(config.read_timeout)
        config = config.merge(botocore.config.Config(
            read_timeout=limit, connect_timeout=min(config.connect_timeout, limit)))
    client = session.client(service, region_name=region, config=config, endpoint_url=endpoint_url)
    # botocore has no public hook for its sockets: its URLLib3Session keeps the pool classes it
    # gives every PoolManager. When that changes, the guard and the clipped timeouts still hold.
    http = getattr(getattr(client, "_endpoint", None), "http_session", None)
    pools = getattr(http, "_pool_classes_by_scheme", None)
    if deadline.at is not None and isinstance(pools, dict):
        watched = {scheme: watched_pool(cls, deadline) for scheme, cls in pools.items()}
        http._pool_classes_by_scheme = watched
        for manager in [getattr(http, "_manager", None), *getattr(http, "_proxy_managers", {}).values()]:
            if manager is not None:
                manager.pool_classes_by_scheme = watched
    return client


class AccountSession:
    """One account's credentials; hands out guarded clients, safely from many threads."""

    def __init__(self, session: boto3.Session, account_id: str, label: str, log: CallLog,
                 endpoints: Endpoints, config: botocore.config.Config,
                 deadline: Deadline = NO_DEADLINE) -> None:
        self.account_id, self.label = account_id, label
        self._session, self._log, self._endpoints, self._config = session, log, endpoints, config
        self._deadline = deadline
        self._lock = threading.Lock()  # botocore sessions are not thread-safe; clients are

    def client(self, service: str, region: str):
        with self._lock:
            return bounded_client(self._session, service, region, self._config,
                                  self._endpoints.url(service, region), self._deadline)


def open_account(*, profile: str | None, role_arn: str | None, external_id: str | None,
                 sts_region: str, log: CallLog, endpoints: Endpoints,
                 config: botocore.config.Config, deadline: Deadline = NO_DEADLINE,
                 remember_secret: Callable[[str | None], None] = lambda value: None,
                 where: str = "AWS") -> AccountSession:
    """Log in as the account: the profile (or ambient credentials), then AssumeRole if asked.

    Every credential the session will sign with is handed to ``remember_secret``, so no
    error line or log record can carry it (botocore logs request headers at debug level).
    """
    session = hold_to(log.watch(boto3.Session(profile_name=profile, region_name=sts_region)), deadline, where)
    _remember_credentials(session, remember_secret)
    label = role_arn or (f"profile {profile}" if profile else "default credentials")
    if role_arn:
        sts = bounded_client(session, "sts", sts_region, config, endpoints.url("sts", sts_region), deadline)
        extra = {"ExternalId": external_id} if external_id else {}
        creds = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME, **extra)["Credentials"]
        remember_secret(creds.get("SecretAccessKey"))
        remember_secret(creds.get("SessionToken"))
        session = hold_to(log.watch(boto3.Session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name=sts_region)), deadline, where)
    sts = bounded_client(session, "sts", sts_region, config, endpoints.url("sts", sts_region), deadline)
    account_id = sts.get_caller_identity()["Account"]
    return AccountSession(session, account_id, label, log, endpoints, config, deadline)


def _remember_credentials(session: boto3.Session, remember_secret: Callable[[str | None], None]) -> None:
    try:
        credentials = session.get_credentials()
    except botocore.exceptions.BotoCoreError:
        return  # reported when the first call needs them
    if credentials is not None:
        frozen = credentials.get_frozen_credentials()
        remember_secret(frozen.secret_key)
        remember_secret(frozen.token)


def describe_error(exc: Exception) -> str:
    """One line for the scope's error: what failed and why, never a traceback."""
    if isinstance(exc, SourceError):  # ours, already one line (a passed deadline)
        return str(exc)
    if isinstance(exc, botocore.exceptions.ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "error")
        message = " ".join(str(error.get("Message", "")).split())
        attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        tail = f" (after {attempts + 1} attempts)" if attempts else ""
        return f"{exc.operation_name}: {code}: {message}{tail}".rstrip(": ")
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        return f"cannot reach {exc.kwargs.get('endpoint_url', 'the endpoint')}"
    if isinstance(exc, botocore.exceptions.ConnectTimeoutError | botocore.exceptions.ReadTimeoutError):
        return f"timed out talking to {exc.kwargs.get('endpoint_url', 'the endpoint')}"
    if isinstance(exc, botocore.exceptions.NoCredentialsError):
        return "no AWS credentials: configure a profile, a role, or the AWS_* environment variables"
    if isinstance(exc, botocore.exceptions.ProfileNotFound):
        return f"{exc}: check 'profile' in sources.yaml and ~/.aws/config"
    if isinstance(exc, botocore.exceptions.BotoCoreError | ReadOnlyViolation):
        return " ".join(str(exc).split())
    return f"{type(exc).__name__}: {' '.join(str(exc).split())}"

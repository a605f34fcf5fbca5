"""boto3 sessions per account, clients per region, and the read-only guard on every call.

Every client is made from a session whose ``before-call`` hook records the operation and
refuses anything that is not a read: the collector cannot change the account even by a bug.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import boto3
import botocore.config
import botocore.exceptions

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


class AccountSession:
    """One account's credentials; hands out guarded clients, safely from many threads."""

    def __init__(self, session: boto3.Session, account_id: str, label: str, log: CallLog,
                 endpoints: Endpoints, config: botocore.config.Config) -> None:
        self.account_id, self.label = account_id, label
        self._session, self._log, self._endpoints, self._config = session, log, endpoints, config
        self._lock = threading.Lock()  # botocore sessions are not thread-safe; clients are

    def client(self, service: str, region: str):
        with self._lock:
            return self._session.client(service, region_name=region, config=self._config,
                                        endpoint_url=self._endpoints.url(service, region))


def open_account(*, profile: str | None, role_arn: str | None, external_id: str | None,
                 sts_region: str, log: CallLog, endpoints: Endpoints,
                 config: botocore.config.Config) -> AccountSession:
    """Log in as the account: the profile (or ambient credentials), then AssumeRole if asked."""
    session = log.watch(boto3.Session(profile_name=profile, region_name=sts_region))
    label = role_arn or (f"profile {profile}" if profile else "default credentials")
    if role_arn:
        sts = session.client("sts", region_name=sts_region, config=config,
                             endpoint_url=endpoints.url("sts", sts_region))
        extra = {"ExternalId": external_id} if external_id else {}
        creds = sts.assume_role(RoleArn=role_arn, RoleSessionName=SESSION_NAME, **extra)["Credentials"]
        session = log.watch(boto3.Session(
            aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"], region_name=sts_region))
    sts = session.client("sts", region_name=sts_region, config=config,
                         endpoint_url=endpoints.url("sts", sts_region))
    account_id = sts.get_caller_identity()["Account"]
    return AccountSession(session, account_id, label, log, endpoints, config)


def describe_error(exc: Exception) -> str:
    """One line for the scope's error: what failed and why, never a traceback."""
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

"""A small JSON-over-HTTP client the REST collectors share: timeouts, deadline, bounded retries, TLS.

Every failure becomes a ``SourceError`` with one line naming the host and what went wrong,
never the request headers (they carry tokens) nor a traceback.
"""

from __future__ import annotations

import json
import threading
import warnings
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
import requests.adapters
import urllib3
import urllib3.connectionpool

from trondocs.collectors.base import CollectContext, SourceError, log
from trondocs.collectors.connection import MAX_RETRY_WAIT, HttpSourceConfig, retry_wait
from trondocs.collectors.deadline import NO_DEADLINE, Deadline, watched_pool

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class Unreachable(SourceError):
    """No HTTP answer at all (refused, timed out, TLS failure), as opposed to a wrong answer."""


def one_line(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_failure(exc: requests.RequestException) -> str:
    """A short reason for a transport failure, without the URL's query or any header."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "TLS certificate not trusted (set ca_bundle to the CA's PEM file)"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "connection timed out"
    if isinstance(exc, requests.exceptions.Timeout):
        return "no answer within the timeout"
    text = str(exc)
    for marker, reason in (("Connection refused", "connection refused"),
                           ("Name or service not known", "host name not found"),
                           ("nodename nor servname", "host name not found"),
                           ("No route to host", "no route to host"),
                           ("RemoteDisconnected", "connection closed without an answer"),
                           ("Connection reset", "connection reset"),
                           ("Connection aborted", "connection closed without an answer")):
        if marker in text:
            return reason
    return one_line(type(exc).__name__)


def _watched_pools(deadline: Deadline) -> dict[str, type]:
    return {"http": watched_pool(urllib3.connectionpool.HTTPConnectionPool, deadline),
            "https": watched_pool(urllib3.connectionpool.HTTPSConnectionPool, deadline)}


class _DeadlineAdapter(requests.adapters.HTTPAdapter):
    def __init__(self, deadline: Deadline) -> None:
        self._pools = _watched_pools(deadline)
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager


def deadline_session(deadline: Deadline) -> requests.Session:
    """A requests session whose connections end when ``deadline`` passes, whatever the server does."""
    session = requests.Session()
    adapter = _DeadlineAdapter(deadline)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class HttpClient:
    """One session per source; counts API calls (thread-safe) for the collection record."""

    def __init__(self, *, what: str, timeout: float, retries: int, backoff: float,
                 verify: bool | str, sleep: Callable[[float], None] | None = None,
                 deadline: Deadline = NO_DEADLINE) -> None:
        self.what = what
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.sleep = sleep or deadline.sleep
        self.verify = verify  # passed per request: requests lets REQUESTS_CA_BUNDLE override session.verify
        if verify is False:  # the user chose it and we warn once per run; not once per request
            warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)
        self.session = deadline_session(deadline)
        self.session.headers["Accept"] = "application/json"
        self.calls = 0
        self._lock = threading.Lock()

    @classmethod
    def for_source(cls, config: HttpSourceConfig, ctx: CollectContext, what: str) -> HttpClient:
        """A client with the source's timeout, retries, backoff, TLS trust and deadline."""
        return cls(what=what, timeout=config.timeout, retries=config.retries, backoff=config.retry_backoff,
                   verify=config.requests_verify(ctx), deadline=ctx.limit)

    def request(self, method: str, url: str, *, params: dict | None = None, json_body: Any = None,
                headers: dict[str, str] | None = None) -> requests.Response:
        """Send with retries on 429/5xx and transport errors; return the final response."""
        where = urlsplit(url).netloc
        for attempt in range(self.retries + 1):
            self.deadline.check(f"{self.what}: {where}")
            with self._lock:
                self.calls += 1
            log.debug("%s: %s %s", self.what, method, urlsplit(url).path)
            try:
                response = self.session.request(method, url, params=params, json=json_body,
                                                headers=headers,
                                                timeout=self.deadline.timeout(self.timeout),
                                                verify=self.verify, allow_redirects=False)
            except requests.RequestException as exc:
                if self.deadline.expired:  # it closed the connection under us
                    raise self.deadline.error(f"{self.what}: {where}") from None
                reason = describe_failure(exc)
                if attempt == self.retries or isinstance(exc, requests.exceptions.SSLError):
                    raise Unreachable(f"{self.what}: cannot reach {where}: {reason}") from None
                log.debug("%s: %s, retrying", self.what, reason)
            else:
                if response.status_code not in RETRY_STATUSES or attempt == self.retries:
                    return response
                log.debug("%s: HTTP %s from %s, retrying", self.what, response.status_code, where)
                retry_after = _retry_after(response)
                if retry_after is not None:
                    self.sleep(retry_after)
                    continue
            self.sleep(retry_wait(self.backoff, attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    def close(self) -> None:
        self.session.close()


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), MAX_RETRY_WAIT)


def parse_json(response: requests.Response, what: str) -> Any:
    """The body as JSON, or a SourceError quoting (briefly) what came instead."""
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError):
        snippet = one_line(response.text or "(empty body)", 100)
        raise SourceError(f"{what}: answered HTTP {response.status_code} with text, not JSON: "
                          f"{snippet!r}") from None

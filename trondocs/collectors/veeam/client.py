"""The VBR REST client: OAuth2 login, token refresh, skip/limit paging, bounded retries, logout.

Bounded whatever the server answers: a token already expired when it arrives fails the
source at once (it would mean logging in before every call), so do more than ``max_logins``
logins and refreshes in one run; paging stops at the reported total, on an empty page, and
fails on a page that repeats the previous one or past ``max_pages``. A Ctrl-C (the run's
``cancel`` event) stops before the next request.

Tokens and the password only ever travel in request bodies and the Authorization header;
nothing here logs or raises with either. Every failure is one ``SourceError`` line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import warnings
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import requests
import urllib3

from trondocs.collectors.base import CollectContext, SourceError, log
from trondocs.collectors.connection import MAX_RETRY_WAIT, retry_wait
from trondocs.collectors.httpjson import deadline_session
from trondocs.collectors.veeam.values import parse_time

TOKEN_PATH = "/api/oauth2/token"
LOGOUT_PATH = "/api/oauth2/logout"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MIN_TOKEN_LIFETIME = 10  # seconds: a shorter token is refreshed before nearly every call


class AuthRefused(SourceError):
    """The server refused our credentials: nothing else can be read."""


class NotServed(SourceError):
    """The server has no such path (404): an older revision, or a feature it lacks."""


class VeeamClient:
    def __init__(self, *, url: str, api_version: str, username: str, password: str,
                 verify: bool | str, timeout: float, retries: int, backoff: float,
                 ctx: CollectContext, sleep: Callable[[float], None] | None = None,
                 max_logins: int = 50, max_pages: int = 2000, name: str = "veeam"):
        self.base = url.rstrip("/")
        self.where = f"Veeam at {urlsplit(self.base).netloc or self.base}"
        self._username, self._password = username, password
        self.timeout, self.retries, self.backoff = timeout, retries, backoff
        self.deadline = ctx.limit
        self.now, self.sleep = ctx.now, sleep or self.deadline.sleep
        self._remember = ctx.remember_secret
        self.cancel = getattr(ctx, "cancel", None)
        self.max_logins, self.max_pages, self.name = max_logins, max_pages, name
        self.logins = 0  # password logins and refreshes, this run
        self.http = deadline_session(self.deadline)
        self.verify = verify  # per request: a Session-level value loses to REQUESTS_CA_BUNDLE
        self.http.headers.update({"x-api-version": api_version, "Accept": "application/json"})
        self.calls = 0
        self._access: str | None = None
        self._refresh: str | None = None
        self._refresh_at: dt.datetime | None = None

    # ---- transport -----------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        """One request with bounded retries on connection trouble, 5xx and 429."""
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(retry_wait(self.backoff, attempt - 1))
            self.deadline.check(self.where)
            if self.cancel is not None and self.cancel.is_set():
                raise SourceError(f"{self.where}: interrupted")
            self.calls += 1
            try:
                with _quiet(self.verify):
                    response = self.http.request(method, self.base + path,
                                                 timeout=self.deadline.timeout(self.timeout),
                                                 verify=self.verify, **kwargs)
            except requests.exceptions.RequestException as exc:
                if self.deadline.expired:  # it closed the connection under us
                    raise self.deadline.error(self.where) from None
                if isinstance(exc, requests.exceptions.SSLError):
                    raise SourceError(f"{self.where}: TLS certificate not trusted; set ca_bundle to the "
                                      "CA that signed it (or insecure: true, not recommended)") from None
                if not isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
                    raise
                last = "no answer" if isinstance(exc, requests.exceptions.Timeout) else "cannot connect"
                log.debug("%s: %s %s: %s (try %d)", self.where, method, path, last, attempt + 1)
                continue
            log.debug("%s: %s %s %s -> %d", self.where, method, path,
                      _query(kwargs.get("params")), response.status_code)
            if response.status_code not in RETRY_STATUSES:
                return response
            last = f"HTTP {response.status_code}"
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.isdigit() and attempt < self.retries:
                self.sleep(min(MAX_RETRY_WAIT, float(retry_after)))
        raise SourceError(f"{self.where}: {method} {path} failed ({last}) after {self.retries + 1} tries")

    # ---- auth ----------------------------------------------------------------------------
    def _grant(self, form: dict[str, str]) -> requests.Response:
        if self.logins >= self.max_logins:
            raise AuthRefused(f"{self.where}: gave up after {self.logins} logins and token refreshes in one "
                              "run: the server keeps refusing or expiring the tokens it issues (check its "
                              "clock and its token lifetime)")
        self.logins += 1
        return self._send("POST", TOKEN_PATH, data=form)

    def _keep(self, response: requests.Response) -> None:
        body = _json(response, self.where, TOKEN_PATH)
        self._access, self._refresh = body.get("access_token"), body.get("refresh_token")
        if not self._access:
            raise SourceError(f"{self.where}: the token answer carries no access_token")
        self._remember(self._access)
        self._remember(self._refresh if isinstance(self._refresh, str) else None)
        lifetime = body.get("expires_in") if isinstance(body.get("expires_in"), int) else 900
        now = self.now()
        # judged by the server's own clock (.issued → .expires): ours may differ from it
        issued, expires = parse_time(body.get(".issued")), parse_time(body.get(".expires"))
        if lifetime < MIN_TOKEN_LIFETIME or (issued and expires and expires <= issued):
            when = f", .expires {body.get('.expires')}" if expires is not None else ""
            raise AuthRefused(f"{self.where}: the access token is already expired when it arrives "
                              f"(expires_in {lifetime} s{when}); check the backup server's clock and "
                              "token lifetime")
        # Refresh a little before expiry: a tenth of the lifetime, at least 5 s.
        self._refresh_at = now + dt.timedelta(seconds=lifetime - max(5.0, lifetime / 10))

    def login(self) -> None:
        again = self.logins > 0
        response = self._grant({"grant_type": "password", "username": self._username,
                                "password": self._password})
        if again and response.status_code in (400, 401, 403):
            raise AuthRefused(f"{self.where}: logging in again after {self.logins - 1} logins and refreshes "
                              f"was rejected (HTTP {response.status_code}{_code(response)})")
        if response.status_code in (401, 403):
            raise AuthRefused(f"{self.where}: login refused (HTTP {response.status_code}); check the user "
                              "name and password in the configured environment variables")
        if response.status_code == 400:  # documented for the token endpoint; the cause is not always said
            raise AuthRefused(f"{self.where}: login request rejected (HTTP 400{_code(response)}); check the "
                              f"user name and password, and that api_version "
                              f"{self.http.headers['x-api-version']} is a revision this server supports")
        _raise_for(response, self.where, TOKEN_PATH)
        self._keep(response)

    def refresh(self) -> None:
        """Use the (single-use) refresh token; log in again if the server refuses it."""
        if self._refresh:
            response = self._grant({"grant_type": "refresh_token", "refresh_token": self._refresh})
            self._refresh = None
            if response.status_code == 200:
                self._keep(response)
                return
            log.debug("%s: token refresh refused (HTTP %d); logging in again", self.where,
                      response.status_code)
        self.login()

    def logout(self) -> None:
        if not self._access:
            return
        try:
            self.calls += 1
            with _quiet(self.verify):
                # logging out is owed to the server even past the deadline: a short, bounded try
                self.http.post(self.base + LOGOUT_PATH, headers=self._auth(),
                               timeout=min(self.timeout, 5.0), verify=self.verify)
        except requests.exceptions.RequestException:
            log.debug("%s: logout failed (the token expires by itself)", self.where)
        finally:
            self._access = self._refresh = None
            self.http.close()

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._access}"}

    # ---- reading -------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, object] | None = None) -> dict:
        if self._access is None:
            self.login()
        elif self._refresh_at and self.now() >= self._refresh_at:
            self.refresh()
        response = self._send("GET", path, params=params, headers=self._auth())
        if response.status_code == 401:  # expired or revoked early: refresh once and retry
            self.refresh()
            response = self._send("GET", path, params=params, headers=self._auth())
        if response.status_code == 404:
            raise NotServed(f"{self.where}: {path} is not served (HTTP 404)")
        _raise_for(response, self.where, path)
        return _json(response, self.where, path)

    def pages(self, path: str, page_size: int, params: dict[str, object] | None = None) -> Iterator[dict]:
        """Every item of a list endpoint, following skip/limit until pagination.total.

        Skip advances by the items actually returned; an empty page ends; a page identical to
        the one before (a server ignoring skip) or more than ``max_pages`` fail the scope.
        """
        skip, previous, total = 0, None, None
        for number in itertools.count(1):
            if number > self.max_pages:
                raise SourceError(f"{self.where}: {path} still had more after {self.max_pages} pages "
                                  f"({skip} items; pagination.total {total}): stopped (max_pages)")
            body = self.get(path, {**(params or {}), "skip": skip, "limit": page_size})
            data = body.get("data")
            if not isinstance(data, list):
                raise SourceError(f"{self.where}: {path} answered without a data list")
            if data and data == previous:
                raise SourceError(f"{self.where}: {path} answered the same page again at skip {skip}: "
                                  "paging does not advance, stopped")
            previous = data
            total = (body.get("pagination") or {}).get("total")
            log.info("%s: %s page %d: %d items (%d of %s)", self.name, path, number, len(data),
                     skip + len(data), total if isinstance(total, int) else "?")
            yield from (item for item in data if isinstance(item, dict))
            skip += len(data)
            if not data or not isinstance(total, int) or skip >= total:
                return


@contextlib.contextmanager
def _quiet(verify: bool | str) -> Iterator[None]:
    """insecure: true is warned about once per run in Collected.warnings, not per request by urllib3."""
    if verify is not False:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
        yield


def _query(params) -> str:
    return "&".join(f"{k}={v}" for k, v in (params or {}).items())


def _code(response: requests.Response) -> str:
    """ " ExpiredToken": the Error body's code (an enum word, safe to show), or nothing."""
    code = ""
    with contextlib.suppress(ValueError, AttributeError):
        code = str(response.json().get("errorCode") or "")
    return f" {code}" if code.isalnum() else ""


def _raise_for(response: requests.Response, where: str, path: str) -> None:
    if response.status_code >= 400:
        raise SourceError(f"{where}: {path} answered HTTP {response.status_code}{_code(response)}")


def _json(response: requests.Response, where: str, path: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        raise SourceError(f"{where}: {path} did not answer JSON") from None
    if not isinstance(body, dict):
        raise SourceError(f"{where}: {path} answered {type(body).__name__}, not an object")
    return body

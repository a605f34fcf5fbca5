"""A local fake of the Veeam Backup & Replication REST API (v1) — a real HTTP(S) server.

    with FakeVeeamServer(tron_estate(now), revision="1.2-rev1") as server:
        server.url  # http://127.0.0.1:<port>

It follows the published API: OAuth2 password and refresh grants on ``/api/oauth2/token``
(form body, ``x-api-version`` required), single-use refresh tokens, ``401`` on an expired or
revoked token, ``/api/oauth2/logout``, ``skip``/``limit`` paging with ``pagination.total``,
paths present only in the revisions that document them (``404`` otherwise), and every JSON
body validated against the revision's official response schema before it is sent (a
mismatch is recorded in ``mismatches`` and answered with a 500, so tests fail loudly).

Revisions: any with vendored schemas (1.0-rev1, 1.1-rev0, 1.2-rev1, 1.3-rev2).

Faults for tests: ``token_ttl_requests`` (a token expires after N API calls), ``fail_once``
(``{path: {skip, …}}``: one 500 on those pages), ``fail_always`` (paths that always 500),
``throttle_once`` (paths answered 429 once), ``max_limit`` (the server caps ``limit``),
``refuse_refresh`` (every refresh grant is refused), ``slow`` (``{path: seconds}`` before answering),
``endless`` (paths whose ``pagination.total`` never ends: the first page again, whatever ``skip``;
with ``expires_in=0`` the 57,000-logins server of issue 14).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.fakes.veeam_estate import VeeamEstate, tron_estate
from tests.fakes.veeam_lists import list_items
from tests.fakes.veeam_render import Renderer
from tests.fakes.veeam_schemas import SchemaMismatch, schemas_for

DEFAULT_LIMIT = 200


@dataclass
class Hit:
    method: str
    path: str
    query: dict[str, str]
    status: int
    authorization: str | None


@dataclass
class _Token:
    issued: float
    calls_left: int | None


class FakeVeeamServer:
    def __init__(self, estate: VeeamEstate | None = None, revision: str = "1.2-rev1", *,
                 username: str = "BUC\\trondocs-reader", password: str = "correct horse battery",
                 expires_in: int = 900, token_ttl_requests: int | None = None, token_prefix: str = "eyJ",
                 max_limit: int | None = None, fail_once: dict[str, set[int]] | None = None,
                 fail_always: set[str] | None = None, throttle_once: set[str] | None = None,
                 refuse_refresh: bool = False, validate: bool = True,
                 tls: tuple[str, str] | None = None, now: dt.datetime | None = None, port: int = 0,
                 also_accept: set[str] | None = None, slow: dict[str, float] | None = None,
                 endless: set[str] | None = None):
        self.revision = revision
        self.schemas = schemas_for(revision)
        self.now = now or dt.datetime.now(dt.UTC)
        self.estate = estate if estate is not None else tron_estate(self.now)
        self.render = Renderer(self.schemas, self.estate)
        self.username, self.password = username, password
        self.expires_in, self.token_ttl_requests = expires_in, token_ttl_requests
        self.token_prefix, self.max_limit = token_prefix, max_limit
        self.fail_once = {k: set(v) for k, v in (fail_once or {}).items()}
        self.fail_always = set(fail_always or ())
        self.throttle_once = set(throttle_once or ())
        self.slow = dict(slow or {})  # path → seconds to wait before answering
        self.endless = set(endless or ())
        self.validate, self.tls, self.refuse_refresh = validate, tls, refuse_refresh
        self.hits: list[Hit] = []
        self.mismatches: list[str] = []
        self.logins = self.refreshes = self.logouts = 0
        self._access: dict[str, _Token] = {}
        self._refresh: set[str] = set()
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self.port = port  # 0: a free one
        # x-api-version values answered as if they were this revision (for the 1.1 gap we have no
        # document of: 1.1-rev1/rev2, where paths moved between names).
        self.versions = {revision} | set(also_accept or ())

    # ---- lifecycle -----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> FakeVeeamServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True,
                         name="fake-veeam").start()
        return self

    def stop(self) -> None:
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeVeeamServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def statuses(self, path: str) -> list[int]:
        return [h.status for h in self.hits if h.path == path]

    # ---- tokens --------------------------------------------------------------------------
    def _issue(self) -> dict:
        n = next(self._counter)
        access, refresh = f"{self.token_prefix}.access.{n:04d}", f"{self.token_prefix}.refresh.{n:04d}"
        self._access[access] = _Token(time.monotonic(), self.token_ttl_requests)
        self._refresh.add(refresh)
        return self.render.token(access, refresh, self.expires_in, dt.datetime.now(dt.UTC))

    def token(self, form: dict[str, str]) -> tuple[int, dict]:
        grant = form.get("grant_type", "").lower()
        with self._lock:
            if grant == "password":
                if form.get("username") != self.username or form.get("password") != self.password:
                    return 401, self.render.error("AccessDenied", "Invalid username or password.")
                self.logins += 1
                return 200, self._issue()
            if grant == "refresh_token":
                if self.refuse_refresh or form.get("refresh_token") not in self._refresh:
                    return 401, self.render.error("InvalidToken", "Refresh token is invalid or was used.")
                self._refresh.discard(form["refresh_token"])  # single use
                self.refreshes += 1
                return 200, self._issue()
        return 400, self.render.error("UnexpectedContent", f"Unsupported grant_type '{grant}'.")

    def authorize(self, header: str | None) -> tuple[int, dict] | None:
        """None if the bearer token may make this call, else the error to answer."""
        token = (header or "")[7:] if (header or "").lower().startswith("bearer ") else None
        with self._lock:
            state = self._access.get(token or "")
            if state is None:
                return 401, self.render.error("InvalidToken", "Authorization token is missing or invalid.")
            expired = time.monotonic() - state.issued > self.expires_in
            if state.calls_left is not None:
                expired = expired or state.calls_left <= 0
                state.calls_left -= 1
            if expired:
                return 401, self.render.error("ExpiredToken", "Authorization token has expired.")
        return None

    def logout(self, header: str | None) -> None:
        with self._lock:
            self._access.pop((header or "")[7:], None)
            self.logouts += 1

    # ---- collections ---------------------------------------------------------------------
    def page(self, path: str, query: dict[str, str]) -> tuple[int, dict]:
        items = list_items(self.estate, self.render, path, query) if self.schemas.serves(path) else None
        if items is None:
            return 404, self.render.error("NotFound", f"Resource {path} was not found.")
        skip = int(query.get("skip", 0))
        limit = int(query.get("limit", DEFAULT_LIMIT))
        if self.max_limit:
            limit = min(limit, self.max_limit)
        with self._lock:
            if path in self.throttle_once:
                self.throttle_once.discard(path)
                return 429, self.render.error("ServiceUnavailable", "Too many requests.")
            if path in self.fail_always or skip in self.fail_once.get(path, set()):
                self.fail_once.get(path, set()).discard(skip)
                return 500, self.render.error("UnknownError", "The operation failed: database timeout.")
        if path in self.endless:  # a server that ignores skip and always claims more
            data = items[:limit]
            return 200, {"data": data, "pagination": {"total": skip + 2 * limit, "count": len(data),
                                                      "skip": skip, "limit": limit}}
        data = items[skip:skip + limit]
        return 200, {"data": data, "pagination": {"total": len(items), "count": len(data), "skip": skip,
                                                  "limit": limit}}

    def check(self, path: str, method: str, status: int, body: dict) -> tuple[int, dict]:
        if not self.validate:
            return status, body
        try:
            if self.schemas.serves(path, method) and str(status) in self.schemas.paths[path][method]:
                self.schemas.validate(path, method, status, body)
            else:
                self.schemas.validate_as("Error" if status >= 400 else "EmptySuccessResponse", body,
                                         where=f"{method.upper()} {path} {status}")
        except SchemaMismatch as exc:
            self.mismatches.append(str(exc))
            return 500, {"fake": "response did not match the schema", "detail": str(exc)}
        return status, body


class _Handler(BaseHTTPRequestHandler):
    fake: FakeVeeamServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: don't wait 40 ms for an ACK

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: dict, path: str, query: dict[str, str]) -> None:
        status, body = self.fake.check(path, self.command.lower(), status, body)
        payload = json.dumps(body).encode()
        self.fake.hits.append(Hit(self.command, path, query, status, self.headers.get("Authorization")))
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(payload)

    def _route(self) -> tuple[str, dict[str, str]]:
        parts = urlsplit(self.path)
        return parts.path, {k: v[-1] for k, v in parse_qs(parts.query).items()}

    def _version_error(self) -> dict | None:
        version = self.headers.get("x-api-version")
        if version is None:
            return self.fake.render.error("UnexpectedContent", "Header x-api-version is required.")
        if version not in self.fake.versions:
            return self.fake.render.error("UnexpectedContent", f"API version {version} is not supported.")
        return None

    def do_GET(self) -> None:
        path, query = self._route()
        try:
            self._get(path, query)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a ``slow`` test): nobody to answer
        except Exception as exc:  # a bug in the fake: make the test fail, not hang
            self.fake.mismatches.append(f"fake crashed on GET {path}: {exc!r}")
            self._send(500, self.fake.render.error("UnknownError", "fake crashed"), path, query)

    def _get(self, path: str, query: dict[str, str]) -> None:
        if path in self.fake.slow:
            time.sleep(self.fake.slow[path])
        error = self._version_error()
        if error:
            return self._send(400, error, path, query)
        denied = self.fake.authorize(self.headers.get("Authorization"))
        if denied:
            return self._send(*denied, path, query)
        self._send(*self.fake.page(path, query), path, query)

    def do_POST(self) -> None:
        path, query = self._route()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        error = self._version_error()
        if error:
            return self._send(400, error, path, query)
        if path in self.fake.fail_always:
            return self._send(500, self.fake.render.error("ServiceUnavailable", "Service is starting."),
                              path, query)
        if path == "/api/oauth2/token":
            form = {k: v[-1] for k, v in parse_qs(raw).items()}
            return self._send(*self.fake.token(form), path, {})
        if path == "/api/oauth2/logout":
            denied = self.fake.authorize(self.headers.get("Authorization"))
            if denied:
                return self._send(*denied, path, query)
            self.fake.logout(self.headers.get("Authorization"))
            return self._send(200, {}, path, query)
        self._send(405, self.fake.render.error("MethodNotAllowed", "Read-only fake."), path, query)

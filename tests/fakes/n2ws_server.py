"""A fake N2WS Backup & Recovery server: a real HTTP server on a free loopback port.

It follows the published API shapes (N2WS 4.x "RESTful API Guide V2.0.0" example scripts):
``POST /api/token/obtain/api_key/`` → ``{"access", "refresh"}``, ``POST /api/token/refresh/``
→ ``{"access"}``, bearer tokens; ``/api/aws/accounts/`` (``is_dr_account``), ``/api/schedules/``
(``every_unit``, ``every_how_many``), ``/api/aws/policies/`` (``generations``, ``schedules``),
``/api/aws/policies/{id}/targets/``, ``/api/aws/backups/`` (``start_time``, ``status`` with
``B`` = successful, ``ordering``), ``/api/aws/backups/{id}/snapshots/`` and
``…/snapshots/instances/?resource=<instance>`` (``snapshot_id``, ``status``, ``region``).
Assumed where the notes are silent: target items carry ``resource_type``/``resource_id``/
``region``, snapshots an ``account`` id, and statuses other than ``B`` are ``F``/``P``/``I``.

Lists are plain JSON lists (as 4.x returns them), or DRF pages (``paging="drf"``), or
lists that ignore paging (``paging="unpaged"``). Access tokens expire after a number of
authorised requests (deterministic, unlike clocks). State can be changed while it runs.
"""

from __future__ import annotations

import base64
import json
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_INVALID_TOKEN = {"detail": "Given token not valid for any token type", "code": "token_not_valid"}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    status: int = 0  # what the fake answered


@dataclass(eq=False)  # a running server: equal only to itself
class FakeN2ws:
    api_key: str = "n2ws-test-key"
    access_uses: int | None = None  # authorised requests an access token serves before it expires
    refresh_uses: int | None = None  # refreshes a refresh token allows
    paging: str = "list"  # "list" | "drf" | "unpaged"
    max_page_size: int = 100  # DRF paging caps the page size a client asks for
    access_seconds: float = 3600.0  # JWT ``exp`` = clock() + this
    clock: Callable[[], float] = time.time
    accounts: list[dict] = field(default_factory=list)
    schedules: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)
    targets: dict[int, list[dict]] = field(default_factory=dict)
    backups: list[dict] = field(default_factory=list)
    snapshots: dict[int, list[dict]] = field(default_factory=dict)  # backup id → items (+ "_resource")
    faults: dict[str, list[int]] = field(default_factory=dict)  # path → statuses to answer, in turn
    retry_after: str | None = None  # Retry-After sent with a queued 429/503
    seen: list[Seen] = field(default_factory=list)
    tls: ssl.SSLContext | None = None  # serve HTTPS with this server context

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._access: dict[str, int | None] = {}  # token → uses left
        self._refresh: dict[str, int | None] = {}
        self._server: ThreadingHTTPServer | None = None
        self.tokens_issued: list[str] = []

    # --- the estate ---------------------------------------------------------------------
    def add_account(self, id: int, name: str, *, dr: bool = False) -> dict:
        account = {"id": id, "name": name, "is_dr_account": dr}
        self.accounts.append(account)
        return account

    def add_schedule(self, id: int, name: str, every_unit: str, every_how_many: int) -> dict:
        schedule = {"id": id, "name": name, "every_unit": every_unit, "every_how_many": every_how_many}
        self.schedules.append(schedule)
        return schedule

    def add_policy(self, id: int, name: str, *, account: int, generations: int, schedules: list[int],
                   instances: list[tuple[str, str]] = (), enabled: bool = True) -> dict:
        """``instances``: (instance id, region) pairs the policy backs up."""
        policy = {"id": id, "name": name, "account": account, "generations": generations,
                  "schedules": schedules, "enabled": enabled, "description": "",
                  "auto_remove_resource": "N", "copy_to_s3_enabled": False}
        self.policies.append(policy)
        self.targets[id] = [{"id": id * 100 + n, "resource_type": "instance", "resource_id": iid,
                             "name": f"{iid} target", "region": region}
                            for n, (iid, region) in enumerate(instances)]
        return policy

    def add_backup(self, id: int, policy: int, start_time: str, status: str = "B",
                   snapshots: list[tuple] = ()) -> dict:
        """``snapshots``: (instance id, snapshot id, region, account id[, status]) per EBS snapshot;
        a DR copy still being made or failed has its own status (``I``, ``F``)."""
        name = next((p["name"] for p in self.policies if p["id"] == policy), str(policy))
        backup = {"id": id, "name": name, "policy": policy, "start_time": start_time, "status": status}
        self.backups.append(backup)
        self.snapshots[id] = [{"id": id * 1000 + n, "snapshot_id": snap, "status": (rest or ("B",))[0],
                               "region": region, "account": account, "_resource": iid}
                              for n, (iid, snap, region, account, *rest) in enumerate(snapshots)]
        return backup

    def fail(self, path: str, *statuses: int) -> None:
        """Answer the next requests to ``path`` with these statuses (then normally again)."""
        self.faults.setdefault(path, []).extend(statuses)

    def expire_tokens(self) -> None:
        with self._lock:
            self._access = {token: 0 for token in self._access}

    # --- running ------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._server.server_address[1]}/api/"

    def start(self) -> FakeN2ws:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        if self.tls is not None:
            self._server.socket = self.tls.wrap_socket(self._server.socket, server_side=True)
            self._server.handle_error = lambda *args: None  # a client refusing our cert is a test case
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeN2ws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answers ------------------------------------------------------------------------
    def answer(self, method: str, path: str, query: dict[str, str], body: Any,
               authorization: str | None) -> tuple[int, Any]:
        seen = Seen(method, path, query, authorization)
        with self._lock:
            self.seen.append(seen)
        seen.status, payload = self._answer(method, path, query, body, authorization)
        return seen.status, payload

    def _answer(self, method: str, path: str, query: dict[str, str], body: Any,
                authorization: str | None) -> tuple[int, Any]:
        with self._lock:
            queued = self.faults.get(path)
            if queued:
                status = queued.pop(0)
                return status, {"detail": "Request was throttled." if status == 429
                                else "A server error occurred."}
            if method == "POST" and path == "/api/token/obtain/api_key/":
                if not isinstance(body, dict) or body.get("api_key") != self.api_key:
                    return 401, {"detail": "Invalid API key"}
                return 200, {"access": self._new_access(), "refresh": self._new_refresh()}
            if method == "POST" and path == "/api/token/refresh/":
                token = body.get("refresh") if isinstance(body, dict) else None
                if not self._use(self._refresh, token):
                    return 401, _INVALID_TOKEN
                return 200, {"access": self._new_access()}
            token = (authorization or "").removeprefix("Bearer ")
            if not self._use(self._access, token):
                return 401, _INVALID_TOKEN
        if method != "GET":
            return 405, {"detail": f'Method "{method}" not allowed.'}
        items = self._collection(path, query)
        if items is None:
            return 404, {"detail": "Not found."}
        return self._page(path, query, items)

    def _collection(self, path: str, query: dict[str, str]) -> list[dict] | None:
        parts = [p for p in path.split("/") if p][1:]  # drop "api"
        match parts:
            case ["aws", "accounts"]:
                return self.accounts
            case ["schedules"]:
                return self.schedules
            case ["aws", "policies"]:
                return self.policies
            case ["aws", "policies", pid, "targets"] if pid.isdigit():
                return self.targets.get(int(pid))
            case ["aws", "backups"]:
                found = [b for b in self.backups if query.get("status") in (None, b["status"])]
                order = query.get("ordering", "")
                if order.lstrip("-") == "start_time":
                    found.sort(key=lambda b: b["start_time"], reverse=order.startswith("-"))
                return found
            case ["aws", "backups", bid, "snapshots", *rest] if bid.isdigit() and rest in ([], ["instances"]):
                snaps = self.snapshots.get(int(bid))
                if snaps is None:
                    return None
                if rest:
                    snaps = [s for s in snaps if s["_resource"] == query.get("resource")]
                return [{k: v for k, v in s.items() if not k.startswith("_")} for s in snaps]
        return None

    def _page(self, path: str, query: dict[str, str], items: list[dict]) -> tuple[int, Any]:
        if self.paging == "unpaged":
            return 200, items
        asked = int(query.get("page_size", self.max_page_size))
        page = int(query.get("page", "1"))
        if self.paging == "list":  # plain lists honour the page size asked for
            return 200, items[(page - 1) * asked: page * asked]
        size = min(asked, self.max_page_size)  # DRF caps it silently; ``next`` tells the rest
        chunk = items[(page - 1) * size: page * size]
        if page > 1 and not chunk:
            return 404, {"detail": "Invalid page."}
        others = "".join(f"&{k}={v}" for k, v in query.items() if k not in ("page", "page_size"))
        link = f"{self.url.removesuffix('/api/')}{path}?page={{}}&page_size={size}{others}"
        return 200, {"count": len(items),
                     "next": link.format(page + 1) if page * size < len(items) else None,
                     "previous": link.format(page - 1) if page > 1 else None,
                     "results": chunk}

    def _new_access(self) -> str:
        claims = {"token_type": "access", "exp": int(self.clock() + self.access_seconds),
                  "jti": secrets.token_hex(8), "user_id": 1}
        token = ".".join(_b64(part) for part in (
            {"alg": "HS256", "typ": "JWT"}, claims)) + "." + secrets.token_urlsafe(16)
        self._access[token] = self.access_uses
        self.tokens_issued.append(token)
        return token

    def _new_refresh(self) -> str:
        token = "refresh-" + secrets.token_urlsafe(24)
        self._refresh[token] = self.refresh_uses
        self.tokens_issued.append(token)
        return token

    @staticmethod
    def _use(store: dict[str, int | None], token: str | None) -> bool:
        if not token or token not in store:
            return False
        left = store[token]
        if left is None:
            return True
        if left <= 0:
            return False
        store[token] = left - 1
        return True


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def _handler(fake: FakeN2ws) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()  # headers and body go out in two writes: don't let Nagle delay the 2nd
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            status, payload = fake.answer(self.command, parts.path, query, body,
                                          self.headers.get("Authorization"))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 401:
                self.send_header("WWW-Authenticate", 'Bearer realm="api"')
            if status in (429, 503) and fake.retry_after is not None:
                self.send_header("Retry-After", fake.retry_after)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

    return Handler

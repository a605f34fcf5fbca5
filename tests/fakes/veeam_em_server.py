"""A local fake of Veeam Backup Enterprise Manager's REST API, failover plans only.

Built from Veeam's Enterprise Manager REST API reference: ``POST /api/sessionMngr/?v=latest``
with HTTP Basic authentication answers ``201`` with the session id in the ``X-RestSvcSessionId``
header and a ``LogonSession`` body; every other request must carry that header (``401``
otherwise); ``GET /api/failoverPlans`` lists ``FailoverPlanReference`` refs (``Name``, ``UID``
``urn:veeam:FailoverPlan:<id>``, ``Href``, ``Links``); ``GET /api/failoverPlans/{id}?format=Entity``
the plan; ``DELETE /api/logonSessions/{id}`` closes the session. JSON bodies (``Accept:
application/json``) mirror the documented XML element names. The plan's members use the names
of VBR's PowerShell ``VBRFailoverPlanObject`` (``Item``, ``BootOrder``, ``BootDelay`` seconds)
under ``FailoverPlanObjects`` — that list's JSON name is not confirmed (see veeam_em.py).
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FakeEnterpriseManager:
    def __init__(self, plans: dict[str, list[tuple[str, int, int]]], *, username: str = "BUC\\em-reader",
                 password: str = "em pass", members_key: str = "FailoverPlanObjects") -> None:
        """``plans``: name → [(VM name, boot order, boot delay in seconds)]."""
        self.plans = {str(uuid.uuid5(uuid.NAMESPACE_URL, f"fp:{n}")): (n, m) for n, m in plans.items()}
        self.username, self.password, self.members_key = username, password, members_key
        self.sessions: set[str] = set()
        self.logons = self.logoffs = 0
        self.hits: list[tuple[str, str, int]] = []
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> FakeEnterpriseManager:
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), type("H", (_Handler,), {"fake": self}))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        assert self._httpd is not None
        self._httpd.shutdown()
        self._httpd.server_close()

    def ref(self, plan_id: str) -> dict:
        name, _ = self.plans[plan_id]
        href = f"{self.url}/api/failoverPlans/{plan_id}"
        return {"Type": "FailoverPlanReference", "Href": href, "Name": name,
                "UID": f"urn:veeam:FailoverPlan:{plan_id}",
                "Links": [{"Rel": "Up", "Type": "BackupServerReference", "Name": "vbr.buc.example",
                           "Href": f"{self.url}/api/backupServers/ce15a8c7-aa49-495e-b05b-ee3398c91018"},
                          {"Rel": "Alternate", "Type": "FailoverPlan", "Name": name,
                           "Href": f"{href}?format=Entity"}]}

    def entity(self, plan_id: str) -> dict:
        name, members = self.plans[plan_id]
        return {"Type": "FailoverPlan", "Name": name, "UID": f"urn:veeam:FailoverPlan:{plan_id}",
                "Href": f"{self.url}/api/failoverPlans/{plan_id}?format=Entity",
                "Description": "Created by BUC\\veeam-admin",
                self.members_key: [{"Item": {"Name": vm}, "BootOrder": order, "BootDelay": delay}
                                   for vm, order, delay in members]}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeEnterpriseManager
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: dict | None, headers: dict | None = None) -> None:
        payload = json.dumps(body).encode() if body is not None else b""
        self.fake.hits.append((self.command, urlsplit(self.path).path, status))
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _authorized(self) -> bool:
        if self.headers.get("X-RestSvcSessionId") in self.fake.sessions:
            return True
        self._send(401, {"Message": "Unauthorized", "StatusCode": 401})
        return False

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if urlsplit(self.path).path != "/api/sessionMngr/":
            return self._send(405, {"Message": "read-only fake"})
        expected = base64.b64encode(f"{self.fake.username}:{self.fake.password}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {expected}":
            return self._send(401, {"Message": "Authentication failed", "StatusCode": 401})
        session = base64.b64encode(uuid.uuid4().bytes).decode()
        session_id = str(uuid.uuid4())
        self.fake.sessions.add(session)
        self.fake.logons += 1
        self._session_ids = getattr(self.fake, "_session_ids", {})
        self.fake._session_ids = {**self._session_ids, session_id: session}
        self._send(201, {"Type": "LogonSession", "UserName": self.fake.username, "SessionId": session_id,
                         "Href": f"{self.fake.url}/api/logonSessions/{session_id}"},
                   {"X-RestSvcSessionId": session})

    def do_GET(self) -> None:
        if not self._authorized():
            return
        parts = urlsplit(self.path)
        path = parts.path.rstrip("/")
        if path == "/api/failoverPlans":
            return self._send(200, {"Refs": [self.fake.ref(p) for p in self.fake.plans]})
        if path.startswith("/api/failoverPlans/") and path.rsplit("/", 1)[-1] in self.fake.plans:
            plan_id = path.rsplit("/", 1)[-1]
            if "format=Entity" in parts.query:
                return self._send(200, self.fake.entity(plan_id))
            return self._send(200, self.fake.ref(plan_id))
        self._send(404, {"Message": "Not found", "StatusCode": 404})

    def do_DELETE(self) -> None:
        if not self._authorized():
            return
        session_id = urlsplit(self.path).path.rsplit("/", 1)[-1]
        session = getattr(self.fake, "_session_ids", {}).get(session_id)
        if urlsplit(self.path).path.startswith("/api/logonSessions/") and session:
            self.fake.sessions.discard(session)
            self.fake.logoffs += 1
            return self._send(204, None)
        self._send(404, {"Message": "Not found", "StatusCode": 404})

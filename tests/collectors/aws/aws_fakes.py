"""Local HTTP fakes of the AWS APIs moto 5.2 lacks, and of AWS failing.

- ``GapServer`` answers Data Lifecycle Manager (``GET /policies``, ``GET /policies/{id}``) and the
  AWS Backup reads moto does not implement (selections, recovery points by vault, copy jobs,
  backup jobs, restore jobs) with the documented rest-json shapes (botocore's ``dlm`` 2018-01-12 and
  ``backup`` 2018-11-15 models; API reference pages named in ``README.md``), paged with
  ``nextToken``. Every other request is forwarded unchanged to moto, so backup plans and vaults
  are moto's own. Data is kept per region, read from the SigV4 credential scope like AWS does.
- ``FaultServer`` is a region whose every call is denied or throttled, in each protocol's own
  error format (EC2 query XML, STS XML, rest-json), counting the requests it got.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

SCOPE = re.compile(r"Credential=(?P<key>[^/]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request")
ACCOUNT = re.compile(r"<Account>(\d{12})</Account>")
PAGE = 2  # the fakes' largest page, so every list call is paged even with a handful of items


@dataclass
class RegionData:
    """What the gap server knows of one region (shapes as in the API reference)."""

    policies: list[dict] = field(default_factory=list)  # DLM GetLifecyclePolicy "Policy" objects
    selections: dict[str, list[dict]] = field(default_factory=dict)  # plan id → GetBackupSelection bodies
    recovery_points: dict[str, list[dict]] = field(default_factory=dict)  # vault name → points
    copy_jobs: list[dict] = field(default_factory=list)  # ListCopyJobs "CopyJobs" entries
    backup_jobs: list[dict] = field(default_factory=list)
    restore_jobs: list[dict] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", "fake-request")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: dict, error: str | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json",
                   {"x-amzn-ErrorType": error} if error else None)

    def _scope(self) -> tuple[str, str]:
        match = SCOPE.search(self.headers.get("Authorization", ""))
        return (match.group("region"), match.group("service")) if match else ("", "")


class _Running:
    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _page(items: list, query: dict[str, list[str]], key: str) -> dict:
    start = int(query.get("nextToken", ["0"])[0])
    size = min(int(query.get("maxResults", [PAGE])[0]), PAGE)
    out: dict = {key: items[start:start + size]}
    if start + size < len(items):
        out["NextToken"] = str(start + size)
    return out


class GapServer(_Running):
    def __init__(self, moto_url: str) -> None:
        self.moto = urlsplit(moto_url)
        self.regions: dict[tuple[str, str], RegionData] = {}  # (account, region)
        self._accounts: dict[str, str] = {}  # access key id → account id
        self.requests: Counter[str] = Counter()  # "service METHOD path-kind"
        super().__init__(_GapHandler)

    def region(self, account: str, name: str) -> RegionData:
        return self.regions.setdefault((account, name), RegionData())

    def account_of(self, access_key: str) -> str:
        """Whose credentials these are: moto knows (it maps access keys to accounts, like IAM)."""
        if access_key not in self._accounts:
            conn = http.client.HTTPConnection(self.moto.hostname, self.moto.port, timeout=30)
            auth = (f"AWS4-HMAC-SHA256 Credential={access_key}/20260101/us-east-1/sts/aws4_request, "
                    "SignedHeaders=host, Signature=0")
            conn.request("POST", "/", body=b"Action=GetCallerIdentity&Version=2011-06-15",
                         headers={"Authorization": auth, "Content-Type": "application/x-www-form-urlencoded"})
            match = ACCOUNT.search(conn.getresponse().read().decode())
            conn.close()
            self._accounts[access_key] = match.group(1) if match else ""
        return self._accounts[access_key]


class _GapHandler(_Base):
    server: _Server

    def do_GET(self) -> None:
        owner: GapServer = self.server.owner  # type: ignore[attr-defined]
        region, service = self._scope()
        if not region:
            return self._json(403, {"message": "Missing Authentication Token"},
                              "MissingAuthenticationTokenException")
        key = SCOPE.search(self.headers["Authorization"]).group("key")
        url = urlsplit(self.path)
        parts = [unquote(p) for p in url.path.strip("/").split("/")]
        query = parse_qs(url.query)
        data = owner.region(owner.account_of(key), region)
        if service == "dlm":
            owner.requests[f"dlm {'/'.join(parts[:1])}"] += 1
            return self._dlm(parts, data)
        route = self._backup_route(parts, query, data)
        if route is None:
            return self._forward(b"")
        owner.requests[f"backup {parts[0]}"] += 1
        status, payload, error = route
        return self._json(status, payload, error)

    def do_POST(self) -> None:
        self._forward(self._body())

    do_PUT = do_DELETE = do_POST

    def _dlm(self, parts: list[str], data: RegionData) -> None:
        if parts == ["policies"]:
            keys = ("PolicyId", "Description", "State", "Tags", "DefaultPolicy")
            summaries = [{k: p[k] for k in keys if k in p} | {"PolicyType": p["PolicyDetails"]["PolicyType"]}
                         for p in data.policies]
            return self._json(200, {"Policies": summaries})
        if len(parts) == 2 and parts[0] == "policies":
            for policy in data.policies:
                if policy["PolicyId"] == parts[1]:
                    return self._json(200, {"Policy": policy})
            return self._json(404, {"Message": f"Policy {parts[1]} not found", "Code": "ResourceNotFound"},
                              "ResourceNotFoundException")
        return self._json(404, {"message": "no such route"}, "UnknownOperationException")

    def _backup_route(self, parts, query, data: RegionData):
        if len(parts) == 4 and parts[:2] == ["backup", "plans"] and parts[3] == "selections":
            bodies = data.selections.get(parts[2], [])
            listed = [{"SelectionId": b["SelectionId"],
                       "SelectionName": b["BackupSelection"]["SelectionName"],
                       "BackupPlanId": b["BackupPlanId"], "CreationDate": b["CreationDate"],
                       "IamRoleArn": b["BackupSelection"]["IamRoleArn"]} for b in bodies]
            return 200, _page(listed, query, "BackupSelectionsList"), None
        if len(parts) == 5 and parts[:2] == ["backup", "plans"] and parts[3] == "selections":
            for body in data.selections.get(parts[2], []):
                if body["SelectionId"] == parts[4]:
                    return 200, body, None
            return 404, {"Message": "selection not found", "Code": "ResourceNotFoundException"}, \
                "ResourceNotFoundException"
        if len(parts) == 3 and parts[0] == "backup-vaults" and parts[2] == "recovery-points":
            points = data.recovery_points.get(parts[1], [])
            return 200, _page(points, query, "RecoveryPoints"), None
        if parts == ["copy-jobs"]:
            return 200, _page(data.copy_jobs, query, "CopyJobs"), None
        if parts == ["backup-jobs"]:
            return 200, _page(data.backup_jobs, query, "BackupJobs"), None
        if parts == ["restore-jobs"]:
            return 200, _page(data.restore_jobs, query, "RestoreJobs"), None
        return None

    def _forward(self, body: bytes) -> None:
        """Anything the fake does not answer is moto's (backup plans, vaults, locks)."""
        owner: GapServer = self.server.owner  # type: ignore[attr-defined]
        conn = http.client.HTTPConnection(owner.moto.hostname, owner.moto.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        headers["Host"] = owner.moto.netloc
        conn.request(self.command, self.path, body=body or None, headers=headers)
        reply = conn.getresponse()
        payload = reply.read()
        passed = {k: v for k, v in reply.getheaders()
                  if k.lower() not in ("content-length", "connection", "content-type", "server", "date",
                                       "x-amzn-requestid", "transfer-encoding")}
        self._send(reply.status, payload, reply.getheader("Content-Type", "application/json"), passed)
        conn.close()


class FaultServer(_Running):
    """A region that answers every call with ``mode``: "deny" (403) or "throttle"."""

    def __init__(self, mode: str) -> None:
        assert mode in ("deny", "throttle")
        self.mode = mode
        self.requests: Counter[str] = Counter()  # operation → requests received (retries included)
        super().__init__(_FaultHandler)


class _FaultHandler(_Base):
    server: _Server

    def do_POST(self) -> None:
        owner: FaultServer = self.server.owner  # type: ignore[attr-defined]
        body = self._body()
        _region, service = self._scope()
        action = parse_qs(body.decode()).get("Action", ["?"])[0]
        owner.requests[f"{service}:{action}"] += 1
        deny = owner.mode == "deny"
        if service == "ec2":
            code, msg = (("UnauthorizedOperation", "You are not authorized to perform this operation.")
                         if deny else ("RequestLimitExceeded", "Request limit exceeded."))
            xml = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code>"
                   f"<Message>{msg}</Message></Error></Errors><RequestID>fake</RequestID></Response>")
            return self._send(403 if deny else 503, xml.encode(), "text/xml")
        code, msg = ("AccessDenied", "User is not authorized") if deny else ("Throttling", "Rate exceeded")
        xml = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{msg}</Message>"
               f"</Error><RequestId>fake</RequestId></ErrorResponse>")
        return self._send(403 if deny else 400, xml.encode(), "text/xml")

    def do_GET(self) -> None:  # rest-json services (dlm, backup)
        owner: FaultServer = self.server.owner  # type: ignore[attr-defined]
        _region, service = self._scope()
        owner.requests[f"{service}:GET {urlsplit(self.path).path}"] += 1
        if owner.mode == "deny":
            return self._json(403, {"message": "User is not authorized"}, "AccessDeniedException")
        return self._json(429, {"message": "Rate exceeded"}, "ThrottlingException")

"""A fake java-tron node: real HTTP servers on free loopback ports (full API and solidity API).

Shapes follow tronprotocol/documentation-en (docs/api/http) and java-tron's NodeInfo POJO:
``/wallet/getnowblock`` and ``/walletsolidity/getnowblock`` (``block_header.raw_data.number``
and ``timestamp`` in ms), ``/wallet/getnodeinfo`` (``block``: ``"Num:…,ID:…"``,
``currentConnectCount``, ``configNodeInfo.backup*``), ``/wallet/listwitnesses`` (hex ``41…``
addresses unless ``visible=true``; zero fields omitted as protobuf JSON does),
``/wallet/getblockbynum`` (``{}`` for a block it does not have). The full API listens on one
port (8090 in real life), the solidity API on another (8091). Errors come as HTTP 200
``{"Error": …}``; a disabled API is 404 ``{"Error": "this API is unavailable due to config"}``.

The chain moves with a clock (injectable: ``ManualClock``): one block every 3 s from a
known head. A node can lag, stall, or boot: refuse (or 503) for a while, then catch up at
R blocks/s until it reaches the network head, as after a failover.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BLOCK_SECONDS = 3
LITE_MESSAGE = "this API is closed because this node is a lite fullnode"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class ManualClock:
    """Epoch seconds that move only when told to: deterministic tests."""

    def __init__(self, start: float) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeNetwork:
    """The chain's head: block ``head`` at ``head_time`` (epoch s), then one every 3 s."""

    head: int
    head_time: float
    clock: Callable[[], float] = time.time

    def head_at(self, t: float) -> int:
        return self.head + max(0, int((t - self.head_time) // BLOCK_SECONDS))

    def time_of(self, number: int) -> float:
        return self.head_time + (number - self.head) * BLOCK_SECONDS


@dataclass
class Boot:
    started: float
    down_for: float
    rate: float  # blocks per second while catching up
    from_block: int
    mode: str  # "refuse" (connection dropped) | "503"


def base58(hex_address: str) -> str:
    """``41…`` hex → ``T…`` base58check (written here independently of trondocs.tron)."""
    payload = bytes.fromhex(hex_address)
    data = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, text = int.from_bytes(data, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = _B58[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + text


@dataclass(eq=False)  # a running server: equal only to itself
class FakeTronNode:
    network: FakeNetwork
    lag: int = 0  # blocks behind the network head
    solidity_lag: int = 19  # solidified block behind this node's head
    peers: int = 30
    active_peers: int = 3
    begin_sync: int | None = None  # default: head when the node was started
    version: str = "4.8.1"
    backup: tuple[int, int, int] | None = None  # (listen port, member size, priority)
    # BackupManager's status once its backup server runs (port > 0 and members): "MASTER",
    # "SLAVER" or "INIT". A node whose server never started stays MASTER, as in java-tron.
    backup_status: str = "MASTER"
    witnesses: list[dict] = field(default_factory=list)  # hex addresses, full protobuf fields
    errors: dict[str, Any] = field(default_factory=dict)  # path → body served with HTTP 200
    disabled: set[str] = field(default_factory=set)  # paths answering 404 "unavailable due to config"
    empty_now_block: bool = False  # getnowblock answers {} (no chain data yet)
    lite_from: int | None = None  # a lite fullnode: blocks below this are not kept
    stalled_at: int | None = None
    honours_visible: bool = True  # False: addresses stay hex whatever the client asks
    seen: list[tuple[str, str, str, dict]] = field(default_factory=list)  # (api, method, path, params)

    def __post_init__(self) -> None:
        self.boot_plan: Boot | None = None
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._ports: dict[str, int] = {}
        self._lock = threading.Lock()

    # --- state that changes while running ----------------------------------------------
    def head(self) -> int:
        """This node's head now. Raises ``NodeDown`` while booting."""
        t = self.network.clock()
        target = self.network.head_at(t) - self.lag
        if self.stalled_at is not None:
            target = min(target, self.stalled_at)
        if self.boot_plan is not None:
            up = self.boot_plan.started + self.boot_plan.down_for
            if t < up:
                raise NodeDown(self.boot_plan.mode)
            target = min(target, self.boot_plan.from_block + int(self.boot_plan.rate * (t - up)))
        return max(target, 0)

    def boot(self, down_for: float, rate: float, from_block: int, mode: str = "refuse") -> None:
        """Down for ``down_for`` s, then catch up from ``from_block`` at ``rate`` blocks/s."""
        self.lag, self.stalled_at = 0, None
        self.boot_plan = Boot(self.network.clock(), down_for, rate, from_block, mode)

    def stall(self) -> None:
        self.stalled_at = self.head()

    def resume(self) -> None:
        self.stalled_at = None

    def add_witness(self, hex_address: str, *, produced: int = 0, missed: int = 0, latest: int = 0,
                    votes: int = 0, active: bool = False, url: str = "") -> dict:
        witness = {"address": hex_address, "voteCount": votes, "url": url, "totalProduced": produced,
                   "totalMissed": missed, "latestBlockNum": latest, "latestSlotNum": latest and latest + 7,
                   "isJobs": active}
        self.witnesses.append(witness)
        return witness

    # --- running ------------------------------------------------------------------------
    @property
    def full_url(self) -> str:
        return f"http://127.0.0.1:{self._ports['full']}"

    @property
    def solidity_url(self) -> str:
        return f"http://127.0.0.1:{self._ports['solidity']}"

    def start(self) -> FakeTronNode:
        """Listen (again, on the same ports after ``stop``)."""
        if self.begin_sync is None:
            self.begin_sync = self.network.head_at(self.network.clock()) - self.lag
        for api in ("full", "solidity"):
            server = ThreadingHTTPServer(("127.0.0.1", self._ports.get(api, 0)), _handler(self, api))
            server.daemon_threads = True
            self._servers[api] = server
            self._ports[api] = server.server_address[1]
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the ports: clients get 'connection refused' until ``start`` again."""
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        self._servers.clear()

    def __enter__(self) -> FakeTronNode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answers ------------------------------------------------------------------------
    def answer(self, api: str, method: str, path: str, params: dict) -> tuple[int, Any]:
        with self._lock:
            self.seen.append((api, method, path, params))
        family = "/walletsolidity/" if api == "solidity" else "/wallet/"
        name = path.removeprefix(family)
        monitor = ("/monitor/getnodeinfo", "/monitor/getstatsinfo") if api == "full" else ()
        if not path.startswith(family) and path not in monitor:
            return 404, f"<html><body><h2>HTTP ERROR 404 Not Found</h2><p>URI: {path}</p></body></html>"
        if path in self.disabled:
            return 404, {"Error": "this API is unavailable due to config"}
        if path in self.errors:
            return 200, self.errors[path]
        head = self.head()  # may raise NodeDown
        solid = max(head - self.solidity_lag, 0)
        top = solid if api == "solidity" else head
        if name == "getnowblock":
            return 200, {} if self.empty_now_block else self._block(top)
        if name == "getblockbynum":
            number = int(params.get("num", 0))
            if self.lite_from is not None and number < self.lite_from:
                return 200, LITE_MESSAGE
            return 200, self._block(number) if number <= top else {}
        if name == "getnodeinfo" or path == "/monitor/getnodeinfo":
            return 200, self._node_info(head, solid)
        if path == "/monitor/getstatsinfo":
            return 200, self._stats_info(head)
        if name == "listwitnesses":
            visible = self.honours_visible and str(params.get("visible", "")).lower() == "true"
            return 200, _omit_zero({"witnesses": [self._witness(w, visible) for w in self.witnesses]})
        return 404, f"<html><body><h2>HTTP ERROR 404 Not Found</h2><p>URI: {path}</p></body></html>"

    def _block(self, number: int) -> dict:
        block_id = f"{number:016x}" + hashlib.sha256(str(number).encode()).hexdigest()[16:]
        parent = f"{max(number - 1, 0):016x}" + hashlib.sha256(str(number - 1).encode()).hexdigest()[16:]
        raw = {"number": number, "txTrieRoot": "0" * 64, "witness_address": "41" + "ab" * 20,
               "parentHash": parent, "version": 30,
               "timestamp": int(self.network.time_of(number) * 1000)}
        return {"blockID": block_id, "block_header": {"raw_data": _omit_zero(raw),
                                                      "witness_signature": "5f" * 65}}

    def _node_info(self, head: int, solid: int) -> dict:
        port, members, priority = self.backup or (10001, 0, 8)
        return {
            "beginSyncNum": self.begin_sync, "block": f"Num:{head},ID:{self._block(head)['blockID']}",
            "solidityBlock": f"Num:{solid},ID:{self._block(solid)['blockID']}",
            "currentConnectCount": self.peers, "activeConnectCount": self.active_peers,
            "passiveConnectCount": self.peers - self.active_peers, "totalFlow": 0, "peerList": [],
            "configNodeInfo": {
                "codeVersion": self.version, "versionNum": "18636", "p2pVersion": "11111",
                "listenPort": 18888, "discoverEnable": True, "activeNodeSize": 0, "passiveNodeSize": 0,
                "sendNodeSize": 0, "maxConnectCount": 30, "sameIpMaxConnectCount": 2,
                "backupListenPort": port, "backupMemberSize": members, "backupPriority": priority,
                "dbVersion": 2, "minParticipationRate": 15, "supportConstant": True,
                "minTimeRatio": 0.0, "maxTimeRatio": 5.0, "allowCreationOfContracts": 0,
                "allowAdaptiveEnergy": 0},
            "machineInfo": {"threadCount": 120, "deadLockThreadCount": 0, "cpuCount": 8,
                            "javaVersion": "1.8.0_402", "osName": "Linux amd64",
                            "memoryDescInfoList": [], "deadLockThreadInfoList": []},
            "cheatWitnessInfoMap": {},
        }

    def status_now(self) -> str:
        """BackupManager's status: MASTER unless the backup server started (BackupServer.initServer
        starts it only when port > 0 and members are configured)."""
        port, members, _ = self.backup or (10001, 0, 8)
        return self.backup_status if port > 0 and members > 0 else "MASTER"

    def _stats_info(self, head: int) -> dict:
        """MetricsInfo as MetricsServlet writes it (fastjson: every field, zeros included)."""
        return {
            "interval": 60,
            "node": {"ip": "127.0.0.1", "nodeType": 1 if self.witnesses else 0, "version": self.version,
                     "backupStatus": 1 if self.status_now() == "MASTER" else 0},
            "blockchain": {"headBlockNum": head, "headBlockTimestamp": int(self.network.time_of(head) * 1000),
                           "headBlockHash": self._block(head)["blockID"], "forkCount": 0, "failForkCount": 0,
                           "transactionCacheSize": 0, "witnesses": [], "failProcessBlockNum": 0,
                           "failProcessBlockReason": "", "dupWitness": []},
            "net": {"errorProtoCount": 0, "connectionCount": self.peers,
                    "validConnectionCount": self.active_peers},
        }

    @staticmethod
    def _witness(witness: dict, visible: bool) -> dict:
        shown = dict(witness)
        if visible:
            shown["address"] = base58(witness["address"])
        return _omit_zero(shown)


class NodeDown(Exception):
    def __init__(self, mode: str) -> None:
        super().__init__(mode)
        self.mode = mode


def _omit_zero(data: dict) -> dict:
    """Protobuf JSON leaves out zero, false and empty fields."""
    return {k: v for k, v in data.items() if v not in (0, False, "", None, []) or isinstance(v, float)}


def _handler(node: FakeTronNode, api: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                try:
                    body = json.loads(self.rfile.read(length))
                    params.update(body if isinstance(body, dict) else {})
                except ValueError:
                    pass
            try:
                status, payload = node.answer(api, self.command, parts.path, params)
            except NodeDown as down:
                if down.mode == "refuse":  # drop the connection without a word, like a dead port
                    self.close_connection = True
                    return
                status, payload = 503, "<html><body><h2>HTTP ERROR 503 Service Unavailable</h2></body></html>"
            text = payload if isinstance(payload, str) else json.dumps(payload)
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html;charset=utf-8" if status != 200 and isinstance(
                payload, str) else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler

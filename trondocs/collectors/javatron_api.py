"""The java-tron node HTTP API as the ``java-tron`` collector reads it, habits included.

java-tron answers almost everything with HTTP 200: errors come as ``{"Error": "…"}``, an
unknown block as ``{}``, protobuf-style JSON omits zero fields, a lite fullnode answers some
paths with bare text, and addresses are hex ``41…`` unless ``visible=true`` asks for ``T…``.
Only read-only queries are sent (GET).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from trondocs.collectors.base import SourceError
from trondocs.collectors.httpjson import HttpClient, one_line, parse_json
from trondocs.state.models import BackupMode, WitnessRecord
from trondocs.tron import normalise_address

_NUM = re.compile(r"Num:(\d+)")


@dataclass(frozen=True)
class Block:
    number: int
    time: dt.datetime | None


@dataclass(frozen=True)
class NodeInfo:
    head: int | None
    solidity: int | None
    peers: int
    begin_sync: int | None
    version: str | None
    backup: BackupMode | None


class TronApi:
    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def call(self, endpoint: str, path: str, params: dict | None = None) -> Any:
        response = self.http.request("GET", endpoint.rstrip("/") + path, params=params)
        body = None
        if response.headers.get("Content-Type", "").startswith("application/json") or \
                response.text.lstrip().startswith(("{", "[")):
            try:
                body = response.json()
            except ValueError:
                body = None
        if isinstance(body, dict) and "Error" in body:
            raise SourceError(f"{path} answered an error: {one_line(body['Error'], 120)}")
        if response.status_code == 404:
            raise SourceError(f"{path} is not served here (HTTP 404): check the endpoint's port "
                              "(8090 full node API, 8091 solidity API)")
        if response.status_code != 200:
            raise SourceError(f"{path} answered HTTP {response.status_code}")
        return body if body is not None else parse_json(response, path)

    def now_block(self, endpoint: str, solidity: bool = False) -> Block | None:
        """The node's newest block (solidified one on the solidity API); None for ``{}``."""
        path = "/walletsolidity/getnowblock" if solidity else "/wallet/getnowblock"
        return read_block(self.call(endpoint, path), path)

    def node_info(self, endpoint: str, solidity: bool = False) -> NodeInfo:
        path = "/walletsolidity/getnodeinfo" if solidity else "/wallet/getnodeinfo"
        return read_node_info(self.call(endpoint, path), path)

    def backup_master(self, endpoint: str) -> bool | None:
        """Whether the node's BackupManager is MASTER, from ``/monitor/getstatsinfo``.

        java-tron framework/src/main/java/org/tron/core/services/http/MetricsServlet.java serves
        MetricsApiService.getMetricsInfo(); its ``node.backupStatus`` is 1 when the status is
        MASTER, else 0 (core/metrics/node/NodeMetricManager.java). Full API only. None when the
        path is not served or the answer has no ``node.backupStatus``. Read at java-tron commit
        1e35f79a: the servlet does not check node.metricsEnable (that gates the blockchain and
        net sections' counters), and httpApiAccessFilter may disable the path (404); not
        confirmed against a running node: the JSON is fastjson's rendering of the POJO.
        """
        try:
            body = self.call(endpoint, "/monitor/getstatsinfo")
        except SourceError:
            return None
        node = body.get("node") if isinstance(body, dict) else None
        status = _int(node.get("backupStatus")) if isinstance(node, dict) else None
        return None if status is None else status == 1

    def witnesses(self, endpoint: str, solidity: bool = False) -> list[dict]:
        path = "/walletsolidity/listwitnesses" if solidity else "/wallet/listwitnesses"
        body = self.call(endpoint, path, {"visible": "true"})
        if not isinstance(body, dict):
            raise SourceError(f"{path} answered {type(body).__name__}, expected an object")
        witnesses = body.get("witnesses", [])  # an empty list is omitted: ``{}``
        if not isinstance(witnesses, list):
            raise SourceError(f"{path}: 'witnesses' is not a list")
        return [w for w in witnesses if isinstance(w, dict)]


def read_block(body: Any, path: str) -> Block | None:
    if body == {}:
        return None
    header = body.get("block_header", {}).get("raw_data") if isinstance(body, dict) else None
    if not isinstance(header, dict):
        raise SourceError(f"{path} answered something that is not a block")
    timestamp = header.get("timestamp")
    when = dt.datetime.fromtimestamp(timestamp / 1000, dt.UTC) if isinstance(timestamp, int) else None
    return Block(number=int(header.get("number", 0)), time=when)  # genesis omits number 0


def _block_number(text: object) -> int | None:
    match = _NUM.search(text) if isinstance(text, str) else None
    return int(match.group(1)) if match else None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():  # int64_as_string
        return int(value)
    return None


def read_node_info(body: Any, path: str) -> NodeInfo:
    if not isinstance(body, dict) or not body:
        raise SourceError(f"{path} answered no node information")
    config = body.get("configNodeInfo") if isinstance(body.get("configNodeInfo"), dict) else {}
    peers = _int(body.get("currentConnectCount"))
    if peers is None:
        peers = _int(body.get("activeConnectCount")) or 0
    backup = None
    if config:
        backup = BackupMode(listen_port=_int(config.get("backupListenPort")),
                            member_size=_int(config.get("backupMemberSize")),
                            priority=_int(config.get("backupPriority")))
    version = config.get("codeVersion")
    return NodeInfo(head=_block_number(body.get("block")), solidity=_block_number(body.get("solidityBlock")),
                    peers=peers, begin_sync=_int(body.get("beginSyncNum")),
                    version=str(version) if version is not None else None, backup=backup)


def witness_record(entry: dict, address: str, witnesses: list[dict] | None = None) -> WitnessRecord:
    """One ``listwitnesses`` entry → WitnessRecord; omitted (zero) counters read as 0.

    With the whole list: the SR's rank by votes and the head slot (the highest
    ``latestSlotNum``: the witness of the head block set it when it produced it, java-tron
    consensus/src/main/java/org/tron/consensus/dpos/StatisticManager.java applyBlock()).
    """
    rank = head_slot = None
    if witnesses:
        votes = _int(entry.get("voteCount")) or 0
        rank = 1 + sum(1 for w in witnesses if (_int(w.get("voteCount")) or 0) > votes)
        head_slot = max((_int(w.get("latestSlotNum")) or 0 for w in witnesses), default=None) or None
    return WitnessRecord(
        rank=rank, head_slot=head_slot,
        address=address,
        produced=_int(entry.get("totalProduced")) or 0,
        missed=_int(entry.get("totalMissed")) or 0,
        latest_block=_int(entry.get("latestBlockNum")) or 0,
        latest_slot=_int(entry.get("latestSlotNum")) or 0,
        is_jobs=entry.get("isJobs") is True,
        votes=_int(entry.get("voteCount")) or 0,
    )


def find_witness(witnesses: list[dict], address: str) -> dict | None:
    """The entry for ``address`` (base58), whichever spelling the node used."""
    for entry in witnesses:
        raw = entry.get("address")
        try:
            if isinstance(raw, str) and normalise_address(raw) == address:
                return entry
        except ValueError:
            continue
    return None

"""Source ``java-tron``: head, solidity block, peers, sync lag and backup mode of the plan's
nodes, and the SR's witness record (produced, missed, latest block, active).

Every node is its own scope: an unreachable node is recorded as such and the others are
still read. The network's head comes from ``reference_endpoint`` (a public node) when set,
else from the highest of the operator's nodes.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import CollectContext, Collected, SourceError
from trondocs.collectors.connection import HttpSourceConfig
from trondocs.collectors.httpjson import HttpClient, Unreachable, one_line
from trondocs.collectors.javatron_api import TronApi, find_witness, witness_record
from trondocs.plan.models import Node, NodeRole
from trondocs.state.models import BackupMode, LagBasis, NodeStatus, ScopeRun, WitnessRecord
from trondocs.tron import BLOCK_INTERVAL_SECONDS, normalise_address


class Config(HttpSourceConfig):
    type: Literal["java-tron"] = "java-tron"
    reference_endpoint: str | None = Field(
        None, description="a public full node (its /wallet API) giving the network's head")
    nodes: list[str] | None = Field(None, description="plan node names; default every node with an endpoint")
    sr_address: str | None = Field(None, description="witness address; default the plan's sr_address")
    parallel: int = Field(4, ge=1, le=32, description="nodes queried at once")

    @field_validator("reference_endpoint")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("an endpoint is an http(s) URL like https://api.trongrid.io")
        return value.rstrip("/") if value else value

    @field_validator("sr_address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        return normalise_address(value) if value else value


@dataclass
class Probe:
    node: Node
    checked: dt.datetime
    reachable: bool = True
    error: str | None = None
    head: int | None = None
    head_time: dt.datetime | None = None
    solidity: int | None = None
    peers: int | None = None
    begin_sync: int | None = None
    version: str | None = None
    backup: BackupMode | None = None
    warnings: list[str] = field(default_factory=list)


def collect(config: Config, ctx: CollectContext) -> Collected:
    if ctx.plan is None:
        raise SourceError(f"{config.name}: the java-tron source reads the plan's nodes; no plan was loaded")
    nodes = _selected(config, ctx.plan.nodes)
    if config.reference_endpoint is None and ctx.plan.settings.reference_endpoint:
        config = config.model_copy(update={"reference_endpoint": ctx.plan.settings.reference_endpoint})
    out = Collected()
    http = HttpClient.for_source(config, ctx, "java-tron")
    api = TronApi(http)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=min(config.parallel, len(nodes) + 1)) as pool:
            reference = pool.submit(api.now_block, config.reference_endpoint) \
                if config.reference_endpoint else None
            probes = list(pool.map(lambda node: _probe(api, node, ctx), nodes))
            ref_head, ref_time, basis = _reference(reference, probes, out)
        for probe in probes:
            out.node_status.append(_status(config.name, probe, ref_head, ref_time, basis))
            out.scopes.append(ScopeRun(scope=probe.node.name, ok=probe.error is None, error=probe.error))
            out.warnings.extend(probe.warnings)
        sr = config.sr_address or ctx.plan.organization.sr_address
        out.witness = _witness(api, config, probes, sr, out)
    finally:
        out.api_calls = http.calls
        http.close()
    ctx.progress(config.name, out.objects)
    return out


def _selected(config: Config, plan_nodes: list[Node]) -> list[Node]:
    if config.nodes is None:
        return [n for n in plan_nodes if n.endpoint]
    by_name = {n.name: n for n in plan_nodes}
    unknown = [name for name in config.nodes if name not in by_name]
    if unknown:
        raise SourceError(f"{config.name}: nodes {', '.join(unknown)} are not in the plan "
                          f"(plan nodes: {', '.join(by_name) or 'none'})")
    silent = [name for name in config.nodes if not by_name[name].endpoint]
    if silent:
        raise SourceError(f"{config.name}: nodes {', '.join(silent)} have no endpoint in the plan: "
                          "add 'endpoint: http://…:8090' to them")
    return [by_name[name] for name in config.nodes]


def _probe(api: TronApi, node: Node, ctx: CollectContext) -> Probe:
    """Ask one node for its newest block and its node information."""
    probe = Probe(node=node, checked=ctx.now())
    endpoint = node.endpoint or ""
    # A solidity node's endpoint is its solidity API (port 8091): /walletsolidity/* only.
    solidity = node.role is NodeRole.SOLIDITY
    try:
        block = api.now_block(endpoint, solidity=solidity)
    except SourceError as exc:
        probe.reachable = not isinstance(exc, Unreachable)
        probe.error = one_line(str(exc))
        return probe
    if block is None:
        probe.error = "getnowblock answered {} (no block): the node has no chain data yet"
        return probe
    try:
        info = api.node_info(endpoint, solidity=solidity)
    except SourceError as exc:
        info = None
        probe.warnings.append(f"{node.name}: no node information ({one_line(str(exc))})")
    if solidity:
        probe.solidity = block.number
        probe.head = info.head if info and info.head is not None else block.number
        probe.head_time = block.time if probe.head == block.number else None
    else:
        probe.head, probe.head_time = block.number, block.time
        probe.solidity = info.solidity if info else None
    if info:
        probe.peers, probe.begin_sync, probe.version, probe.backup = (
            info.peers, info.begin_sync, info.version, info.backup)
    if info and info.backup is not None and node.role is NodeRole.WITNESS:
        master = api.backup_master(endpoint)
        if master is not None:
            probe.backup = info.backup.model_copy(update={"master": master})
    return probe




def _reference(future, probes: list[Probe], out: Collected
               ) -> tuple[int | None, dt.datetime | None, LagBasis | None]:
    if future is not None:
        try:
            block = future.result()
        except SourceError as exc:
            block, error = None, one_line(str(exc))
        else:
            error = None if block else "getnowblock answered {} (no block)"
        out.scopes.append(ScopeRun(scope="reference", ok=error is None, error=error))
        if block is not None:
            return block.number, block.time, LagBasis.REFERENCE
        out.warnings.append("the reference endpoint gave no head: lag is measured against "
                            "the highest of our own nodes, and judged by the head blocks' age")
    heads = [p for p in probes if p.head is not None]
    if not heads:
        return None, None, None
    best = max(heads, key=lambda p: (p.head, p.head_time is not None))
    return best.head, best.head_time, LagBasis.OWN_NODES


def _status(source: str, probe: Probe, ref_head: int | None, ref_time: dt.datetime | None,
            basis: LagBasis | None) -> NodeStatus:
    lag_blocks = lag_seconds = None
    if ref_head is not None and probe.head is not None:
        lag_blocks = max(ref_head - probe.head, 0)
        if ref_time is not None and probe.head_time is not None:
            lag_seconds = max((ref_time - probe.head_time).total_seconds(), 0.0)
        else:  # no time for the head (a solidity node's): count blocks
            lag_seconds = float(lag_blocks * BLOCK_INTERVAL_SECONDS)
    return NodeStatus(
        source=source, node=probe.node.name, endpoint=probe.node.endpoint or "",
        reachable=probe.reachable, error=probe.error, checked=probe.checked,
        head_block=probe.head, head_time=probe.head_time, solidity_block=probe.solidity,
        peers=probe.peers, begin_sync=probe.begin_sync, version=probe.version,
        reference_head=ref_head, lag_blocks=lag_blocks, lag_seconds=lag_seconds,
        lag_basis=basis if lag_blocks is not None else None, backup=probe.backup,
    )


def _witness(api: TronApi, config: Config, probes: list[Probe], sr: str,
             out: Collected) -> WitnessRecord | None:
    """The SR's record from the first node that lists the witnesses (reference first)."""
    askers = [(config.reference_endpoint, False)] if config.reference_endpoint else []
    answering = [p for p in probes if p.error is None]
    answering.sort(key=lambda p: p.node.role is NodeRole.SOLIDITY)  # full API first
    askers += [(p.node.endpoint or "", p.node.role is NodeRole.SOLIDITY) for p in answering]
    errors: list[str] = []
    for endpoint, solidity in askers:
        try:
            witnesses = api.witnesses(endpoint, solidity=solidity)
        except SourceError as exc:
            errors.append(one_line(str(exc)))
            continue
        out.scopes.append(ScopeRun(scope="witness", ok=True))
        entry = find_witness(witnesses, sr)
        if entry is None:
            out.warnings.append(f"{sr} is not among the {len(witnesses)} witnesses: "
                                "not an SR candidate (yet), or the wrong sr_address")
            return None
        return witness_record(entry, sr, witnesses)
    out.scopes.append(ScopeRun(scope="witness", ok=False,
                               error=errors[-1] if errors else "no node answered to list the witnesses"))
    return None

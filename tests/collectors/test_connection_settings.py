"""One connection settings model for every networked source: TLS trust, retries, backoff, deadline.

Each rule is checked for every source type that has the setting, so a collector that declares
its own copy (and forgets the check) fails here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.collectors.runs import source_run
from tests.hardening.drip import DripServer
from trondocs.collectors.base import CollectContext, SourceConfig
from trondocs.collectors.connection import HttpSourceConfig, TlsSourceConfig
from trondocs.collectors.registry import SOURCE_TYPES, source_module
from trondocs.collectors.schema import sources_json_schema
from trondocs.collectors.sources import load_sources
from trondocs.diagnostics import PlanError

# What each type needs besides name and type to be a valid source.
REQUIRED: dict[str, dict] = {
    "snapshot": {"path": "state.json"},
    "vsphere": {"host": "vc.example"},
    "veeam": {"url": "https://vbr.example:9419"},
    "veeam-em": {"url": "https://em.example:9398"},
    "n2ws": {"url": "https://n2ws.example/api/"},
    "java-tron": {},
    "aws": {"regions": ["eu-central-1"]},
}
TLS_TYPES = ["vsphere", "veeam", "veeam-em", "n2ws", "java-tron"]
HTTP_TYPES = ["veeam", "veeam-em", "n2ws", "java-tron"]
INSECURE_TEXT = ("TLS certificate verification is OFF (insecure: true): anyone on the network path can "
                 "impersonate the server and read the traffic; set ca_bundle instead")


def entry(kind: str, **settings) -> dict:
    return {"name": "src", "type": kind, **REQUIRED[kind], **settings}


def load_error(tmp_path: Path, source: dict) -> str:
    inventory = inventory_with_sources(tmp_path / "inventory", [source])
    with pytest.raises(PlanError) as caught:
        load_sources(inventory)
    return "\n".join(f"{d.message} | {d.hint}" for d in caught.value.diagnostics)


def test_every_source_type_is_listed_here():
    assert set(REQUIRED) == set(SOURCE_TYPES)
    configs = {kind: source_module(kind).Config for kind in SOURCE_TYPES}
    assert {kind for kind, config in configs.items() if issubclass(config, TlsSourceConfig)} == set(TLS_TYPES)
    assert {kind for kind, config in configs.items()
            if issubclass(config, HttpSourceConfig)} == set(HTTP_TYPES)


@pytest.mark.parametrize("kind", TLS_TYPES)
def test_ca_bundle_and_insecure_together_are_refused(tmp_path: Path, kind: str):
    message = load_error(tmp_path, entry(kind, ca_bundle="ca.pem", insecure=True))
    assert "source 'src': set either ca_bundle or insecure: true, not both" in message


@pytest.mark.parametrize("kind", HTTP_TYPES)
def test_the_old_backoff_key_is_refused_naming_the_new_one(tmp_path: Path, kind: str):
    message = load_error(tmp_path, entry(kind, backoff=1))
    assert ("source 'src': 'backoff' is now called 'retry_backoff' (same meaning, in seconds): "
            "rename the key") in message


@pytest.mark.parametrize("kind", HTTP_TYPES)
def test_retry_backoff_is_read_and_doubles_up_to_the_cap(tmp_path: Path, kind: str):
    inventory = inventory_with_sources(tmp_path / "inventory", [entry(kind, retries=7, retry_backoff=2)])
    [source] = load_sources(inventory)
    assert source.config.retry_waits() == [2, 4, 8, 16, 30, 30, 30]


@pytest.mark.parametrize("kind", TLS_TYPES)
def test_one_resolver_finds_the_ca_bundle_beside_the_inventory(tmp_path: Path, kind: str):
    from tests.fakes.certs import self_signed

    cert, _ = self_signed(tmp_path, "server")
    config = source_module(kind).Config.model_validate(entry(kind, ca_bundle=Path(cert).name))
    ctx = CollectContext(base_dir=tmp_path)
    assert config.ca_file(ctx) == tmp_path / Path(cert).name
    assert config.requests_verify(ctx) == str(tmp_path / Path(cert).name)
    assert config.ssl_context(ctx).get_ca_certs()  # the bundle really was loaded


@pytest.mark.parametrize("kind", sorted(SOURCE_TYPES))
def test_the_defaults_let_one_unanswered_request_fit_in_the_deadline(kind: str):
    config: SourceConfig = source_module(kind).Config.model_validate(entry(kind))
    worst, _ = config.worst_request()
    assert worst <= config.deadline.total_seconds() * 0.6  # room left for the source's other requests
    assert config.deadline <= dt.timedelta(minutes=5)  # a hung server holds a nightly run no longer
    assert config.setting_warnings() == []


def test_a_request_that_cannot_fit_in_the_deadline_is_warned_about_on_every_run(tmp_path: Path):
    drip = DripServer()  # never answers: the source fails at its deadline
    try:
        config = source_module("n2ws").Config.model_validate(
            {"name": "n2ws", "type": "n2ws", "url": drip.url + "/api/", "timeout": 60, "deadline": "2s"})
        run = source_run(config, CollectContext(env={"TRONDOCS_N2WS_API_KEY": "k"}))
        assert not run.ok and "deadline" in (run.error or "")
        assert run.warnings == [
            "one unanswered request can take 4m 4s (4 tries × timeout 60 s + 3.5 s of waits between them), "
            "longer than the source's 2s deadline, which cuts it (and its retries) short: lower timeout or "
            "retries, or raise deadline"]
        assert drip.wait_all_closed(timeout=10)
    finally:
        drip.stop()


# Where nothing listens (port 9 of localhost, the discard port): every source fails at once.
UNREACHABLE: dict[str, dict] = {
    "vsphere": {"host": "127.0.0.1", "port": 9},
    "veeam": {"url": "https://127.0.0.1:9", "retries": 0},
    "veeam-em": {"url": "https://127.0.0.1:9", "retries": 0},
    "n2ws": {"url": "https://127.0.0.1:9/api/", "retries": 0},
    "java-tron": {},  # without a plan it has no node to read: it fails before any request
}
CREDENTIALS = {"TRONDOCS_VSPHERE_USER": "u", "TRONDOCS_VSPHERE_PASSWORD": "p", "TRONDOCS_VEEAM_USER": "u",
               "TRONDOCS_VEEAM_PASSWORD": "p", "TRONDOCS_VEEAM_EM_USER": "u",
               "TRONDOCS_VEEAM_EM_PASSWORD": "p", "TRONDOCS_N2WS_API_KEY": "k"}


@pytest.mark.parametrize("kind", TLS_TYPES)
def test_insecure_is_one_warning_text_for_every_source_even_when_it_fails(kind: str):
    config = source_module(kind).Config.model_validate(entry(kind, **UNREACHABLE[kind], insecure=True))
    run = source_run(config, CollectContext(env=CREDENTIALS))
    assert not run.ok
    assert run.warnings == [INSECURE_TEXT]


def test_the_sources_schema_follows_the_model():
    branches = {b["title"].removesuffix(" source"): b
                for b in sources_json_schema()["properties"]["sources"]["items"]["oneOf"]}
    for kind, branch in branches.items():
        props = branch["properties"]
        assert {"timeout", "deadline"} <= set(props), kind
        assert ("ca_bundle" in props and "insecure" in props) == (kind in TLS_TYPES), kind
        assert ("retries" in props and "retry_backoff" in props) == (kind in HTTP_TYPES), kind
        assert "backoff" not in props, kind
    retry_backoff = branches["n2ws"]["properties"]["retry_backoff"]
    assert (retry_backoff["default"], retry_backoff["maximum"]) == (0.5, 30)
    assert "doubling" in retry_backoff["description"]
    assert "default 5m" in branches["veeam"]["properties"]["deadline"]["description"]


@pytest.mark.timeout(60)
def test_veeam_em_is_held_to_its_deadline_like_the_other_http_sources():
    # It built its client without the source's deadline: a server dripping a byte a second (no
    # per-read timeout fires) held it for ever.
    drip = DripServer()
    try:
        config = source_module("veeam-em").Config.model_validate(
            {"name": "em", "type": "veeam-em", "url": drip.url, "deadline": "2s", "timeout": 30})
        run = source_run(config, CollectContext(env=CREDENTIALS))
        assert not run.ok and "stopped at its 2s deadline" in (run.error or ""), run.error
        assert drip.wait_all_closed(timeout=10)
    finally:
        drip.stop()

"""The n2ws source inside a whole collection run: sources.yaml, a failing server, and secrets."""

from __future__ import annotations

import logging

from tests.collectors.n2ws.estate import ENV, NOW, config_for, context
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource, load_sources

SECRET_KEY = "N2WS-KEY-kiwi-90817263-zebra"


def test_sources_yaml_declares_an_n2ws_source(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        "  - name: n2ws\n"
        "    type: n2ws\n"
        "    url: https://n2ws.example/api\n"
        "    backup_window: 7d\n"
        "    ca_bundle: certs/n2ws-ca.pem\n"
    )
    [source] = load_sources(tmp_path)
    config = source.config
    assert (config.url, config.api_key_env, config.ca_bundle, config.insecure) == (
        "https://n2ws.example/api/", ENV, "certs/n2ws-ca.pem", False)
    assert config.backup_window.days == 7 and config.page_size == 100


def test_a_failing_server_fails_its_source_only(fake_n2ws):
    healthy, broken = fake_n2ws(), fake_n2ws()
    broken.fail("/api/aws/policies/", *[500] * 3)
    state = collect_state([ConfiguredSource(config_for(healthy, name="n2ws-eu")),
                           ConfiguredSource(config_for(broken, name="n2ws-us"))], context())
    eu, us = state.collection.sources
    assert (eu.name, eu.ok, eu.error, eu.objects) == ("n2ws-eu", True, None, 8)
    assert eu.api_calls == len(healthy.seen)
    host = broken.url.split("/")[2]
    assert (us.name, us.ok, us.objects) == ("n2ws-us", False, 0)
    assert us.error == f"N2WS at {host}: GET aws/policies/ failed with HTTP 500 after 3 attempts: " \
                       "A server error occurred."
    assert {j.source for j in state.jobs} == {"n2ws-eu"} and len(state.jobs) == 2
    assert {p.source for p in state.restore_points} == {"n2ws-eu"} and len(state.restore_points) == 6
    assert not state.collection.complete


def test_no_secret_reaches_logs_state_or_errors(fake_n2ws, caplog):
    caplog.set_level(logging.DEBUG)
    good = fake_n2ws(api_key=SECRET_KEY, access_uses=2, refresh_uses=2)
    failing = fake_n2ws(api_key=SECRET_KEY, access_uses=2)
    failing.fail("/api/aws/backups/", *[500] * 3)
    refusing = fake_n2ws(api_key="some-other-key")
    ctx = context(api_key=SECRET_KEY)
    state = collect_state([ConfiguredSource(config_for(good, name="good")),
                           ConfiguredSource(config_for(failing, name="failing")),
                           ConfiguredSource(config_for(refusing, name="refusing"))], ctx)
    runs = {run.name: run for run in state.collection.sources}
    assert runs["good"].ok and not runs["failing"].ok and not runs["refusing"].ok
    assert "refused the API key from $TRONDOCS_N2WS_API_KEY" in runs["refusing"].error
    secrets = [SECRET_KEY, *good.tokens_issued, *failing.tokens_issued, *refusing.tokens_issued]
    assert len(secrets) > 10  # tokens were issued and refreshed: there is something to leak
    outputs = [caplog.text, state.model_dump_json(), *(r.error or "" for r in runs.values())]
    assert any("GET /api/aws/backups/" in record.getMessage() or "aws/backups" in record.getMessage()
               for record in caplog.records)  # debug logging did happen
    for secret in secrets:
        for output in outputs:
            assert secret not in output
    assert state.collection.finished >= NOW

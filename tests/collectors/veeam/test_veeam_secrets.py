"""No password or token reaches a log line, a state file or an error message — whatever happens."""

from __future__ import annotations

import logging

import pytest

from tests.collectors.veeam.conftest import collect, config, make_ctx
from trondocs.collectors.base import SourceError
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource
from trondocs.state.io import save_state

PASSWORD = "Vbr-Pa55w0rd-7c1e-SECRET"
TOKENS = "TOKEN-SECRET-4242"


def test_no_secret_in_logs_state_or_errors(veeam_server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)  # everything: ours, requests', urllib3's
    busy = veeam_server(password=PASSWORD, token_prefix=TOKENS, token_ttl_requests=3,
                        fail_once={"/api/v1/restorePoints": {5}})
    refusing = veeam_server(password="another-one", token_prefix=TOKENS)
    broken = veeam_server(password=PASSWORD, token_prefix=TOKENS, fail_always={"/api/v1/sessions"})
    sources = [ConfiguredSource(config(s, name=name, retries=1))
               for name, s in (("busy", busy), ("refusing", refusing), ("broken", broken))]
    state = collect_state(sources, make_ctx(password=PASSWORD))
    path = tmp_path / "state.json"
    save_state(state, path)

    # The secrets really travelled (so not finding them below means something) …
    assert any(TOKENS in (h.authorization or "") for h in busy.hits) and busy.refreshes >= 2
    runs = {r.name: r for r in state.collection.sources}
    assert runs["busy"].ok and not runs["refusing"].ok and not runs["broken"].ok
    # … and appear nowhere the operator or a reader of the report can see.
    outputs = [caplog.text, path.read_text(), *(r.error or "" for r in runs.values()),
               *(w for r in runs.values() for w in r.warnings)]
    for text in outputs:
        assert PASSWORD not in text and TOKENS not in text
    assert any("GET /api/v1/restorePoints" in m for m in caplog.messages)  # debug logging did run


def test_no_secret_in_raised_errors(veeam_server):
    server = veeam_server(password=PASSWORD, token_prefix=TOKENS, fail_always={"/api/v1/jobs"})
    with pytest.raises(SourceError) as caught:
        collect(server, make_ctx(password=PASSWORD + "-wrong"))
    assert PASSWORD not in str(caught.value) and "login refused" in str(caught.value)
    out = collect(server, make_ctx(password=PASSWORD), retries=0)
    for scope in out.scopes:
        assert PASSWORD not in (scope.error or "") and TOKENS not in (scope.error or "")
    assert [s.scope for s in out.scopes if not s.ok] == ["jobs"]

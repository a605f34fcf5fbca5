"""OAuth2 against the fake VBR: login, refresh on 401 and before expiry, re-login, logout, refusals."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from tests.collectors.veeam.conftest import NOW, collect, make_ctx
from trondocs.collectors.base import SourceError
from trondocs.state.models import RestorePointKind

TOKEN = "/api/oauth2/token"


def _summary(out):
    return (sorted(j.name for j in out.jobs), sorted(p.id for p in out.restore_points),
            sorted(r.id for r in out.recovery_runs), sorted(r.name for r in out.repositories))


def test_token_expiring_mid_collection_is_refreshed_and_nothing_is_lost(veeam_server):
    baseline = collect(veeam_server())
    server = veeam_server(token_ttl_requests=4)  # every access token dies after 4 calls
    out = collect(server)
    api_statuses = [h.status for h in server.hits if h.path.startswith("/api/v1/")]
    assert api_statuses.count(401) >= 3  # the collection really ran into expired tokens …
    assert server.refreshes == api_statuses.count(401) and server.logins == 1  # … and refreshed each time
    assert server.statuses(TOKEN) == [200] * (1 + server.refreshes)  # no refresh token was used twice
    assert _summary(out) == _summary(baseline) and all(s.ok for s in out.scopes)
    assert server.logouts == 1


def test_token_is_refreshed_before_it_expires(veeam_server):
    server = veeam_server(expires_in=900)
    ticks = itertools.count()
    out = collect(server, make_ctx(now=lambda: NOW + dt.timedelta(minutes=next(ticks))))
    assert server.refreshes >= 1  # 900 s token, refreshed at 810 s of the (fast) clock
    assert 401 not in [h.status for h in server.hits]  # before expiry: the server never had to refuse
    assert len([p for p in out.restore_points if p.kind is RestorePointKind.BACKUP]) == 16


def test_refused_refresh_falls_back_to_a_new_login(veeam_server):
    server = veeam_server(token_ttl_requests=5, refuse_refresh=True)
    out = collect(server)
    assert server.refreshes == 0 and server.logins >= 2
    assert 401 in server.statuses(TOKEN)  # the refused refresh grants
    assert all(s.ok for s in out.scopes) and len(out.restore_points) == 28


def test_wrong_password_is_one_clear_line_and_reads_nothing(veeam_server):
    server = veeam_server()
    with pytest.raises(SourceError) as caught:
        collect(server, make_ctx(password="not-the-password"))
    message = str(caught.value)
    assert message == (f"Veeam at {server.url.split('//')[1]}: login refused (HTTP 401); check the user "
                       "name and password in the configured environment variables")
    assert "\n" not in message and "not-the-password" not in message
    assert [h.path for h in server.hits] == [TOKEN]


def test_revision_the_server_does_not_serve_is_named(veeam_server):
    server = veeam_server("1.0-rev1")
    with pytest.raises(SourceError, match=r"api_version 1\.3-rev2 is a revision this server supports"):
        collect(server, api_version="1.3-rev2")


def test_missing_credentials_name_the_variable(veeam_server):
    server = veeam_server()
    with pytest.raises(SourceError, match="export TRONDOCS_VEEAM_PASSWORD="):
        collect(server, make_ctx(password=""))
    with pytest.raises(SourceError, match="export VBR_USER="):
        collect(server, username_env="VBR_USER")
    assert server.hits == []


def test_logout_happens_even_when_a_part_fails(veeam_server):
    server = veeam_server(fail_always={"/api/v1/jobs"})
    out = collect(server, retries=1)
    assert server.logouts == 1 and server.hits[-1].path == "/api/oauth2/logout"
    assert [s.scope for s in out.scopes if not s.ok] == ["jobs"]

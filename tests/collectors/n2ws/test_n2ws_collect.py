"""The n2ws collector against a fake N2WS server: policies, schedules, backups, DR copies, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.n2ws.estate import INSTANCE, NOW, OTHER, config_for, context
from tests.collectors.runs import source_run
from trondocs.collectors import n2ws as collector
from trondocs.collectors.base import SourceError
from trondocs.collectors.connection import INSECURE_WARNING
from trondocs.collectors.httpjson import HttpClient
from trondocs.plan.models import Medium, ProtectionSystem
from trondocs.state.models import (
    DiscoveredSchedule,
    JobKind,
    ProtectionJob,
    RestorePoint,
    RestorePointKind,
    Retention,
    ScheduleKind,
)

HOUR = dt.timedelta(hours=1)


def _point(id, kind, created, region, account, description, instance=INSTANCE, job="tron-aws-hourly",
           job_id="10", copy_of=None) -> RestorePoint:
    return RestorePoint(source="n2ws", id=id, kind=kind, asset_id=instance, asset_name=instance,
                        created=created, location=region, region=region, account=account,
                        medium=Medium.CLOUD_SNAPSHOT, job=job, job_id=job_id, copy_of=copy_of,
                        name=job, description=description)


EXPECTED_POINTS = [
    _point("104/" + INSTANCE, RestorePointKind.BACKUP, NOW - HOUR, "eu-central-1", "111122223333",
           "snapshots snap-1a, snap-1b"),
    _point(f"104/{INSTANCE}/444455556666/eu-west-1", RestorePointKind.COPY, NOW - HOUR, "eu-west-1",
           "444455556666", "snapshots snap-1c", copy_of="104/" + INSTANCE),
    _point("102/" + INSTANCE, RestorePointKind.BACKUP, NOW - 3 * HOUR, "eu-central-1", "111122223333",
           "snapshots snap-3a"),
    _point(f"102/{INSTANCE}/444455556666/eu-west-1", RestorePointKind.COPY, NOW - 3 * HOUR, "eu-west-1",
           "444455556666", "snapshots snap-3b", copy_of="102/" + INSTANCE),
    _point("101/" + INSTANCE, RestorePointKind.BACKUP, NOW - 4 * HOUR, "eu-central-1", "111122223333",
           "snapshots snap-4a"),
    _point("201/" + OTHER, RestorePointKind.BACKUP, NOW - 30 * HOUR, "eu-central-1", "111122223333",
           "snapshots snap-w", instance=OTHER, job="legacy-weekly", job_id="11"),
]

EXPECTED_JOBS = [
    ProtectionJob(source="n2ws", system=ProtectionSystem.N2WS, id="10", name="tron-aws-hourly",
                  kind=JobKind.BACKUP, enabled=True,
                  schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=HOUR,
                                              expression="every 1 hours"),
                  retention=Retention(count=48), targets=[INSTANCE], region="eu-central-1",
                  account="111122223333", copy_locations=["eu-west-1"], last_result="success",
                  last_run=NOW - HOUR),
    ProtectionJob(source="n2ws", system=ProtectionSystem.N2WS, id="11", name="legacy-weekly",
                  kind=JobKind.BACKUP, enabled=False,
                  schedule=DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=7 * 24 * HOUR,
                                                   expression="every 1 weeks"),
                  retention=Retention(count=4), targets=[OTHER], region="eu-central-1",
                  account="111122223333", last_result="success", last_run=NOW - 30 * HOUR,
                  status="disabled"),
]


@pytest.mark.parametrize("paging", ["list", "drf", "unpaged"])
def test_policies_backups_and_dr_copies_whatever_the_paging(fake_n2ws, paging):
    fake = fake_n2ws(paging=paging)
    out = _collect(fake)
    assert out.jobs == EXPECTED_JOBS
    assert out.restore_points == EXPECTED_POINTS
    assert out.warnings == []
    gets = [s for s in fake.seen if s.method == "GET"]
    assert out.api_calls == len(fake.seen)
    def pages(path):
        return [s.query.get("page") for s in gets if s.path == path]

    # Two items per page: three schedules take two pages (an unpaged server repeats itself
    # on page 2, which ends the list). Two accounts fill a plain-list page, so page 2 is
    # asked for and comes back empty; a DRF page says there is no ``next``.
    assert pages("/api/schedules/") == ["1", "2"]
    assert pages("/api/aws/accounts/") == (["1"] if paging == "drf" else ["1", "2"])
    # The failed backup 103 has no restore point, and its snapshots were never asked for.
    assert not any("/backups/103/" in s.path for s in gets)
    # Backups are read newest first and paging stops once past the 14-day window.
    assert {s.query.get("ordering") for s in gets if s.path == "/api/aws/backups/"} == {"-start_time"}
    per_instance = [s for s in gets if s.path.endswith("/snapshots/instances/")]
    assert {s.query["resource"] for s in per_instance} == {INSTANCE, OTHER}


def test_paging_stops_at_the_window_when_the_server_sorts(fake_n2ws):
    fake = fake_n2ws(paging="drf")
    _collect(fake)
    pages = [s.query.get("page") for s in fake.seen if s.path == "/api/aws/backups/"]
    # Six backups, two per page: the third page holds 201 (in the window) and 90 (outside).
    assert pages == ["1", "2", "3"]
    assert not any("/backups/90/" in s.path for s in fake.seen)


def test_token_expires_mid_collection_and_is_refreshed(fake_n2ws):
    fake = fake_n2ws(access_uses=3)
    out = _collect(fake)
    assert out.jobs == EXPECTED_JOBS and out.restore_points == EXPECTED_POINTS
    refreshes = [s for s in fake.seen if s.path == "/api/token/refresh/"]
    logins = [s for s in fake.seen if s.path == "/api/token/obtain/api_key/"]
    assert len(logins) == 1 and len(refreshes) >= 5
    # Each GET refused with 401 went out again, once, with the refreshed token.
    refused = [i for i, s in enumerate(fake.seen) if s.status == 401]
    assert len(refused) == len(refreshes)
    for i in refused:
        again = fake.seen[i + 2]  # after the refresh
        assert (again.path, again.query, again.status) == (fake.seen[i].path, fake.seen[i].query, 200)
        assert again.authorization != fake.seen[i].authorization


def test_expired_refresh_token_leads_to_a_new_login(fake_n2ws):
    fake = fake_n2ws(access_uses=4, refresh_uses=1)
    out = _collect(fake)
    assert out.restore_points == EXPECTED_POINTS
    logins = [s for s in fake.seen if s.path == "/api/token/obtain/api_key/"]
    assert len(logins) >= 3


def test_token_about_to_expire_is_refreshed_before_use(fake_n2ws):
    fake = fake_n2ws(clock=lambda: NOW.timestamp(), access_seconds=30)  # exp inside the 60 s margin
    out = _collect(fake)
    assert out.restore_points == EXPECTED_POINTS
    assert [s for s in fake.seen if s.status == 401] == []
    gets = [s for s in fake.seen if s.method == "GET"]
    refreshes = [s for s in fake.seen if s.path == "/api/token/refresh/"]
    assert len(refreshes) == len(gets)  # every GET went out with a token refreshed just before


def test_a_transient_server_error_is_retried(fake_n2ws):
    fake = fake_n2ws()
    fake.fail("/api/aws/policies/", 503, 500)
    out = _collect(fake)
    assert out.jobs == EXPECTED_JOBS
    assert [s.query.get("page") for s in fake.seen if s.path == "/api/aws/policies/"] == ["1", "1", "1", "2"]


def test_a_persistent_server_error_is_one_clear_line(fake_n2ws):
    fake = fake_n2ws()
    fake.fail("/api/aws/backups/", 500, 500, 500)
    with pytest.raises(SourceError) as caught:
        _collect(fake)
    host = fake.url.split("/")[2]
    assert str(caught.value) == (f"N2WS at {host}: GET aws/backups/ failed with HTTP 500 after 3 attempts: "
                                 "A server error occurred.")
    assert [s.status for s in fake.seen if s.path == "/api/aws/backups/"] == [500, 500, 500]


def test_a_wrong_api_key_names_the_variable_not_the_key(fake_n2ws):
    fake = fake_n2ws()
    with pytest.raises(SourceError) as caught:
        collector.collect(config_for(fake), context(api_key="not-the-key-0042"))
    message = str(caught.value)
    assert "$TRONDOCS_N2WS_API_KEY" in message and "HTTP 401" in message
    assert "not-the-key-0042" not in message


def test_missing_api_key_variable_is_a_source_error(fake_n2ws):
    fake = fake_n2ws()
    with pytest.raises(SourceError, match=r"the N2WS API key is not set: export TRONDOCS_N2WS_API_KEY"):
        collector.collect(config_for(fake), context(api_key=""))


def test_insecure_is_warned_on_every_run(fake_n2ws):
    fake = fake_n2ws()
    for _ in range(2):
        run = source_run(config_for(fake, insecure=True), context())
        assert run.ok and run.warnings == [INSECURE_WARNING]


def test_unreachable_server(fake_n2ws):
    fake = fake_n2ws()
    url = fake.url
    fake.stop()
    config = collector.Config(name="n2ws", url=url, retries=1, retry_backoff=0.001, timeout=2)
    with pytest.raises(SourceError) as caught:
        collector.collect(config, context())
    assert str(caught.value) == f"N2WS n2ws: cannot reach {url.split('/')[2]}: connection refused"


def _collect(fake):
    return collector.collect(config_for(fake), context())


def test_throttling_waits_as_told_then_backs_off_and_gives_up(fake_n2ws):
    fake = fake_n2ws(retry_after="7")
    fake.fail("/api/schedules/", 429, 500, 500, 500)
    waits: list[float] = []
    http = HttpClient(what="N2WS test", timeout=5, retries=3, backoff=0.25, verify=True, sleep=waits.append)
    responses = [http.request("GET", fake.url + "schedules/") for _ in range(2)]
    # 429 (Retry-After: 7), 500, 500, 500: four attempts, the last answer returned as it came.
    assert [r.status_code for r in responses] == [500, 401]
    assert waits == [7.0, 0.5, 1.0]
    assert http.calls == 5
    assert [s.status for s in fake.seen] == [429, 500, 500, 500, 401]

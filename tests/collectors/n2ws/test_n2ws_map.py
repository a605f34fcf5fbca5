"""N2WS spellings → State values: schedules, statuses, times, policies."""

from __future__ import annotations

import datetime as dt

import pytest

from trondocs.collectors.base import SourceError
from trondocs.collectors.n2ws_map import Policy, parse_time, result_of, schedule_of
from trondocs.state.models import DiscoveredSchedule, ScheduleKind


@pytest.mark.parametrize(("unit", "how_many", "interval"), [
    ("minutes", 15, dt.timedelta(minutes=15)), ("Hours", 4, dt.timedelta(hours=4)),
    ("hour", 1, dt.timedelta(hours=1)), ("D", 2, dt.timedelta(days=2)), ("weeks", 1, dt.timedelta(weeks=1)),
])
def test_periodic_schedules(unit, how_many, interval):
    assert schedule_of({"every_unit": unit, "every_how_many": how_many}) == DiscoveredSchedule(
        kind=ScheduleKind.PERIODIC, interval=interval, expression=f"every {how_many} {unit.lower()}")


def test_months_are_monthly_and_unknown_units_are_kept_as_text():
    assert schedule_of({"every_unit": "months", "every_how_many": 1}) == DiscoveredSchedule(
        kind=ScheduleKind.MONTHLY, expression="every 1 months")
    assert schedule_of({"every_unit": "fortnights", "every_how_many": 1}) == DiscoveredSchedule(
        kind=ScheduleKind.PERIODIC, expression="every 1 fortnights")


@pytest.mark.parametrize(("status", "result"), [
    ("B", "success"), ("Backup Successful", "success"), ("P", "warning"), ("F", "failed"),
    ("I", "running"), ("Deleted", "Deleted"), (None, "none"),
])
def test_statuses(status, result):
    assert result_of(status) == result


def test_times_without_an_offset_are_utc_and_bad_ones_are_named():
    assert parse_time("2026-11-20T05:00:00", "backup 1") == dt.datetime(2026, 11, 20, 5, tzinfo=dt.UTC)
    assert parse_time("2026-11-20T07:00:00+02:00", "backup 1") == dt.datetime(2026, 11, 20, 5, tzinfo=dt.UTC)
    with pytest.raises(SourceError, match=r"^N2WS: backup 7 has an unreadable start_time 'yesterday'$"):
        parse_time("yesterday", "backup 7")


def test_policy_takes_its_most_frequent_enabled_schedule_and_its_instances():
    schedules = {1: {"id": 1, "every_unit": "days", "every_how_many": 1},
                 2: {"id": 2, "every_unit": "minutes", "every_how_many": 30, "enabled": False},
                 3: {"id": 3, "every_unit": "hours", "every_how_many": 6}}
    accounts = {4: {"id": 4, "name": "prod", "aws_account_id": "111122223333"}}
    policy = Policy.read({"id": 9, "name": "p", "enabled": "True", "generations": 10, "account": {"id": 4},
                          "schedules": [{"id": 1}, 2, 3]}, schedules, accounts)
    assert policy.schedule is not None and policy.schedule.interval == dt.timedelta(hours=6)
    assert policy.enabled and policy.generations == 10 and policy.account == accounts[4]
    policy.targets = [{"resource_type": "instance", "resource_id": "i-1", "region": "eu-west-1"},
                      {"resource_type": "ebs_volume", "resource_id": "vol-1"},
                      {"instance_id": "i-2"}]
    assert policy.instances() == ["i-1", "i-2"]
    assert (policy.region_of("i-1"), policy.region_of("i-2")) == ("eu-west-1", None)


def test_a_dr_copy_still_copying_or_failed_is_not_usable(fake_n2ws):
    """DR snapshots report their own status: only a copy whose every snapshot succeeded is ok."""
    from tests.collectors.n2ws.estate import INSTANCE, at, config_for, context, populate
    from trondocs.collectors import n2ws

    fake = populate(fake_n2ws())
    fake.add_backup(105, 10, at(0.5), "B", [(INSTANCE, "snap-5a", "eu-central-1", 1),
                                            (INSTANCE, "snap-5b", "eu-west-1", 2, "I")])
    fake.add_backup(106, 10, at(0.25), "B", [(INSTANCE, "snap-6a", "eu-central-1", 1),
                                             (INSTANCE, "snap-6b", "eu-west-1", 2, "F")])
    out = n2ws.collect(config_for(fake), context())
    copies = {p.id.split("/")[0]: p.status for p in out.restore_points if p.kind.value == "copy"}
    assert copies["105"] == "creating" and copies["106"] == "failed" and copies["104"] == "ok"
    primaries = {p.id: p.status for p in out.restore_points if p.kind.value == "backup"}
    assert primaries[f"105/{INSTANCE}"] == primaries[f"106/{INSTANCE}"] == "ok"

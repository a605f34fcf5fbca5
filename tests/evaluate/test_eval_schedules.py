"""Declared schedules and retention against what the jobs say."""

from __future__ import annotations

import datetime as dt

import pytest

from trondocs.evaluate.evidence.schedules import matches, retention_enough, state_text
from trondocs.plan.models import Protection
from trondocs.plan.types import Retention as Keep
from trondocs.state.models import DiscoveredSchedule, Retention, ScheduleKind

M, H, D = dt.timedelta(minutes=1), dt.timedelta(hours=1), dt.timedelta(days=1)


def prot(**timing) -> Protection:
    return Protection.model_validate({"name": "p", "kind": "backup", "system": "veeam", "job": "j",
                                      "covers": ["n"], **timing})


def sched(kind: str, **kw) -> DiscoveredSchedule:
    return DiscoveredSchedule(kind=ScheduleKind(kind), **kw)


@pytest.mark.parametrize(("timing", "schedule", "expected"), [
    ({"every": "15m"}, sched("periodic", interval=15 * M), True),
    ({"every": "15m"}, sched("periodic", interval=60 * M), False),
    ({"every": "PT1H"}, sched("periodic", interval=H), True),
    ({"schedule": "hourly"}, sched("periodic", interval=H), True),
    ({"every": "24h"}, sched("daily", time="02:00"), True),
    ({"schedule": "daily 02:00"}, sched("daily", time="2:00"), True),
    ({"schedule": "daily 02:00"}, sched("daily", time="03:30"), False),
    ({"schedule": "daily"}, sched("daily", time="03:30"), True),
    ({"schedule": "daily 02:00"}, sched("weekly", days=["sunday"], time="02:00"), False),
    ({"schedule": "weekly sun 04:00"}, sched("weekly", days=["sunday"], time="04:00"), True),
    ({"schedule": "weekly sun 04:00"}, sched("weekly", days=["saturday"], time="04:00"), False),
    ({"schedule": "continuous"}, sched("continuous"), True),
    ({"schedule": "cron(0 4 ? * SUN *)"}, sched("cron", expression="cron(0  4 ? * sun *)"), True),
    ({"schedule": "cron(0 4 ? * SUN *)"}, sched("cron", expression="cron(0 5 ? * SUN *)"), False),
    # a cron expression is expanded and judged against the plan's interval, time and weekday
    ({"schedule": "cron(0 4 ? * SUN *)"}, sched("daily", time="04:00"), False),
    ({"schedule": "cron(0 4 ? * SUN *)"}, sched("weekly", days=["sunday"], time="04:00"), True),
    ({"schedule": "cron(0 */6 * * ? *)"}, sched("periodic", interval=6 * H), True),
    ({"every": "1h"}, sched("cron", expression="cron(0 * * * ? *)"), True),
    ({"every": "4h"}, sched("cron", expression="cron(0 0/4 * * ? *)"), True),
    ({"every": "1h"}, sched("cron", expression="cron(0 */4 * * ? *)"), False),
    ({"schedule": "daily 03:00"},
     sched("cron", expression="cron(0 3 * * ? *)", timezone="Europe/Berlin"), True),
    ({"schedule": "daily 02:00"}, sched("cron", expression="cron(0 3 * * ? *)"), False),
    ({"schedule": "daily"}, sched("cron", expression="cron(0 3 ? * MON-FRI *)"), False),  # weekends skipped
    ({"schedule": "weekly sun 04:00"}, sched("cron", expression="cron(0 4 ? * 1 *)"), True),  # AWS: 1 = SUN
    ({"schedule": "weekly sat 04:00"}, sched("cron", expression="cron(0 4 ? * SUN *)"), False),
    ({"schedule": "monthly"}, sched("cron", expression="cron(0 5 1 * ? *)"), True),
    ({"schedule": "daily 02:00"}, sched("cron", expression="0 2 * * *"), True),  # classic five fields
    ({"every": "24h"}, sched("cron", expression="cron(0 3 L * ? *)"), None),  # L is not understood
    ({"schedule": "cron(0 3 ? * 2#1 *)"}, sched("daily", time="03:00"), None),
    ({"every": "1h"}, sched("manual"), False),
    ({"every": "1h"}, None, None),
])
def test_schedule_comparison(timing, schedule, expected):
    assert matches(prot(**timing), schedule, lambda name: None) is expected


def test_a_chained_job_runs_on_the_schedule_it_follows():
    chained = sched("after_job", after_job="Backup TRON nodes")
    daily = sched("daily", time="02:00")
    assert matches(prot(schedule="daily 02:00"), chained, {"Backup TRON nodes": daily}.get) is True
    assert matches(prot(every="15m"), chained, {"Backup TRON nodes": daily}.get) is False
    assert matches(prot(every="15m"), chained, lambda name: None) is None
    loop = sched("after_job", after_job="self")
    assert matches(prot(every="15m"), loop, lambda name: loop) is None


def test_state_schedule_text():
    assert state_text(sched("periodic", interval=60 * M)) == "every 1h"
    assert state_text(sched("weekly", days=["sun"], time="04:00")) == "weekly sun 04:00"
    assert state_text(sched("after_job", after_job="X")) == "after job 'X'"
    assert state_text(None) == "not reported"


@pytest.mark.parametrize(("keep", "got", "interval", "expected"), [
    (Keep(count=14), Retention(count=14), D, True),
    (Keep(count=14), Retention(count=7), D, False),
    (Keep(count=14), Retention(duration=14 * D), D, True),
    (Keep(count=14), Retention(duration=13 * D), D, False),
    (Keep(duration=2 * D), Retention(count=48), H, True),
    (Keep(duration=2 * D), Retention(count=47), H, False),
    (Keep(duration=2 * D), Retention(duration=D), H, False),
    (Keep(count=14), Retention(duration=14 * D), None, None),  # a cron schedule: no interval
    (Keep(count=14), None, D, None),
    (Keep(count=14), Retention(), D, None),
])
def test_retention(keep, got, interval, expected):
    assert retention_enough(keep, got, interval) is expected


def _two_schedules():
    """The DLM policy as the collector reads a policy of two schedules: one job per schedule,
    the daily one (cron) first, the hourly one — what the plan means — second."""
    from tests.evaluate.cases import state_for

    state = state_for()
    [policy] = [j for j in state.jobs if j.system == "dlm"]
    daily = policy.model_copy(update={"id": f"{policy.id}/daily", "rule": "daily",
                                      "schedule": DiscoveredSchedule(kind=ScheduleKind.CRON,
                                                           expression="cron(0 3 * * ? *)")})
    hourly = policy.model_copy(update={"id": f"{policy.id}/hourly", "rule": "hourly"})
    return state.model_copy(update={"jobs": [j for j in state.jobs if j is not policy] + [daily, hourly]})


def _trd(loaded, state, rule_id, **protection):
    from tests.evaluate.cases import patch_plan
    from tests.factories import AS_OF
    from trondocs.evaluate import evaluate

    plan = patch_plan(loaded, {"protection": {"AWS hourly snapshots": protection}}) if protection else loaded
    return next(f for f in evaluate(plan, state, as_of=AS_OF).findings
                if f.rule == rule_id and f.subject == "AWS hourly snapshots")


def test_the_second_schedule_of_a_policy_satisfies_the_plan_and_is_named(loaded):
    from trondocs.evaluate.models import Status

    finding = _trd(loaded, _two_schedules(), "TRD203")
    assert finding.status is Status.PASS and "(schedule 'hourly')" in finding.message


def test_the_plan_can_name_the_schedule_it_means(loaded):
    from trondocs.evaluate.models import Status

    assert _trd(loaded, _two_schedules(), "TRD203", rule="hourly").status is Status.PASS
    wrong = _trd(loaded, _two_schedules(), "TRD203", rule="daily")
    assert wrong.status is Status.FAIL and "cron(0 3 * * ? *)" in wrong.message
    missing = _trd(loaded, _two_schedules(), "TRD201", rule="weekly")
    assert missing.status is Status.FAIL  # the policy has no schedule of that name

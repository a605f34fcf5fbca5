"""An N2WS estate for the example SR's AWS full node, served by the fake N2WS server."""

from __future__ import annotations

import datetime as dt

from tests.fakes.n2ws_server import FakeN2ws
from trondocs.collectors.base import CollectContext
from trondocs.collectors.n2ws import Config

NOW = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
INSTANCE = "i-0a1b2c3d4e5f60718"
OTHER = "i-0ffee11223344556a"
API_KEY = "n2ws-key-3f9a1c"
ENV = "TRONDOCS_N2WS_API_KEY"


def at(hours_ago: float) -> str:
    return (NOW - dt.timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")


def populate(fake: FakeN2ws) -> FakeN2ws:
    """Prod account 1 in eu-central-1, DR account 2 (eu-west-1 copies); two policies."""
    fake.add_account(1, "111122223333")
    fake.add_account(2, "444455556666", dr=True)
    fake.add_schedule(5, "every hour", "hours", 1)
    fake.add_schedule(7, "nightly", "days", 1)
    fake.add_schedule(8, "weekly", "weeks", 1)
    fake.add_policy(10, "tron-aws-hourly", account=1, generations=48, schedules=[7, 5],
                    instances=[(INSTANCE, "eu-central-1")])
    fake.add_policy(11, "legacy-weekly", account=1, generations=4, schedules=[8], enabled=False,
                    instances=[(OTHER, "eu-central-1")])
    # Hourly backups of the full node, newest first in time: 1 h, 2 h (failed), 3 h, 4 h ago.
    fake.add_backup(101, 10, at(4), "B", [(INSTANCE, "snap-4a", "eu-central-1", 1)])
    fake.add_backup(102, 10, at(3), "B", [(INSTANCE, "snap-3a", "eu-central-1", 1),
                                          (INSTANCE, "snap-3b", "eu-west-1", 2)])
    fake.add_backup(103, 10, at(2), "F", [])
    fake.add_backup(104, 10, at(1), "B", [(INSTANCE, "snap-1a", "eu-central-1", 1),
                                          (INSTANCE, "snap-1b", "eu-central-1", 1),
                                          (INSTANCE, "snap-1c", "eu-west-1", 2)])
    fake.add_backup(90, 10, at(24 * 20), "B", [(INSTANCE, "snap-old", "eu-central-1", 1)])  # outside
    fake.add_backup(201, 11, at(30), "B", [(OTHER, "snap-w", "eu-central-1", 1)])
    return fake


def config_for(fake: FakeN2ws, **options) -> Config:
    options.setdefault("page_size", 2)  # small pages: every list of 3+ items takes several requests
    return Config(name=options.pop("name", "n2ws"), url=fake.url, retries=2, retry_backoff=0.001, **options)


def context(api_key: str = API_KEY, **options) -> CollectContext:
    return CollectContext(env={ENV: api_key}, now=lambda: NOW, **options)

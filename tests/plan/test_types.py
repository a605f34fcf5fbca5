"""Durations, retention and TRON addresses as the plan writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trondocs.durations import format_duration, parse_duration
from trondocs.plan.types import Retention, _parse_retention
from trondocs.tron import (
    SOLIDIFIED_DEPTH,
    base58_to_hex,
    blocks_at_risk,
    hex_to_base58,
    normalise_address,
    slot_miss_chance,
    takeover_seconds,
    validate_address,
)

M = dt.timedelta(minutes=1)


@pytest.mark.parametrize("text, expected", [
    ("90s", dt.timedelta(seconds=90)), ("15m", 15 * M), ("2h", 120 * M), ("7d", dt.timedelta(days=7)),
    ("1w", dt.timedelta(days=7)), ("PT15M", 15 * M), ("P1DT2H", dt.timedelta(days=1, hours=2)),
    ("pt90s", dt.timedelta(seconds=90)), ("1.5h", 90 * M), ("15 minutes", 15 * M),
])
def test_durations(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["15", "soon", "P", "PT", "15x", "", "-5m", 15, True, None, [1]])
def test_bad_durations_explain_the_format(bad):
    with pytest.raises(ValueError, match="15m"):
        parse_duration(bad)


@given(st.integers(min_value=1, max_value=10**7))
def test_format_then_parse_round_trips_whole_units(seconds):
    value = dt.timedelta(seconds=seconds)
    text = format_duration(value)
    if " " not in text:  # one unit: exact
        assert parse_duration(text) == value


@pytest.mark.parametrize("text, count, duration", [
    ("14 points", 14, None), ("48 snapshots", 48, None), ("7 generations", 7, None), (5, 5, None),
    ("30d", None, dt.timedelta(days=30)),
])
def test_retention(text, count, duration):
    assert _parse_retention(text) == Retention(count=count, duration=duration)


def test_bad_retention_says_how():
    with pytest.raises(ValueError, match="14 points"):
        _parse_retention("lots")


def test_tron_addresses_both_spellings():
    hex_address = "41e7860196ad5b5718c1d6326babab039b70b8c1cd"
    base58 = hex_to_base58(hex_address)
    assert base58.startswith("T") and len(base58) == 34
    assert base58_to_hex(base58) == hex_address
    assert normalise_address(hex_address) == normalise_address(base58) == base58
    assert validate_address("TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt")


@pytest.mark.parametrize("bad, why", [
    ("TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGu", "checksum"),
    ("AMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt", "34 characters"),
    ("TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sG", "34 characters"),
    ("T0tQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt", "base58"),
])
def test_bad_addresses(bad, why):
    with pytest.raises(ValueError, match=why):
        validate_address(bad)


def test_blocks_at_risk_figures():
    # Worst case: every 81-s round an outage can span costs the SR's slot (ceil, not round).
    assert blocks_at_risk(15 * 60) == 12  # 11.1 rounds: 12 slots can fall inside 15 minutes
    assert blocks_at_risk(15 * 60, elected=False) == 0
    assert blocks_at_risk(0) == 0  # spans no slot


@pytest.mark.parametrize("seconds, blocks", [
    (0, 0), (1, 1), (42, 1), (80, 1), (81, 1), (82, 2), (162, 2), (163, 3), (420, 6)])
def test_blocks_at_risk_spanning_zero_one_and_several_slots(seconds, blocks):
    assert blocks_at_risk(seconds) == blocks
    assert blocks == 0 or blocks_at_risk(seconds) >= 1  # never "less than one" once it can span a slot


def test_chance_of_missing_a_slot():
    assert slot_miss_chance(0) == 0
    assert slot_miss_chance(40.5) == 0.5
    assert slot_miss_chance(600) == 1.0
    assert slot_miss_chance(600, elected=False) == 0


@pytest.mark.parametrize("keep_alive_ms, shortest, longest", [
    (3000, 33, 42),  # java-tron's default keepAliveInterval
    (1000, 11, 14),
    (10_000, 110, 140),
])
def test_takeover_from_keep_alive_interval(keep_alive_ms, shortest, longest):
    # BackupManager: timeout 6 × interval, checked every interval; SLAVER → INIT → MASTER.
    assert takeover_seconds(keep_alive_ms) == (shortest, longest)


def test_solidified_depth_follows_java_tron():
    assert SOLIDIFIED_DEPTH == 18  # DposService.updateSolidBlock: int(27 × 0.3) = 8th of 27, from below


def test_the_plan_accepts_a_hex_sr_address_and_keeps_it_as_base58():
    from pydantic import TypeAdapter

    from trondocs.plan.types import TronAddress

    base58 = "TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt"
    adapter = TypeAdapter(TronAddress)
    assert adapter.validate_python(base58_to_hex(base58)) == base58
    assert adapter.validate_python("0x" + base58_to_hex(base58)) == base58
    with pytest.raises(ValueError, match="TRON address"):
        adapter.validate_python("42" + base58_to_hex(base58)[2:])

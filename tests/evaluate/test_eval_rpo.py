"""The RPO gap computation: exact figures, and properties over order, duplicates and time zones."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from trondocs.evaluate.evidence.rpo import largest_gap, newest_age, timeline

AS_OF = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
H = dt.timedelta(hours=1)


def gap(times, window=WEEK, as_of=AS_OF):
    return largest_gap(timeline(times, as_of), as_of, window)


def test_gap_includes_the_time_since_the_newest_point():
    assert gap([AS_OF - 5 * H, AS_OF - 4 * H, AS_OF - 3 * H]) == 3 * H
    assert newest_age(timeline([AS_OF - 5 * H, AS_OF - 3 * H], AS_OF), AS_OF) == 3 * H


def test_largest_gap_between_points():
    points = [AS_OF - 30 * H, AS_OF - 20 * H, AS_OF - 19 * H, AS_OF - H]
    assert gap(points) == 18 * H


def test_a_gap_that_began_before_the_window_counts_whole():
    daily = [AS_OF - dt.timedelta(days=d) for d in (5, 4, 3, 2, 1)]
    points = [AS_OF - dt.timedelta(days=9), *daily, AS_OF - H]
    assert gap(points) == dt.timedelta(days=4)  # from day -9 to day -5, across the window's start
    # Older gaps that ended before the window do not count.
    points = [AS_OF - dt.timedelta(days=20), AS_OF - dt.timedelta(days=8),
              AS_OF - dt.timedelta(days=7, hours=1), *daily, AS_OF - H]
    assert gap(points) == dt.timedelta(days=2, hours=1)


def test_history_shorter_than_the_window_is_not_a_gap():
    assert gap([AS_OF - 3 * H, AS_OF - 2 * H, AS_OF - H]) == H


def test_only_old_points_give_the_age():
    assert gap([AS_OF - dt.timedelta(days=10)]) == dt.timedelta(days=10)


def test_points_after_as_of_do_not_count():
    assert gap([AS_OF - 2 * H, AS_OF + H]) == 2 * H
    assert gap([AS_OF + H]) is None and gap([]) is None


instants = st.integers(min_value=0, max_value=20 * 24 * 3600).map(lambda s: AS_OF - dt.timedelta(seconds=s))
zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-7)),
                         dt.timezone(dt.timedelta(hours=5, minutes=30))])
windows = st.integers(min_value=3600, max_value=14 * 24 * 3600).map(lambda s: dt.timedelta(seconds=s))


@settings(max_examples=200, deadline=None)
@given(st.lists(instants, min_size=1, max_size=40), st.randoms(use_true_random=False), windows)
def test_order_does_not_matter(times, random, window):
    shuffled = list(times)
    random.shuffle(shuffled)
    assert gap(shuffled, window) == gap(times, window)


@settings(max_examples=200, deadline=None)
@given(st.lists(instants, min_size=1, max_size=40), st.data(), windows)
def test_duplicates_do_not_matter(times, data, window):
    extra = data.draw(st.lists(st.sampled_from(times), max_size=20))
    assert gap(times + extra, window) == gap(times, window)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(instants, zones), min_size=1, max_size=40), windows)
def test_time_zones_do_not_matter(pairs, window):
    utc = [t for t, _ in pairs]
    zoned = [t.astimezone(zone) for t, zone in pairs]
    assert gap(zoned, window) == gap(utc, window)
    assert all(t.tzinfo is dt.UTC for t in timeline(zoned, AS_OF))


@settings(max_examples=200, deadline=None)
@given(st.lists(instants, min_size=1, max_size=40), instants, windows)
def test_bounds_and_adding_a_point_inside_the_history_never_widens_the_gap(times, extra, window):
    line = timeline(times, AS_OF)
    value = largest_gap(line, AS_OF, window)
    assert value >= newest_age(line, AS_OF)  # the time since the newest point is one of the gaps
    assert value <= AS_OF - line[0] or value == AS_OF - line[-1]
    if extra >= line[0]:  # an older point lengthens the visible history, which may show a gap
        assert gap([*times, extra], window) <= value


@settings(max_examples=100, deadline=None)
@given(st.lists(instants, min_size=2, max_size=40), windows)
def test_gap_matches_a_brute_force_exposure_scan(times, window):
    """The largest gap is the worst 'age of the newest point' at any moment of the window."""
    line = timeline(times, AS_OF)
    start = AS_OF - window
    moments = [t for t in line if t > start] + [AS_OF]
    worst = dt.timedelta(0)
    for moment in moments:  # exposure peaks just before each new point and at as_of
        before = [t for t in line if t < moment]
        if before:
            worst = max(worst, moment - before[-1])
    if line[-1] <= start:
        worst = max(worst, AS_OF - line[-1])
    assert largest_gap(line, AS_OF, window) == worst

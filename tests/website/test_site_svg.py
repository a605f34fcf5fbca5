"""SVG pictures: well-formed, deterministic, escaped, and drawing what the data says."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from trondocs.evaluate.models import Verdict
from trondocs.render.svg import BootStepView, GraphNode, badge, boot_order, dependency_graph, rpo_chart
from trondocs.render.svg.chart import age_series

SVG = "{http://www.w3.org/2000/svg}"
END = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert "<script" not in svg and "href=\"http" not in svg and "@import" not in svg
    return root


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_age_series_is_a_saw_tooth_dropping_to_zero_at_each_point():
    points = [END - 5 * HOUR, END - 3 * HOUR, END - HOUR]
    series = age_series(points, END - 4 * HOUR, END)
    # Known from the point before the window: 1h old at the start, 2h just before the next point.
    assert series == [(END - 4 * HOUR, HOUR), (END - 3 * HOUR, 2 * HOUR), (END - 3 * HOUR, dt.timedelta(0)),
                      (END - HOUR, 2 * HOUR), (END - HOUR, dt.timedelta(0)), (END, HOUR)]
    assert age_series([], END - HOUR, END) == []
    # Without an older point the line starts at the first point; points after the end are ignored.
    assert age_series([END - HOUR, END + HOUR], END - 2 * HOUR, END) == [
        (END - HOUR, dt.timedelta(0)), (END, HOUR)]


def test_rpo_chart_draws_the_line_the_rpo_and_one_tick_per_point():
    points = [END - dt.timedelta(minutes=38) - i * HOUR for i in range(7)]
    svg = rpo_chart(points, target=dt.timedelta(minutes=15), start=END - dt.timedelta(days=1), end=END)
    root = parse(svg)
    assert "RPO 15m" in texts(root)
    assert {"2026-11-19 06:00", "2026-11-20 06:00 UTC"} <= set(texts(root))
    polyline = root.find(f"{SVG}polyline")
    # The first point starts the line; each later one adds its peak and its drop; then the end.
    assert polyline is not None and len(polyline.get("points").split()) == 1 + 2 * 6 + 1
    # one tick per point, all in one path: the chart's element count does not grow with the points
    ticks = [p for p in root.iter(f"{SVG}path") if p.get("class") == "ticks"]
    assert len(ticks) == 1 and ticks[0].get("d").count("M") == 7
    assert len(list(root.iter())) == len(list(parse(rpo_chart(
        points[:2], target=dt.timedelta(minutes=15), start=END - dt.timedelta(days=1), end=END)).iter()))
    assert svg == rpo_chart(list(reversed(points)), target=dt.timedelta(minutes=15),
                            start=END - dt.timedelta(days=1), end=END)


def test_rpo_chart_without_points_says_so():
    root = parse(rpo_chart([], target=HOUR, start=END - HOUR, end=END))
    assert "no restore points in this window" in texts(root)
    assert root.find(f"{SVG}polyline") is None


def test_dependency_graph_places_dependencies_left_and_escapes_names():
    nodes = [GraphNode("solidity-01", "solidity", "fail"), GraphNode("full-01", "full", "pass"),
             GraphNode("a<b&c", 'odd "name"')]
    svg = dependency_graph(nodes, [("solidity-01", "full-01")])
    root = parse(svg)
    assert "a<b&c" in texts(root) and 'odd "name"' in texts(root)
    boxes, rect = {}, None
    for element in root.find(f"{SVG}g"):  # each box: its rect, then its name, then its caption
        if element.tag == f"{SVG}rect":
            rect = element
        elif element.get("font-weight") == "bold":
            boxes[element.text] = (float(rect.get("x")), rect.get("fill"))
    assert boxes["full-01"][0] < boxes["solidity-01"][0]  # the dependency stands left
    assert boxes["a<b&c"][0] == boxes["full-01"][0]  # no dependencies: first column
    assert {name: fill for name, (_, fill) in boxes.items()} == {
        "full-01": "#2e7d32", "solidity-01": "#c62828", "a<b&c": "#3949ab"}
    assert len(list(root.iter(f"{SVG}line"))) == 1


def test_dependency_graph_survives_a_cycle():
    root = parse(dependency_graph([GraphNode("a"), GraphNode("b")], [("a", "b"), ("b", "a")]))
    assert sorted(t for t in texts(root) if t in "ab") == ["a", "b"]


def test_boot_order_shows_start_offsets_and_total():
    root = parse(boot_order([BootStepView("full-01", dt.timedelta(seconds=120), "tron-full-01_replica"),
                             BootStepView("solidity-01", dt.timedelta(0))]))
    words = texts(root)
    assert "1. full-01" in words and "2. solidity-01" in words and "tron-full-01_replica" in words
    assert "starts at +0s, then wait 2m" in words and "starts at +2m, then wait 0s" in words
    assert "All started after 2m of delays" in words


def test_badge_and_determinism():
    svg = badge("RPO", "38m", "fail")
    root = parse(svg)
    assert texts(root) == ["RPO", "38m"] and "#c62828" in svg
    assert root.get("aria-label") == "RPO: 38m"
    assert svg == badge("RPO", "38m", "fail")
    assert not re.search(r"\d\.\d{2,}", svg)  # coordinates rounded: stable across platforms


def test_rpo_chart_scale_keeps_a_short_target_visible_and_marks_clipped_ages():
    # A 15-minute RPO under a point two days old: a linear 0–2 d axis would put the target on
    # the axis line. The axis stops at a few RPOs; the older ages are clipped and marked.
    points = [END - dt.timedelta(days=2, hours=3), END - dt.timedelta(days=3)]
    target = dt.timedelta(minutes=15)
    root = parse(rpo_chart(points, target=target, start=END - dt.timedelta(days=1), end=END))
    rpo = next(line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray"))
    frame = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none")
    top, height = float(frame.get("y")), float(frame.get("height"))
    # The RPO line stands at least a sixth of the plot above the axis.
    assert (top + height - float(rpo.get("y1"))) / height >= 1 / 6 - 0.01
    assert any(t.startswith("▲ clipped above 1h 30m; oldest 2d 3h") for t in texts(root))
    marks = [p for p in root.iter(f"{SVG}path") if p.get("fill") == "#c62828"]
    assert len(marks) == 1 and marks[0].get("d").count("M") == 2  # both clipped ages, one path


def test_rpo_chart_within_the_scale_marks_nothing():
    points = [END - HOUR * i for i in range(1, 6)]
    root = parse(rpo_chart(points, target=2 * HOUR, start=END - 4 * HOUR, end=END))
    assert not any("clipped" in t for t in texts(root))
    assert not [p for p in root.iter(f"{SVG}path") if p.get("class") == "clipped"]


def readiness(n: int, nodes: list[str]):
    from trondocs.render.svg import ReadinessPoint

    verdicts = list(Verdict)
    return [ReadinessPoint(at=END - (n - i) * HOUR, verdict=verdicts[i % 3], failing=i,
                           ages=tuple((name, HOUR * (i + 1) if i != 1 else None) for name in nodes))
            for i in range(n)]


def test_readiness_chart_has_a_bar_per_snapshot_coloured_by_verdict():
    from trondocs.render.svg import readiness_chart

    svg = readiness_chart(readiness(4, ["witness-a", "full-01"]))
    root = parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [b.get("fill") for b in bars] == ["#2e7d32", "#8d6e00", "#c62828", "#2e7d32"]
    assert "4 snapshots" in texts(root) and {"witness-a", "full-01"} <= set(texts(root))
    # An unknown age breaks a node's line: one line before the gap would be one point, a dot.
    assert len(list(root.iter(f"{SVG}polyline"))) == 2 and len(list(root.iter(f"{SVG}circle"))) == 2
    assert svg == readiness_chart(list(reversed(readiness(4, ["witness-a", "full-01"]))))


def test_readiness_chart_escapes_names_and_counts_the_nodes_it_cannot_name():
    from trondocs.render.svg import readiness_chart

    hostile = ['<script>alert(1)</script>', 'a"b&c'] + [f"node-{i}" for i in range(9)]
    root = parse(readiness_chart(readiness(3, hostile)))
    assert "<script>alert(1)</script>" in texts(root) and 'a"b&c' in texts(root)
    assert "and 3 more nodes" in texts(root)
    assert "no snapshots in the evidence history yet" in texts(parse(readiness_chart([])))

"""Readiness over time: the evidence history evaluated, drawn on the dashboard and in the PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import example_state
from tests.report.pdftools import page_texts
from tests.website.conftest import EARLIER
from tests.website.history_helpers import earlier_snapshots
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Status
from trondocs.plan import load_plan
from trondocs.state.history import append_snapshot
from trondocs.workflow.history import readiness_history

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[str]:
    """The title of each snapshot's bar: 'when: verdict, N failing'."""
    root = ET.fromstring(svg)
    return [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_the_dashboard_draws_every_snapshot_and_the_current_run(history_site):
    svg = (history_site / "assets" / "charts" / "readiness.svg").read_text()
    titles = bars(svg)
    assert len(titles) == EARLIER + 1
    assert titles == sorted(titles)  # oldest left
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d: (ready|at risk|not ready), \d+ failing", t)
               for t in titles)
    assert f"{EARLIER + 1} snapshots" in svg
    assert "witness-a" in svg and "full-aws-01" in svg  # a line (and a legend entry) per node
    index = (history_site / "index.html").read_text()
    assert 'src="assets/charts/readiness.svg"' in index and "Readiness over time" in index


def test_the_pdf_shows_the_same_history_for_delegators(history_site):
    text = " ".join(page_texts(history_site / "report.pdf"))
    assert "Readiness over time" in text and f"The last {EARLIER + 1} snapshots" in text


def test_history_points_come_from_each_snapshots_own_evaluation(tmp_path):
    loaded = load_plan(EXAMPLE_INVENTORY)
    state = example_state()
    assessment = evaluate(loaded, state, as_of=state.collection.finished)
    earlier_snapshots(state, tmp_path, 3)
    append_snapshot(state, tmp_path)  # this run's own snapshot is not counted twice
    points = readiness_history(loaded, tmp_path, state, assessment)
    assert len(points) == 4 and points[-1].at == assessment.as_of
    assert points[-1].failing == assessment.summary.count(Status.FAIL)
    assert [p.at for p in points] == sorted(p.at for p in points)
    assert len(readiness_history(loaded, tmp_path, state, assessment, limit=2)) == 2
    (tmp_path / "20000101T000000Z.state.json.gz").write_bytes(b"not gzip")  # unreadable: skipped
    assert len(readiness_history(loaded, tmp_path, state, assessment)) == 4


def test_without_a_history_the_dashboard_says_so(markdown):
    assert "No evidence history was read for this build" in markdown["index.md"]

"""`trondocs site` reads the evidence history as `build` does: the dashboard's readiness chart
and the default baseline come from --history (default: evidence), --no-history turns both off."""

from __future__ import annotations

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import example_state
from tests.website.history_helpers import STEP, earlier_snapshots
from tests.website.test_site_history import bars
from trondocs.state.io import save_state

EARLIER = 3


def test_site_draws_the_history_chart_and_compares_with_the_snapshot_before(run_cli, tmp_path):
    state = example_state()
    save_state(state, tmp_path / "state.json")
    earlier_snapshots(state, tmp_path / "evidence", EARLIER)
    out = tmp_path / "site"
    result = run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", tmp_path / "state.json",
                     "--history", tmp_path / "evidence", "-o", out)
    assert result.exit_code == 0, result.stderr
    titles = bars((out / "assets" / "charts" / "readiness.svg").read_text())
    assert len(titles) == EARLIER + 1 and titles == sorted(titles)
    assert 'src="assets/charts/readiness.svg"' in (out / "index.html").read_text()
    newest_earlier = state.collection.finished - STEP
    assert f"baseline: {tmp_path / 'evidence'} ({newest_earlier:%Y-%m-%d %H:%M}Z)" in result.stderr

    plain = tmp_path / "plain"
    result = run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", tmp_path / "state.json",
                     "--history", tmp_path / "evidence", "--no-history", "-o", plain)
    assert result.exit_code == 0, result.stderr
    assert "baseline:" not in result.stderr
    chart = plain / "assets" / "charts" / "readiness.svg"
    assert not chart.exists() or len(bars(chart.read_text())) == 1, "only the current run, if drawn"

"""An evidence history for tests: the example state collected again every six hours before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from trondocs.state.history import append_snapshot
from trondocs.state.models import State

STEP = dt.timedelta(hours=6)


def earlier_snapshots(state: State, folder: Path, count: int) -> list[Path]:
    """``count`` snapshots of ``state`` collected 6 h, 12 h, … before it, oldest first."""
    paths = []
    for k in range(count, 0, -1):
        collection = state.collection.model_copy(update={
            "started": state.collection.started - k * STEP, "finished": state.collection.finished - k * STEP})
        paths.append(append_snapshot(state.model_copy(update={"collection": collection}), folder))
    return paths

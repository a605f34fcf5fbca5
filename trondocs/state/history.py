"""The evidence history: one compressed, timestamped, never-overwritten snapshot per run."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from trondocs.state.io import dumps_state, load_state
from trondocs.state.models import State

SUFFIX = ".state.json.gz"


def snapshot_name(state: State) -> str:
    return state.collection.finished.strftime("%Y%m%dT%H%M%SZ") + SUFFIX


def append_snapshot(state: State, history: Path) -> Path:
    """Add ``state`` to the history folder; never overwrite an existing snapshot."""
    history = Path(history)
    history.mkdir(parents=True, exist_ok=True)
    base = snapshot_name(state).removesuffix(SUFFIX)
    data = gzip.compress(dumps_state(state).encode(), mtime=0)
    for n in range(1000):
        target = history / (base + (f"_{n}" if n else "") + SUFFIX)
        try:
            # O_EXCL: two runs racing for the same second cannot overwrite each other.
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        return target
    raise FileExistsError(f"too many snapshots named {base} in {history}")


def snapshots(history: Path) -> list[Path]:
    """Snapshots in the history, oldest first."""
    history = Path(history)
    if not history.is_dir():
        return []
    return sorted(history.glob("*" + SUFFIX))


def previous_snapshot(history: Path, before: State) -> State | None:
    """The newest snapshot collected before ``before`` (its baseline), if any."""
    cutoff = before.collection.finished
    for path in reversed(snapshots(history)):
        state = load_state(path)
        if state.collection.finished < cutoff:
            return state
    return None

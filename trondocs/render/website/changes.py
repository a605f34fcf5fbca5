"""What changed in the discovered state since the baseline snapshot, beyond the findings."""

from __future__ import annotations

from dataclasses import dataclass

from trondocs.durations import format_duration
from trondocs.state.models import ProtectionJob, State


@dataclass(frozen=True)
class StateChange:
    area: str  # "asset" | "job" | "source" | "node"
    name: str
    change: str  # what happened, in words


def _schedule(job: ProtectionJob) -> str:
    s = job.schedule
    if s is None:
        return "no schedule"
    if s.interval is not None:
        return f"every {format_duration(s.interval)}"
    return " ".join(x for x in (s.kind.value, " ".join(s.days), s.time or "", s.expression or "") if x)


def state_changes(baseline: State | None, state: State) -> list[StateChange]:
    """Assets, jobs, sources and node health that appeared, went away or changed; stable order."""
    if baseline is None:
        return []
    found: list[StateChange] = []
    before = {(a.kind.value, a.name): a for a in baseline.assets}
    after = {(a.kind.value, a.name): a for a in state.assets}
    for key in sorted(after.keys() - before.keys()):
        found.append(StateChange("asset", key[1], f"new {key[0]}"))
    for key in sorted(before.keys() - after.keys()):
        found.append(StateChange("asset", key[1], f"{key[0]} no longer found"))
    for key in sorted(before.keys() & after.keys()):
        old_power, new_power = before[key].power_state, after[key].power_state
        if old_power != new_power:
            found.append(StateChange("asset", key[1], f"power {old_power} → {new_power}"))
    jobs_before = {j.name: j for j in baseline.jobs}
    jobs_after = {j.name: j for j in state.jobs}
    for name in sorted(jobs_after.keys() - jobs_before.keys()):
        found.append(StateChange("job", name, "new job"))
    for name in sorted(jobs_before.keys() - jobs_after.keys()):
        found.append(StateChange("job", name, "job no longer found"))
    for name in sorted(jobs_before.keys() & jobs_after.keys()):
        old, new = jobs_before[name], jobs_after[name]
        if _schedule(old) != _schedule(new):
            found.append(StateChange("job", name, f"schedule {_schedule(old)} → {_schedule(new)}"))
        if old.enabled != new.enabled:
            found.append(StateChange("job", name, "enabled" if new.enabled else "disabled"))
        if (old.last_result or "") != (new.last_result or ""):
            found.append(StateChange("job", name, f"last result {old.last_result or '—'} → "
                                                  f"{new.last_result or '—'}"))
    sources_before = {s.name: s.ok for s in baseline.collection.sources}
    for source in state.collection.sources:
        if source.name in sources_before and sources_before[source.name] != source.ok:
            found.append(StateChange("source", source.name, "read again" if source.ok else
                                     f"failed: {source.error or 'no detail'}"))
    reachable = {s.node: s.reachable for s in baseline.node_status}
    for status in sorted(state.node_status, key=lambda s: s.node):
        if status.node in reachable and reachable[status.node] != status.reachable:
            found.append(StateChange("node", status.node, "answers again" if status.reachable
                                     else "stopped answering"))
    return found

"""Building blocks of the rule tables: the example plan and state, and named tweaks to them.

A case patches the plan (items of named sections by name, ``<section>+`` to append) and
applies state operations (see ``STATE_OPS``) to ``tests.factories.example_state()``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, TypeAdapter

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import AS_OF, example_state
from trondocs.plan.loader import LoadedPlan, load_plan
from trondocs.plan.models import Plan
from trondocs.state.models import (
    DiscoveredFailoverPlan,
    FailoverStep,
    RecoveryRun,
    ScopeRun,
    State,
)


@functools.cache
def example_loaded() -> LoadedPlan:
    return load_plan(EXAMPLE_INVENTORY, today=AS_OF.date())


NAMED = ("sites", "nodes", "protection", "failover_plans")


def patch_plan(loaded: LoadedPlan, patch: dict[str, Any] | None) -> LoadedPlan:
    """The example plan with ``patch`` applied: ``{nodes: {witness-a: {rpo: 1h}}, waivers+: [...]}``."""
    if not patch:
        return loaded
    data = loaded.plan.model_dump(exclude_none=True)
    for key, value in patch.items():
        if key.endswith("+"):
            data.setdefault(key[:-1], []).extend(value)
        elif key in NAMED:
            for name, fields in value.items():
                item = next(i for i in data[key] if i["name"] == name)
                for field, new in fields.items():
                    if new is None:
                        item.pop(field, None)
                    else:
                        item[field] = new
        elif isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    plan = Plan.model_validate(_yamlish(data))
    return LoadedPlan(plan=plan, source_map=loaded.source_map, files=loaded.files)


def _yamlish(value: Any) -> Any:
    """Dumped values back into what the YAML loader would see (durations as text, etc.)."""
    if isinstance(value, dict):
        return {k: _yamlish(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_yamlish(v) for v in value]
    if isinstance(value, dt.timedelta):
        return f"{int(value.total_seconds())}s"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "value") and not isinstance(value, str | int | float | bool):
        return value.value
    return value


def _upd(items, match: Callable[[Any], bool], update: dict) -> list:
    """Update the matching items, validated as a collector's would be (YAML strings become enums)."""
    return [_lax(type(i), {**_values(i), **_typed(i, update)}) if match(i) else i for i in items]


def _values(item) -> dict:
    """An item's field values: a restore point is a dataclass, the others are models."""
    if dataclasses.is_dataclass(item):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    return dict(item)


def _lax(kind: type, data: dict):
    """``data`` validated as ``kind`` the lax way (YAML strings become enums)."""
    if issubclass(kind, BaseModel):
        return kind.model_validate(data, strict=False)
    return TypeAdapter(kind).validate_python(data, strict=False)


def _typed(model, update: dict) -> dict:
    """Coerce YAML values to the field types of ``model`` (timestamps, durations)."""
    out = {}
    for key, value in update.items():
        is_time = isinstance(getattr(model, key, None), dt.datetime) or key in ("created", "checked")
        if is_time and isinstance(value, str):
            value = _ago(value) if value[0].isdigit() and "T" not in value else (
                dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        out[key] = value
    return out


def _ago(text: str) -> dt.datetime:
    from trondocs.durations import parse_duration

    return AS_OF - parse_duration(text)


def fail_source(state: State, name: str) -> State:
    """The source failed as a whole: its run is not ok and nothing it yields is there."""
    runs = [r.model_copy(update={"ok": False, "error": "connection refused"}) if r.name == name else r
            for r in state.collection.sources]
    return _without(state, name).model_copy(
        update={"collection": state.collection.model_copy(update={"sources": runs})})


def _without(state: State, source: str) -> State:
    keep = {}
    for field in ("assets", "restore_points", "jobs", "failover_plans", "recovery_runs", "node_status",
                  "repositories"):
        keep[field] = [x for x in getattr(state, field) if x.source != source]
    if source == "tron-nodes":
        keep["witness"] = None
    return state.model_copy(update=keep)


def fail_scope(state: State, source: str, scope: str, drop_region: str | None = None) -> State:
    """One scope of a source failed (e.g. an AWS region); what it held is missing."""
    failed = ScopeRun(scope=scope, ok=False, error="AccessDenied")
    runs = [r.model_copy(update={"ok": False, "error": f"{scope}: AccessDenied",
                                 "scopes": [*r.scopes, failed]})
            if r.name == source else r for r in state.collection.sources]
    state = state.model_copy(update={"collection": state.collection.model_copy(update={"sources": runs})})
    if drop_region:
        state = state.model_copy(update={
            "restore_points": [p for p in state.restore_points if p.region != drop_region],
            "assets": [a for a in state.assets if a.region != drop_region],
        })
    return state


def unconfigure(state: State, source: str) -> State:
    """The source was never configured: no run, nothing it would yield."""
    runs = [r for r in state.collection.sources if r.name != source]
    return _without(state, source).model_copy(
        update={"collection": state.collection.model_copy(update={"sources": runs})})


def drop_assets(state: State, names: list[str]) -> State:
    return state.model_copy(update={"assets": [a for a in state.assets if a.name not in names
                                               and a.id not in names]})


def set_assets(state: State, name: str, **update) -> State:
    return state.model_copy(update={"assets": _upd(state.assets, lambda a: a.name == name, update)})


def set_job(state: State, name: str, **update) -> State:
    if "schedule" in update and isinstance(update["schedule"], dict):
        from trondocs.state.models import DiscoveredSchedule

        update["schedule"] = DiscoveredSchedule.model_validate(_schedule(update["schedule"]))
    if "retention" in update and isinstance(update["retention"], dict):
        from trondocs.state.models import Retention

        update["retention"] = Retention.model_validate(_schedule(update["retention"]))
    return state.model_copy(update={"jobs": _upd(state.jobs, lambda j: j.name == name, update)})


def _schedule(data: dict) -> dict:
    from trondocs.durations import parse_duration
    from trondocs.state.models import ScheduleKind

    out = dict(data)
    for key in ("interval", "duration"):
        if isinstance(out.get(key), str):
            out[key] = parse_duration(out[key])
    if isinstance(out.get("kind"), str):
        out["kind"] = ScheduleKind(out["kind"])
    return out


def drop_jobs(state: State, names: list[str]) -> State:
    return state.model_copy(update={"jobs": [j for j in state.jobs if j.name not in names]})


def drop_points(state: State, asset: str | None = None, kind: str | None = None,
                job: str | None = None) -> State:
    def hit(p) -> bool:
        return ((asset is None or p.asset_name == asset) and (kind is None or p.kind.value == kind)
                and (job is None or p.job == job))

    return state.model_copy(update={"restore_points": [p for p in state.restore_points if not hit(p)]})


def set_points(state: State, update: dict, asset: str | None = None, kind: str | None = None,
               location: str | None = None) -> State:
    def hit(p) -> bool:
        return ((asset is None or p.asset_name == asset) and (kind is None or p.kind.value == kind)
                and (location is None or p.location == location))

    return state.model_copy(update={"restore_points": _upd(state.restore_points, hit, update)})


def shift_points(state: State, asset: str, by: str, kind: str | None = None) -> State:
    """Move an asset's points back in time by ``by`` (a duration): they become older."""
    from trondocs.durations import parse_duration

    delta = parse_duration(by)
    return state.model_copy(update={"restore_points": [
        dataclasses.replace(p, created=p.created - delta)
        if p.asset_name == asset and (kind is None or p.kind.value == kind) else p
        for p in state.restore_points]})


def retime_points(state: State, asset: str, kind: str, newest: str, every: str) -> State:
    """Give an asset's points of one kind fresh times: the newest ``newest`` ago, one per ``every``."""
    from trondocs.durations import parse_duration

    step, n = parse_duration(every), 0
    out = []
    for point in sorted(state.restore_points, key=lambda p: p.created, reverse=True):
        if point.asset_name == asset and point.kind.value == kind:
            point = dataclasses.replace(point, created=_ago(newest) - step * n)
            n += 1
        out.append(point)
    return state.model_copy(update={"restore_points": out})


def set_status(state: State, node: str, **update) -> State:
    return state.model_copy(update={"node_status": _upd(state.node_status, lambda s: s.node == node, update)})


def set_backup(state: State, node: str, **update) -> State:
    """Change what the node reports of its backup mode (configNodeInfo, getstatsinfo)."""
    def change(status):
        return status.model_copy(update={"backup": status.backup.model_copy(update=update)})
    changed = [change(s) if s.node == node else s for s in state.node_status]
    return state.model_copy(update={"node_status": changed})


def drop_status(state: State, node: str) -> State:
    return state.model_copy(update={"node_status": [s for s in state.node_status if s.node != node]})


def set_witness(state: State, **update) -> State:
    return state.model_copy(update={"witness": state.witness.model_copy(update=update)})


def add_failover_plan(state: State, name: str, steps: list[dict], source: str = "veeam") -> State:
    from trondocs.durations import parse_duration

    plan = DiscoveredFailoverPlan(source=source, name=name, steps=[
        FailoverStep(asset_name=s["asset"], delay=parse_duration(s.get("delay", "0s"))) for s in steps])
    return state.model_copy(update={"failover_plans": [*state.failover_plans, plan]})


def add_run(state: State, id: str, kind: str, assets: list[str], started: str, finished: str | None,
            result: str, plan: str | None = None, source: str = "veeam", ready: str | None = None) -> State:
    run = RecoveryRun(source=source, id=id, kind=kind, assets=assets, plan=plan, started=_ago(started),
                      finished=_ago(finished) if finished else None, result=result, name=id,
                      ready=_ago(ready) if ready else None)
    return state.model_copy(update={"recovery_runs": [*state.recovery_runs, run]})


def add_point(state: State, created: str, **fields) -> State:
    """A restore point as a collector writes it (``created``: how long before as_of)."""
    from trondocs.state.models import RestorePoint

    point = TypeAdapter(RestorePoint).validate_python({**fields, "created": _ago(created)}, strict=False)
    return state.model_copy(update={"restore_points": [*state.restore_points, point]})


STATE_OPS: dict[str, Callable[..., State]] = {
    f.__name__: f for f in (fail_source, fail_scope, unconfigure, drop_assets, set_assets, set_job,
                            drop_jobs, drop_points, set_points, shift_points, retime_points, set_status,
                            drop_status, set_witness, add_failover_plan, add_run, add_point, set_backup)
}


def apply_ops(state: State, ops: list[dict[str, Any]] | None) -> State:
    for op in ops or []:
        ((name, args),) = op.items()
        if isinstance(args, dict):
            state = STATE_OPS[name](state, **args)
        elif isinstance(args, list) and name in ("drop_assets", "drop_jobs"):
            state = STATE_OPS[name](state, args)
        else:
            state = STATE_OPS[name](state, args)
    return state


def state_for(ops: list[dict[str, Any]] | None = None, as_of: dt.datetime = AS_OF) -> State:
    return apply_ops(example_state(as_of), ops)

"""Sessions of the window → RecoveryRun (restores, instant recoveries, failovers, failbacks, SureBackup)."""

from __future__ import annotations

import datetime as dt

from trondocs.collectors.veeam.values import low, parse_time
from trondocs.state.models import RESULT_NONE, RESULT_RUNNING, RecoveryKind, RecoveryRun

# Session types (lowercased; 1.2-rev1 spellings, 1.3 additions) that are recovery evidence.
RECOVERY_KINDS: dict[str, RecoveryKind | str] = {
    "restorevm": RecoveryKind.RESTORE,
    "clouddirectorvmrestore": RecoveryKind.RESTORE,
    "diskrestore": RecoveryKind.RESTORE,
    "instantrecovery": RecoveryKind.INSTANT_RECOVERY,
    "firstclassdiskinstantrestore": RecoveryKind.INSTANT_RECOVERY,
    "instantdiskrecovery": RecoveryKind.INSTANT_RECOVERY,
    "filelevelrestore": RecoveryKind.FILE_RESTORE,
    "linuxfilelevelrestore": RecoveryKind.FILE_RESTORE,
    "failover": RecoveryKind.FAILOVER,
    "permanentfailover": RecoveryKind.FAILOVER,
    "failoverplan": RecoveryKind.FAILOVER,
    "plannedfailover": RecoveryKind.PLANNED_FAILOVER,
    "failback": RecoveryKind.FAILBACK,
    "commitfailback": RecoveryKind.FAILBACK,
    "surebackup": RecoveryKind.SUREBACKUP,
    "undofailover": "undo_failover",  # the end of a failover drill: returns to production
    "undofailback": "undo_failback",
}
JOB_RUNS = {"job", "backupjob", "replicajob", "backupcopyjob"}


def result_of(session: dict) -> str:
    result = low((session.get("result") or {}).get("result")) or RESULT_NONE
    if result == RESULT_NONE and low(session.get("state")) not in ("stopped", ""):
        return RESULT_RUNNING
    return result


def _asset(name: object, known_vms: set[str], suffixes: set[str]) -> list[str]:
    """The VM a session acted on, when its name is one (a replica's name: its source VM)."""
    if not isinstance(name, str):
        return []
    if name in known_vms:
        return [name]
    bases = [name[: -len(s)] for s in suffixes if s and name.endswith(s)]
    return [b for b in bases if b in known_vms][:1]


def recovery_runs(source: str, sessions: list[dict], known_vms: set[str], since: dt.datetime,
                  suffixes: set[str] = frozenset()) -> list[RecoveryRun]:
    out = []
    for session in sessions:
        kind = RECOVERY_KINDS.get(low(session.get("sessionType")))
        started = parse_time(session.get("creationTime"))
        if kind is None or started is None or started < since or not session.get("id"):
            continue
        name = session.get("name")
        out.append(RecoveryRun(
            source=source, id=str(session["id"]), kind=kind, name=name,
            assets=_asset(name, known_vms, suffixes),
            plan=name if low(session.get("sessionType")) == "failoverplan" else None,
            started=started, finished=parse_time(session.get("endTime")), result=result_of(session)))
    return out


def last_job_runs(sessions: list[dict]) -> dict[str, tuple[dt.datetime, str]]:
    """Job id → (start, result) of its newest run in the window (1.0/1.1 call the id activityId)."""
    newest: dict[str, tuple[dt.datetime, str]] = {}
    for session in sessions:
        if low(session.get("sessionType")) not in JOB_RUNS:
            continue
        job_id = session.get("jobId") or session.get("activityId")
        started = parse_time(session.get("creationTime"))
        if job_id and started and (job_id not in newest or started > newest[job_id][0]):
            newest[job_id] = (started, result_of(session))
    return newest

"""What a Veeam job selects, as evaluation reads it (issue 14): VMware containers expanded to the
VMs vSphere places in them, exclusions honoured, and backup windows judged against the plan."""

from __future__ import annotations

from tests.evaluate.cases import state_for
from tests.factories import AS_OF
from trondocs.evaluate import evaluate
from trondocs.evaluate.evidence.schedules import matches, window_closed
from trondocs.evaluate.models import Status
from trondocs.plan.models import Protection
from trondocs.state.models import DiscoveredSchedule, ScheduleKind

BACKUP, VMS = "Backup TRON nodes", ["tron-witness-01", "tron-witness-02", "tron-full-01", "tron-solidity-01"]


def findings(loaded, ops, rule):
    assessment = evaluate(loaded, state_for(ops), as_of=AS_OF)
    return {(f.node, f.subject): f for f in assessment.findings if f.rule == rule}


def by_folder(**extra):
    return [{"set_job": {"name": BACKUP, "targets": [], "containers": ["folder:TRON"], **extra}}]


def test_a_folder_include_covers_the_vms_vsphere_puts_in_it(loaded):
    got = findings(loaded, by_folder(), "TRD206")
    for node in ("witness-a", "witness-b", "full-01", "solidity-01"):
        finding = got[(node, "TRON nightly backup")]
        assert finding.status is Status.PASS, finding.message
        assert "by a container (folder:TRON)" in finding.message
    # and the folder's name is not read as an unplanned VM (TRD102)
    stray = findings(loaded, by_folder(), "TRD102")
    assert not [f for f in stray.values() if f.status is Status.FAIL and f.subject == "TRON"]


def test_an_excluded_vm_is_not_covered_even_inside_the_folder(loaded):
    got = findings(loaded, by_folder(excludes=["tron-full-01"]), "TRD206")
    assert got[("full-01", "TRON nightly backup")].status is Status.FAIL
    assert "excludes tron-full-01" in got[("full-01", "TRON nightly backup")].message
    assert got[("witness-a", "TRON nightly backup")].status is Status.PASS


def test_a_resource_pool_vsphere_does_not_resolve_is_unknown_not_a_false_fail(loaded):
    ops = [{"set_job": {"name": BACKUP, "targets": [], "containers": ["resourcepool:tron-pool"]}}]
    got = findings(loaded, ops, "TRD206")
    finding = got[("witness-a", "TRON nightly backup")]
    assert finding.status is Status.UNKNOWN and "resourcepool:tron-pool" in finding.message
    prot = findings(loaded, ops, "TRD102")[(None, "TRON nightly backup")]
    assert prot.status is Status.UNKNOWN


def test_without_the_vm_collected_a_container_include_is_unknown(loaded):
    ops = [*by_folder(), {"drop_assets": {"names": ["tron-witness-01"]}}]
    finding = findings(loaded, ops, "TRD206")[("witness-a", "TRON nightly backup")]
    assert finding.status is Status.UNKNOWN


def _periodic(window: dict[str, str]) -> DiscoveredSchedule:
    from datetime import timedelta

    return DiscoveredSchedule(kind=ScheduleKind.PERIODIC, interval=timedelta(minutes=15), window=window)


WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
OFFICE_SHUT = "1" * 8 + "0" * 10 + "1" * 6  # closed 08:00-18:00


def test_a_backup_window_that_shuts_the_job_makes_the_interval_wrong():
    prot = Protection.model_validate({"name": "p", "kind": "replication", "system": "veeam", "job": "j",
                                      "covers": ["n"], "every": "15m"})
    always = _periodic({d: "1" * 24 for d in WEEK})
    office = _periodic({d: OFFICE_SHUT if d in WEEK[:5] else "1" * 24 for d in WEEK})
    assert window_closed(always).total_seconds() == 0 and matches(prot, always, lambda n: None) is True
    assert window_closed(office).total_seconds() == 10 * 3600
    assert matches(prot, office, lambda n: None) is False  # ten hours a weekday without a replica
    # a window that names some days only cannot be judged
    assert matches(prot, _periodic({"monday": OFFICE_SHUT}), lambda n: None) is None


def test_trd203_fails_a_15_minute_replication_shut_during_office_hours(loaded):
    window = {d: OFFICE_SHUT if d in WEEK[:5] else "1" * 24 for d in WEEK}
    ops = [{"set_job": {"name": "Replicate TRON nodes",
                        "schedule": {"kind": "periodic", "interval": "15m", "window": window}}}]
    finding = findings(loaded, ops, "TRD203")[("witness-a", "TRON replication")]
    assert finding.status is Status.FAIL
    assert "not for up to 10h (backup window)" in finding.message

"""What a job really selects (issue 14): VMware containers and exclusions, a periodic job's backup
window, and 1.3's backup copy jobs — every answer validated against Veeam's OpenAPI schemas."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.collectors.veeam.conftest import NOW, collect
from tests.fakes.veeam_estate import Job, Schedule, tron_estate
from trondocs.state.models import JobKind, ScheduleKind

REVISIONS = ("1.0-rev1", "1.1-rev0", "1.2-rev1", "1.3-rev2")
OFFICE_HOURS = ",".join(["1"] * 8 + ["0"] * 10 + ["1"] * 6)  # no runs 08:00-18:00


def estate():
    e = tron_estate(NOW)
    backup = e.job("Backup TRON nodes")
    backup.vms = ["tron-witness-01"]
    backup.containers = [("Folder", "TRON nodes", "group-v101"), ("ResourcePool", "tron-pool", "resgroup-12")]
    backup.excludes = ["tron-full-01"]
    e.job("Replicate TRON nodes").schedule = Schedule(
        periodic_kind="Minutes", periodic_every=15, window={"monday": OFFICE_HOURS, "tuesday": OFFICE_HOURS})
    e.jobs.append(Job("Copy TRON backups offsite", "copy", [], repository="cluj-meta", retention=30,
                      sources=["Backup TRON nodes"]))
    return e


@pytest.mark.parametrize("revision", REVISIONS)
def test_container_includes_are_not_vm_names_and_excludes_are_read(veeam_server, revision):
    out = collect(veeam_server(revision, estate=estate()))
    backup = next(j for j in out.jobs if j.name == "Backup TRON nodes")
    assert backup.targets == ["tron-witness-01"]  # the folder and the pool are not VMs
    assert backup.containers == ["folder:TRON nodes", "resourcepool:tron-pool"]
    assert backup.excludes == ["tron-full-01"]


@pytest.mark.parametrize("revision", ("1.2-rev1", "1.3-rev2"))  # replica jobs: 1.2 on
def test_a_periodic_jobs_backup_window_is_read(veeam_server, revision):
    out = collect(veeam_server(revision, estate=estate()))
    replica = next(j for j in out.jobs if j.name == "Replicate TRON nodes")
    assert (replica.schedule.kind, replica.schedule.interval) == (
        ScheduleKind.PERIODIC, dt.timedelta(minutes=15))
    office = "1" * 8 + "0" * 10 + "1" * 6
    assert replica.schedule.window == {"sunday": "1" * 24, "monday": office, "tuesday": office}


def test_a_backup_copy_job_is_read_on_the_revision_that_lists_it(veeam_server):
    out = collect(veeam_server("1.3-rev2", estate=estate()))
    copy = next(j for j in out.jobs if j.name == "Copy TRON backups offsite")
    assert copy.kind is JobKind.COPY and copy.location == "cluj-meta"
    # it copies the backup job's points: that job's VMs and containers are its selection
    assert copy.targets == ["tron-witness-01"] and "folder:TRON nodes" in copy.containers
    assert (copy.schedule.kind, copy.schedule.after_job) == (ScheduleKind.AFTER_JOB, "Backup TRON nodes")
    assert copy.retention.count == 30


@pytest.mark.parametrize("revision", ("1.0-rev1", "1.2-rev1"))
def test_revisions_without_backup_copy_jobs_list_none(veeam_server, revision):
    out = collect(veeam_server(revision, estate=estate()))
    assert JobKind.COPY not in [j.kind for j in out.jobs] and out.jobs

"""The fake answers only what its revision documents: the schema check is live and strict."""

from __future__ import annotations

import pytest
import requests

from tests.collectors.veeam.conftest import NOW, PASSWORD, USER, collect
from tests.fakes.veeam_estate import tron_estate
from tests.fakes.veeam_schemas import SchemaMismatch, schemas_for
from tests.fakes.veeam_server import FakeVeeamServer

STATE = {"id": "301450bc-34cd-4d2c-bfc3-8d269bb471be", "name": "AD Backup", "type": "Backup",
         "description": "", "status": "running", "lastResult": "None", "workload": "vm", "objectsCount": 1,
         "lastRun": "2024-02-04T21:40:34.473+03:00", "nextRun": None, "sessionId": None}


def states(*items):
    return {"data": list(items), "pagination": {"total": len(items), "count": len(items)}}


def test_nulls_count_as_absent_and_documented_values_pass():
    schemas_for("1.2-rev1").validate("/api/v1/jobs/states", "get", 200, states(STATE))


@pytest.mark.parametrize(("revision", "change", "complaint"), [
    ("1.2-rev1", {"status": "Running"}, "'Running' is not one of ['running', 'inactive', 'disabled']"),
    ("1.3-rev2", {"status": "running", "highPriority": False, "progressPercent": 0},
     "'running' is not one of ['Running'"),
    ("1.2-rev1", {"lastRun": "2024-02-04 21:40"}, "is not a 'date-time'"),
    ("1.2-rev1", {"id": "not-a-uuid"}, "is not a 'uuid'"),
    ("1.3-rev2", {"status": "Running"}, "'highPriority' is a required property"),
])
def test_drift_from_the_document_is_caught(revision, change, complaint):
    with pytest.raises(SchemaMismatch) as caught:
        schemas_for(revision).validate("/api/v1/jobs/states", "get", 200, states(STATE | change))
    assert complaint in str(caught.value)


def test_subtypes_follow_the_discriminator():
    job = {"id": STATE["id"], "name": "x", "type": "VSphereBackup", "isDisabled": False}
    with pytest.raises(SchemaMismatch, match="type='VSphereBackup' is not a documented subtype"):
        schemas_for("1.2-rev1").validate("/api/v1/jobs", "get", 200, states(job))
    with pytest.raises(SchemaMismatch, match="'storage' is a required property"):  # BackupJobModel's
        schemas_for("1.3-rev2").validate("/api/v1/jobs", "get", 200, states(job))


def test_a_fake_answer_off_the_document_is_recorded_and_refused():
    estate = tron_estate(NOW)
    estate.jobs[0].status = "paused"  # no revision documents this status
    with FakeVeeamServer(estate, "1.2-rev1", username=USER, password=PASSWORD, now=NOW) as server:
        headers = {"x-api-version": "1.2-rev1"}
        token = requests.post(server.url + "/api/oauth2/token", headers=headers, timeout=5, data={
            "grant_type": "password", "username": USER, "password": PASSWORD}).json()["access_token"]
        answer = requests.get(server.url + "/api/v1/jobs/states", timeout=5,
                              headers=headers | {"Authorization": f"Bearer {token}"})
        assert answer.status_code == 500
        # the renderer has no spelling for it (None), which counts as absent: a required field missing
        assert len(server.mismatches) == 1 and "data/0: 'status' is a required property" in \
            server.mismatches[0]
        server.mismatches.clear()


def test_errors_in_the_documents_are_pinned():
    assert schemas_for("1.0-rev1").errata == {
        "BackupModel": ["type"], "ObjectRestorePointModel": ["paltformName"], "RepositoryModel": ["kind"],
        "ViBackupObjectModel_allOf": ["server"]}
    assert "S3CompatibleStorageAccountModel" in schemas_for("1.1-rev0").errata
    assert schemas_for("1.2-rev1").errata == {}


@pytest.mark.parametrize("revision", ["1.0-rev1", "1.1-rev0", "1.2-rev1", "1.3-rev2"])
def test_a_collection_touches_every_documented_list_it_needs(veeam_server, revision):
    server = veeam_server(revision)
    collect(server)
    served = {h.path for h in server.hits if h.status == 200}
    documented = set(schemas_for(revision).paths) - {"/api/v1/serverInfo"}
    # 1.0-rev1: objectRestorePoints and no replicas; 1.2+: restorePoints, replicas, replicaPoints.
    assert served == documented

"""Turn a ``VeeamEstate`` into the JSON one API revision sends (its field names, enums and casing).

Which enum values and subtypes a revision has is read from its vendored OpenAPI schemas, so
the fake cannot send a value its revision does not document (and the casing follows the
document: lowercase statuses in 1.0-1.2, Capitalised ones in 1.3-rev2).
"""

from __future__ import annotations

import datetime as dt

from tests.fakes.veeam_estate import Job, Point, Repo, Schedule, VeeamEstate, uid
from tests.fakes.veeam_schemas import RevisionSchemas

ZERO_UUID = "00000000-0000-0000-0000-000000000000"
HOURS = ",".join(["1"] * 24)


class Renderer:
    def __init__(self, revision: RevisionSchemas, estate: VeeamEstate):
        self.rev = revision
        self.schemas = revision.registry.contents(revision.uri)["components"]["schemas"]
        self.estate = estate
        self.old = revision.revision.startswith(("1.0", "1.1"))
        self.platform = self.enum("EPlatformType", "vmware")

    # ---- helpers -------------------------------------------------------------------------
    def enum(self, name: str, value: str) -> str | None:
        """The revision's spelling of ``value`` in enum ``name``, or None if it has no such value."""
        for candidate in self.schemas.get(name, {}).get("enum", []):
            if candidate.lower() == value.lower():
                return candidate
        return None

    def subtypes(self, parent: str) -> dict:
        return self.schemas[parent]["x-discriminate"]["mapping"]

    def ts(self, when: dt.datetime | None, digits: int = 3) -> str | None:
        """Local time with an offset and .NET-style variable fractions, as VBR writes them."""
        if when is None:
            return None
        local = when.astimezone(dt.timezone(self.estate.utc_offset))
        text = local.strftime("%Y-%m-%dT%H:%M:%S")
        fraction = f"{local.microsecond:06d}0"[:digits].rstrip("0") if digits else ""
        offset = local.strftime("%z")
        return f"{text}{'.' + fraction if fraction else ''}{offset[:3]}:{offset[3:]}"

    def storage_name(self, name: str | None) -> tuple[str | None, str | None]:
        return (self.estate.storage_id(name), name)

    # ---- auth / info ---------------------------------------------------------------------
    def token(self, access: str, refresh: str, expires_in: int, now: dt.datetime) -> dict:
        return {"access_token": access, "token_type": "bearer", "refresh_token": refresh,
                "expires_in": expires_in, ".issued": self.ts(now, 0),
                ".expires": self.ts(now + dt.timedelta(seconds=expires_in), 0)}

    def error(self, code: str, message: str) -> dict:
        return {"errorCode": code, "message": message, "resourceId": None}

    # ---- jobs ----------------------------------------------------------------------------
    def job_type(self, job: Job) -> str | None:
        if job.kind == "copy":  # BackupCopyJobModel: 1.3 only (earlier revisions list no such job)
            return "BackupCopy" if "BackupCopy" in self.subtypes("JobModel") else None
        if job.kind == "replica":
            return "VSphereReplica" if "VSphereReplica" in self.subtypes("JobModel") else None
        mapping = self.subtypes("JobModel")
        return "Backup" if "Backup" in mapping else "VSphereBackup" if "VSphereBackup" in mapping else None

    def _inventory(self, kind: str, name: str, object_id: str, host: str) -> dict:
        obj = {"type": kind, "hostName": host, "name": name, "objectId": object_id}
        if "VmwareObjectSizeModel" in self.schemas:  # 1.0-rev1 documents the nested form
            return {"inventoryObject": obj, "size": "152.5 GB"}
        platform = next(p for p in self.subtypes("InventoryObjectModel")
                        if p.lower() in ("vmware", "vsphere"))
        return obj | {"platform": platform, "size": "152.5 GB"}

    def _vm(self, name: str) -> dict:
        vm = self.estate.vm(name)
        return self._inventory("VirtualMachine", vm.name, vm.object_id, vm.host)

    def _schedule(self, s: Schedule) -> dict:
        days = [self.enum("EDayOfWeek", d) for d in s.days]
        window = {"days": [{"day": self.enum("EDayOfWeek", d), "hours": s.window.get(d, HOURS)}
                           for d in ("sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
                                     "saturday") if d in s.window or d in ("sunday", "monday")]}
        out = {
            "runAutomatically": s.run_automatically,
            "daily": {"isEnabled": s.daily_time is not None, "localTime": s.daily_time or "22:00",
                      "dailyKind": s.daily_kind, "days": days},
            "monthly": {"isEnabled": False, "localTime": "22:00",
                        "dayOfWeek": self.enum("EDayOfWeek", "saturday"),
                        "dayNumberInMonth": "Last", "months": ["January"]},
            "periodically": {"isEnabled": s.periodic_kind is not None,
                             "periodicallyKind": s.periodic_kind or "Hours",
                             "frequency": s.periodic_every or 1, "backupWindow": window},
            "continuously": {"isEnabled": s.continuous, ("WindowSetting" if self.rev.revision == "1.0-rev1"
                                                        else "backupWindow"): window},
            "afterThisJob": {"isEnabled": s.after_job is not None, "jobName": s.after_job},
            "retry": {"isEnabled": True, "retryCount": 3, "awaitMinutes": 10},
        }
        if not self.old:
            out["periodically"]["startTimeWithinAnHour"] = 0
        return out

    def job(self, job: Job) -> dict | None:
        kind = self.job_type(job)
        if kind is None:
            return None
        base = {"id": job.id, "name": job.name, "type": kind, "isDisabled": job.disabled,
                "description": job.description, "isHighPriority": False,
                "schedule": self._schedule(job.schedule)}
        includes = [self._vm(v) for v in job.vms] + [
            self._inventory(t, n, o, "vcenter.buc.example") for t, n, o in job.containers]
        machines = {"includes": includes}
        if job.excludes:
            machines["excludes"] = {"vms": [self._vm(v) for v in job.excludes]}
        if job.kind == "copy":
            sources = [{"id": self.estate.job(s).id, "name": s, "type": self.job_type(self.estate.job(s))}
                       for s in job.sources]
            base.pop("isHighPriority")
            return base | {
                "mode": "Immediate",
                "sourceObjects": {"includes": {"jobs": sources}},
                "target": {"backupRepositoryId": self.estate.storage_id(job.repository),
                           "retentionPolicy": {"type": job.retention_type, "quantity": job.retention}},
                "schedule": {"type": "Immediate", "scheduleMode": "Continuous"},
            }
        if job.kind == "backup":
            base |= {
                "virtualMachines": machines,
                "storage": {"backupRepositoryId": self.estate.storage_id(job.repository),
                            "backupProxies": {self._auto_select(): True, "proxyIds": []},
                            "retentionPolicy": {"type": job.retention_type, "quantity": job.retention},
                            "advancedSettings": {"backupModeType": "Incremental", "storageData": {
                                "encryption": {"isEnabled": job.encrypted}}}},
                "guestProcessing": {"appAwareProcessing": {"isEnabled": False},
                                    "guestFSIndexing": {"isEnabled": False}},
            }
            return base
        dest = {k: self._inventory(t, n, o, "vcenter.cluj.example")
                for k, t, n, o in (("host", "Host", "esx-cluj-01", "host-9"),
                                   ("resourcePool", "ResourcePool", "Resources", "resgroup-8"),
                                   ("folder", "Folder", "DR", "group-v7"),
                                   ("datastore", "Datastore", "ds-cluj-01", "datastore-12"))}
        for value in dest.values():
            value.pop("size", None)
        return base | {
            "virtualMachines": machines,
            "destination": dest,
            "jobSettings": {"metadataRepositoryId": self.estate.storage_id(job.repository),
                            "replicaNameSuffix": job.suffix, "restorePointsToKeep": job.retention},
        }

    def _auto_select(self) -> str:
        fields = self.schemas["BackupProxiesSettingsModel"]["properties"]
        return "autoSelection" if "autoSelection" in fields else "autoSelectEnabled"  # 1.0 vs 1.1+

    def operations(self, *wanted: str) -> list[str]:
        known = self.schemas["EObjectRestorePointOperation"]["enum"]
        return [w for w in wanted if w in known] or known[:1]

    def job_state(self, job: Job) -> dict | None:
        kind = self.job_type(job)
        if kind is None:
            return None
        repo_id, repo_name = self.storage_name(job.repository)
        state = {
            "id": job.id, "name": job.name, "type": kind, "description": job.description,
            "status": self.enum("EJobStatus", job.status),
            "lastResult": self.enum("ESessionResult", job.last_result),
            "workload": self.enum("EJobWorkload", "vm"), "lastRun": self.ts(job.last_run, 3),
            "nextRun": self.ts(job.next_run, 0), "repositoryId": repo_id, "repositoryName": repo_name,
            "objectsCount": len(job.vms), "sessionId": uid("last-session:" + job.name),
        }
        if self.rev.revision.startswith("1.3"):
            state |= {"highPriority": False, "progressPercent": 0 if job.status != "running" else 42}
        return state

    # ---- backups and points --------------------------------------------------------------
    def backup(self, b) -> dict:
        out = {"id": b.id, "jobId": self.estate.job(b.job).id, "name": b.job, "platformName": self.platform,
               "platformId": ZERO_UUID, "creationTime": self.ts(b.created, 7),
               "repositoryId": self.estate.storage_id(b.repository)}
        out["policyTag" if self.old else "policyUniqueId"] = ""
        if self.rev.revision.startswith("1.3"):
            out |= {"repositoryName": b.repository, "jobType": self.job_type(self.estate.job(b.job))}
        return out

    def backup_object(self, vm_name: str, count: int) -> dict:
        vm = self.estate.vm(vm_name)
        return {"id": uid("object:" + vm_name), "name": vm_name, "type": "VM", "platformName": self.platform,
                "platformId": ZERO_UUID, "restorePointsCount": count, "objectId": vm.object_id,
                "viType": "VirtualMachine", "path": f"{vm.host}\\Bucharest\\TRON\\{vm_name}"}

    def restore_point(self, p: Point, backup_id: str, index: int) -> dict:
        out = {"id": p.id, "name": p.vm, "platformName": self.platform, "platformId": ZERO_UUID,
               "creationTime": self.ts(p.created, (1, 3, 6, 7)[index % 4]), "backupId": backup_id,
               "allowedOperations": self.operations("StartViVMInstantRecovery", "StartFlrRestore")}
        if not self.old:
            out |= {"type": self.enum("ERestorePointType", p.type), "malwareStatus": "Clean",
                    "sessionId": None, "backupFileId": uid("file:" + p.id)}
        return out

    def replica(self, r) -> dict:
        kind = next(iter(self.subtypes("ReplicaModel")))  # Regular (1.2) / Snapshot (1.3)
        return {"id": r.id, "type": kind, "jobId": self.estate.job(r.job).id, "policyUniqueId": "",
                "name": r.vm + self.estate.job(r.job).suffix, "platformName": self.platform,
                "platformId": ZERO_UUID, "creationTime": self.ts(r.created, 6), "state": r.state}

    def replica_point(self, p: Point, replica_id: str, index: int) -> dict:
        return {"id": p.id, "name": p.vm, "platformName": self.platform, "platformId": ZERO_UUID,
                "creationTime": self.ts(p.created, (6, 3, 2)[index % 3]), "replicaId": replica_id,
                "allowedOperations": self.operations("StartViVMSnapshotReplicaFailover"), "state": "Ready",
                "malwareStatus": "Clean"}

    # ---- sessions ------------------------------------------------------------------------
    def session(self, s) -> dict | None:
        kind = s.type
        if self.enum("ESessionType", kind) is None and kind in ("BackupJob", "ReplicaJob"):
            kind = "Job"  # 1.0/1.1 call every job run "Job"
        kind = self.enum("ESessionType", kind)
        if kind is None:
            return None  # this revision cannot report that kind of session
        job_id = self.estate.job(s.job).id if s.job else ZERO_UUID
        out = {"id": s.id, "name": s.name, "sessionType": kind, "creationTime": self.ts(s.created, 3),
               "endTime": self.ts(s.ended, 6), "state": self.enum("ESessionState", s.state),
               "progressPercent": 100 if s.ended else 50,
               "result": {"result": self.enum("ESessionResult", s.result), "message": s.message,
                          "isCanceled": False},
               "resourceId": None, "resourceReference": None, "parentSessionId": None, "usn": 1000}
        out["activityId" if self.old else "jobId"] = job_id
        return out

    # ---- repositories --------------------------------------------------------------------
    def repo_type(self, r: Repo) -> str | None:
        mapping = self.subtypes("RepositoryModel")
        if r.type in mapping:
            return r.type
        if r.type == "LinuxHardened" and "LinuxLocal" in mapping:
            return "LinuxLocal"  # v11: a Linux repository with immutability switched on
        return None

    def repository(self, r: Repo) -> dict | None:
        kind = self.repo_type(r)
        if kind is None:
            return None
        out = {"id": r.id, "name": r.name, "description": f"{r.name} repository", "type": kind}
        out["tag" if self.old else "uniqueId"] = r.id.replace("-", "").upper()
        mount = {"mountServerId": uid("mount:" + r.host), "writeCacheFolder": "/var/veeam/ircache",
                 "vPowerNFSEnabled": True}
        if self.rev.revision.startswith("1.3"):
            mount = {"mountServerSettingsType": "Linux", "linux": mount}
        if kind in ("LinuxLocal", "LinuxHardened", "WinLocal"):
            repo = {"path": r.path, "maxTaskCount": 4, "readWriteRate": 0}
            if kind == "LinuxLocal" and r.immutable_days:
                repo |= {"useImmutableBackups": True, "makeRecentBackupsImmutableDays": r.immutable_days}
            if kind == "LinuxHardened":
                repo["makeRecentBackupsImmutableDays"] = r.immutable_days or 7
            return out | {"hostId": uid("host:" + r.host), "mountServer": mount, "repository": repo}
        bucket = {"bucketName": r.bucket or r.name, "folderName": "veeam",
                  "immutability": {"isEnabled": bool(r.immutable_days), "daysCount": r.immutable_days or 0}}
        if kind == "AmazonS3":
            account = {"regionType": "Global", "credentialsId": uid("cred:" + r.name)}
            bucket["regionId"] = "eu-central-1"
        else:  # S3Compatible
            account = {"servicePoint": f"https://{r.host}", "regionId": "eu-central-1",
                       "credentialsId": uid("cred:" + r.name)}
        return out | {"account": account, "bucket": bucket, "mountServer": mount}

    def repository_state(self, r: Repo) -> dict | None:
        kind = self.repo_type(r)
        if kind is None:
            return None
        out = {"id": r.id, "name": r.name, "type": kind, "description": f"{r.name} repository",
               "hostId": uid("host:" + r.host), "hostName": r.host, "path": r.path,
               "capacityGB": r.capacity_gb, "freeGB": r.free_gb,
               "usedSpaceGB": round(r.capacity_gb - r.free_gb, 1)}
        if not self.rev.revision.startswith("1.0"):
            out["isOnline"] = r.online
        if self.rev.revision.startswith("1.3"):
            out["isOutOfDate"] = False
        return out

    def scale_out(self, s) -> dict:
        extents = [{"id": self.estate.storage_id(e), "name": e, "status": "Normal"} for e in s.extents]
        if self.rev.revision.startswith("1.3"):
            for e in extents:
                e["status"] = ["Normal"]
        out = {"id": s.id, "name": s.name, "description": "TRON backups", "performanceTier": {
            "performanceExtents": extents}}
        out["tag" if self.old else "uniqueId"] = s.id.replace("-", "").upper()
        if s.capacity_extent:
            cap_id = self.estate.storage_id(s.capacity_extent)
            tier = {"copyPolicyEnabled": s.copy_policy, "movePolicyEnabled": s.move_policy,
                    "operationalRestorePeriodDays": 14, "encryption": {"isEnabled": s.tier_encrypted}}
            if self.rev.revision == "1.0-rev1":
                tier |= {"enabled": True, "extentId": cap_id}
            elif self.old:
                tier |= {"enabled": True, "extents": [{"id": cap_id}]}
            else:
                tier |= {"isEnabled": True, "extents": [{"id": cap_id}]}
            out["capacityTier"] = tier
        return out

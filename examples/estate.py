"""The example SR (``inventory/``) as its simulators hold it, seeded through their own APIs.

Used by ``scripts/capture-demo-state``. Every time here is written as it should read in the
bundled capture (the collection ends at ``TARGET``, 2026-11-20 06:00 UTC) and seeded at
``at(now, …)``: the same distance before the seeding moment ``now`` as before ``TARGET``.
The capture script shifts the collected state back by ``TARGET - now``.

The drift the demo shows is seeded here, not patched into the state afterwards:
- the replication job runs every 60 minutes (the plan says 15) and its replica points are hourly;
- tron-witness-02's replica chain stopped 2 days 3 hours before the capture;
- tron-full-02 is in the replication job (and in vCenter) but is not a node of the plan;
- the last DR test is the plan's drill of 2026-07-14 (test_every 60d: overdue).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Iterator

import boto3
from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim

from tests.fakes.javatron_server import FakeNetwork, FakeTronNode, ManualClock
from tests.fakes.veeam_estate import (
    Backup,
    Job,
    Point,
    Replica,
    Repo,
    ScaleOut,
    Schedule,
    Session,
    VeeamEstate,
    Vm,
    uid,
)
from tests.vcsim.harness import Vcsim

TARGET = dt.datetime(2026, 11, 20, 6, 0, tzinfo=dt.UTC)
PLANNED = ("tron-witness-01", "tron-witness-02", "tron-full-01", "tron-solidity-01")
UNPLANNED = "tron-full-02"
ESX_1, ESX_2 = "esx-01.buc.carpathian-nodes.ro", "esx-02.buc.carpathian-nodes.ro"
VMS = {  # vm → (ESXi host, datastore, instance UUID)
    "tron-witness-01": (ESX_1, "ds-buc-ssd-01", "5003a1b2-0000-4000-8000-000000000001"),
    "tron-witness-02": (ESX_2, "ds-buc-ssd-02", "5003a1b2-0000-4000-8000-000000000002"),
    "tron-full-01": (ESX_1, "ds-buc-ssd-01", "5003a1b2-0000-4000-8000-000000000003"),
    "tron-solidity-01": (ESX_2, "ds-buc-ssd-02", "5003a1b2-0000-4000-8000-000000000004"),
    UNPLANNED: (ESX_2, "ds-buc-ssd-02", "5003a1b2-0000-4000-8000-000000000005"),
}
DR_HOST, DR_DATASTORE = "esx-cluj-01", "ds-cluj-01"  # the names the fake VBR reports as replica destination
REPLICA_SUFFIX = "_replica"
STALE_REPLICA = "tron-witness-02"
SR_HEX = "4182b9582cb2431f65e5eac2b808f8899208c4b851"  # the plan's sr_address, TMtQsx…
OTHER_SR_HEX = "41e7860196ad5b5718c1d6326babab039b70b8c1cd"
HEAD = 77_412_960  # the network's head block at TARGET

AWS_ACCOUNT, AWS_HOME, AWS_COPY = "111122223333", "eu-central-1", "eu-west-1"
AWS_ROLE = f"arn:aws:iam::{AWS_ACCOUNT}:role/trondocs-read"
DLM_POLICY = "policy-0123456789abcdef0"


def at(now: dt.datetime, when: dt.datetime) -> dt.datetime:
    """``when`` (as the capture should show it) on the seeding clock, whose present is ``now``."""
    return now + (when - TARGET)


def day(days_before: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return (TARGET - dt.timedelta(days=days_before)).replace(hour=hour, minute=minute, second=second)


# --- vSphere (vcsim) ------------------------------------------------------------------------
def seed_vcenter(sim: Vcsim, scratch: str) -> dict[str, str]:
    """Datacenters Bucharest (cluster buc-prod) and Cluj (cluster cluj-dr), the TRON VMs and their
    powered-off Veeam replicas; returns vm name → moref. Datastore folders go under ``scratch``."""
    si = SmartConnect(host=sim.host, port=sim.port, user=sim.username, pwd=sim.password,
                      protocol=sim.protocol, disableSslCertValidation=True)
    try:
        return _seed_vcenter(si.RetrieveContent(), scratch)
    finally:
        Disconnect(si)


def _seed_vcenter(content: vim.ServiceInstanceContent, scratch: str) -> dict[str, str]:
    # vcsim started with no hosts, VMs or datastores still has DC0 with an empty cluster: rename them.
    buc = content.rootFolder.childEntity[0]
    WaitForTask(buc.Rename_Task("Bucharest"))
    prod = buc.hostFolder.childEntity[0]
    WaitForTask(prod.Rename_Task("buc-prod"))
    cluj = content.rootFolder.CreateDatacenter("Cluj")
    dr = cluj.hostFolder.CreateClusterEx("cluj-dr", vim.cluster.ConfigSpecEx())
    hosts: dict[str, vim.HostSystem] = {}

    def add_host(cluster, name: str, datastore: str) -> None:
        task = cluster.AddHost_Task(spec=vim.host.ConnectSpec(hostName=name, force=True), asConnected=True)
        WaitForTask(task)
        hosts[name] = task.info.result
        hosts[name].configManager.datastoreSystem.CreateLocalDatastore(
            name=datastore, path=tempfile.mkdtemp(prefix=datastore + "-", dir=scratch))

    for host, datastore in sorted({(h, d) for h, d, _ in VMS.values()}):
        add_host(prod, host, datastore)
    add_host(dr, DR_HOST, DR_DATASTORE)
    tron, replicas = buc.vmFolder.CreateFolder("TRON"), cluj.vmFolder.CreateFolder("Replicas")
    fields = content.customFieldsManager
    role_field = fields.AddCustomFieldDef(name="tron-role", moType=vim.VirtualMachine)
    refs = {}

    def create(folder, name: str, cluster, host: str, datastore: str, uuid: str | None) -> vim.VirtualMachine:
        spec = vim.vm.ConfigSpec(name=name, guestId="ubuntu64Guest", numCPUs=8, memoryMB=32768,
                                 instanceUuid=uuid, files=vim.vm.FileInfo(vmPathName=f"[{datastore}]"))
        task = folder.CreateVM_Task(config=spec, pool=cluster.resourcePool, host=hosts[host])
        WaitForTask(task)
        refs[name] = task.info.result._moId
        return task.info.result

    for name, (host, datastore, uuid) in VMS.items():
        vm = create(tron, name, prod, host, datastore, uuid)
        WaitForTask(vm.PowerOnVM_Task())
        fields.SetField(entity=vm, key=role_field.key, value=name.split("-")[1])
    for index, name in enumerate(VMS, start=1):
        create(replicas, name + REPLICA_SUFFIX, dr, DR_HOST, DR_DATASTORE,
               f"5003c1d2-0000-4000-8000-00000000000{index}")
    return refs


# --- Veeam Backup & Replication (the fake VBR) -------------------------------------------------
def veeam_estate(now: dt.datetime, refs: dict[str, str]) -> VeeamEstate:
    """Nightly backups to a hardened SOBR with an S3 capacity tier; replication slowed to hourly."""
    vms = [Vm(name, refs[name], host="vcenter.buc.carpathian-nodes.ro") for name in VMS]
    repos = [
        Repo("buc-hardened-01", "LinuxHardened", "/mnt/veeam/backups", 40960.0, 17408.0, immutable_days=7,
             host="veeam-repo-01.buc.carpathian-nodes.ro"),
        Repo("s3-frankfurt", "S3Compatible", immutable_days=30, bucket="carpathian-tron-offsite",
             host="s3.fra.carpathian-nodes.ro"),
        Repo("cluj-meta", "WinLocal", "D:\\VeeamMeta", 2048.0, 1500.0,
             host="veeam-proxy.cluj.carpathian-nodes.ro"),
    ]
    sobr = ScaleOut("SOBR TRON", extents=["buc-hardened-01"], capacity_extent="s3-frankfurt")
    backup_job = Job(
        "Backup TRON nodes", "backup", list(PLANNED), repository="SOBR TRON",
        schedule=Schedule(daily_time="02:00", daily_kind="Everyday"), retention=14, encrypted=True,
        last_result="Success", last_run=at(now, day(0, 2, 0, 7)), next_run=at(now, day(-1, 2)))
    replica_job = Job(  # drift: every 60 minutes instead of 15, and tron-full-02 added
        "Replicate TRON nodes", "replica", list(VMS), repository="cluj-meta",
        schedule=Schedule(periodic_kind="Minutes", periodic_every=60), retention=7,
        suffix=REPLICA_SUFFIX, last_result="Warning", last_run=at(now, day(0, 5, 22)),
        next_run=at(now, day(0, 6, 22)))
    def point(vm: str, when: dt.datetime, kind: str) -> Point:  # ids from the capture's times: stable
        return Point(vm, at(now, when), kind, id=uid(f"point:{vm}:{when.isoformat()}"))

    backup_points = [point(vm, day(back, 2, 4 + 9 * i, 31), "Full" if back % 7 == 6 else "Increment")
                     for back in range(13, -1, -1) for i, vm in enumerate(PLANNED)]
    replicas = []
    for vm in VMS:
        newest = day(0, 5, 22) if vm != STALE_REPLICA else day(2, 2, 57)  # witness-02: stopped 2d 3h ago
        replicas.append(Replica("Replicate TRON nodes", vm, at(now, day(200, 9)), points=[
            point(vm, newest - dt.timedelta(hours=k), "Snapshot") for k in range(7)]))
    def session(name: str, kind: str, started: dt.datetime, minutes: float, **more) -> Session:
        return Session(name, kind, at(now, started), ended=at(now, started + dt.timedelta(minutes=minutes)),
                       id=uid(f"session:{name}:{kind}:{started.isoformat()}"), **more)

    drill = dt.datetime(2026, 7, 14, 7, 0, 40, tzinfo=dt.UTC)
    sessions = [
        session("Backup TRON nodes", "BackupJob", day(0, 2), 41, job="Backup TRON nodes"),
        session("Replicate TRON nodes", "ReplicaJob", day(0, 5, 22), 2.8, job="Replicate TRON nodes",
                result="Warning",
                message="Processing tron-witness-02: cannot create a snapshot of the VM, skipping"),
        # The plan's July drill, as VBR recorded it: failover of the full and solidity nodes, undone.
        session("tron-full-01", "Failover", drill, 4.2),
        session("tron-solidity-01", "Failover", drill + dt.timedelta(minutes=2), 18.4),
        session("tron-full-01", "UndoFailover", drill + dt.timedelta(minutes=50), 3),
        session("tron-solidity-01", "UndoFailover", drill + dt.timedelta(minutes=51), 3),
    ]
    backups = [Backup("Backup TRON nodes", "SOBR TRON", at(now, day(200, 2)), backup_points)]
    return VeeamEstate(vms=vms, repos=repos, scale_outs=[sobr], jobs=[backup_job, replica_job],
                       backups=backups, replicas=replicas, sessions=sessions)


# --- AWS (moto, and the DLM fake) ------------------------------------------------------------
@contextlib.contextmanager
def moto_clock(when: dt.datetime) -> Iterator[None]:
    """Set the clock moto's EBS model stamps snapshots with (moto has no API for it)."""
    from moto.ec2.models import elastic_block_store

    real = elastic_block_store.utcnow
    elastic_block_store.utcnow = lambda: when.astimezone(dt.UTC).replace(tzinfo=None)
    try:
        yield
    finally:
        elastic_block_store.utcnow = real


def seed_aws(moto_url: str, gap, now: dt.datetime) -> str:
    """full-aws-01 in eu-central-1, its DLM policy tron-hourly and 48 hourly snapshots, each copied
    to eu-west-1 nine minutes later. Returns moto's instance id (the capture maps it to the plan's)."""
    sts = boto3.client("sts", region_name=AWS_HOME, endpoint_url=moto_url)
    creds = sts.assume_role(RoleArn=AWS_ROLE, RoleSessionName="seed")["Credentials"]
    session = boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                            aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"])
    home = session.client("ec2", region_name=AWS_HOME, endpoint_url=moto_url)
    copy = session.client("ec2", region_name=AWS_COPY, endpoint_url=moto_url)
    tags = [{"Key": "Name", "Value": "tron-full-aws-01"}, {"Key": "backup", "Value": "tron-hourly"}]
    instance = home.run_instances(
        ImageId="ami-0c0ffee0tron00001", MinCount=1, MaxCount=1, InstanceType="m6i.2xlarge",
        Placement={"AvailabilityZone": f"{AWS_HOME}a"},
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])["Instances"][0]["InstanceId"]
    volume = home.create_volume(AvailabilityZone=f"{AWS_HOME}a", Size=2000, VolumeType="gp3", Encrypted=True,
                                TagSpecifications=[{"ResourceType": "volume", "Tags": [
                                    {"Key": "Name", "Value": "tron-full-aws-01 chain data"}]}])["VolumeId"]
    home.attach_volume(VolumeId=volume, InstanceId=instance, Device="/dev/sdf")
    dlm_tags = [{"Key": "aws:dlm:lifecycle-policy-id", "Value": DLM_POLICY},
                {"Key": "aws:dlm:lifecycle-schedule-name", "Value": "hourly"}, *tags[1:]]
    for hours in range(47, -1, -1):
        taken = day(0, 5, 38) - dt.timedelta(hours=hours)
        with moto_clock(at(now, taken)):
            snap = home.create_snapshot(VolumeId=volume, Description=f"Created for policy: {DLM_POLICY} "
                                        "schedule: hourly", TagSpecifications=[
                                            {"ResourceType": "snapshot", "Tags": dlm_tags}])["SnapshotId"]
        with moto_clock(at(now, taken + dt.timedelta(minutes=9))):
            copy.copy_snapshot(SourceSnapshotId=snap, SourceRegion=AWS_HOME, Encrypted=True,
                               Description=f"[Copied {snap} from {AWS_HOME}]")
    gap.region(AWS_ACCOUNT, AWS_HOME).policies = [_dlm_policy()]
    return instance


def _dlm_policy() -> dict:
    created = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC).timestamp()
    return {
        "PolicyId": DLM_POLICY, "Description": "tron-hourly", "State": "ENABLED", "StatusMessage": "ENABLED",
        "ExecutionRoleArn": f"arn:aws:iam::{AWS_ACCOUNT}:role/AWSDataLifecycleManagerDefaultRole",
        "DateCreated": created, "DateModified": created, "Tags": {"team": "tron"},
        "PolicyArn": f"arn:aws:dlm:{AWS_HOME}:{AWS_ACCOUNT}:policy/{DLM_POLICY}", "DefaultPolicy": False,
        "PolicyDetails": {
            "PolicyType": "EBS_SNAPSHOT_MANAGEMENT", "ResourceTypes": ["INSTANCE"],
            "ResourceLocations": ["CLOUD"],
            "TargetTags": [{"Key": "backup", "Value": "tron-hourly"}],
            "Schedules": [{
                "Name": "hourly", "CopyTags": True,
                "CreateRule": {"Location": "CLOUD", "Interval": 1, "IntervalUnit": "HOURS",
                               "Times": ["00:38"]},
                "RetainRule": {"Count": 48},
                "CrossRegionCopyRules": [{"TargetRegion": AWS_COPY, "Encrypted": True, "CopyTags": True,
                                          "RetainRule": {"Interval": 2, "IntervalUnit": "DAYS"}}]}]}}


# --- java-tron nodes -------------------------------------------------------------------------
NODE_LAGS = {"witness-a": 0, "witness-b": 1, "full-01": 0, "solidity-01": 0, "full-aws-01": 2}


def tron_nodes(now: dt.datetime) -> tuple[dict[str, FakeTronNode], FakeTronNode]:
    """A fake node per plan node, and a public reference node, on one chain frozen at ``now``."""
    clock = ManualClock(now.timestamp())
    network = FakeNetwork(head=HEAD, head_time=now.timestamp(), clock=clock)
    backup = {"witness-a": (10001, 1, 10), "witness-b": (10001, 1, 8)}

    def node(name: str | None) -> FakeTronNode:
        fake = FakeTronNode(network=network, lag=NODE_LAGS.get(name or "", 0), backup=backup.get(name or ""),
                            peers=30 if name else 52, begin_sync=HEAD - 2_419_200,
                            backup_status="SLAVER" if name == "witness-b" else "MASTER")  # backup mode works
        fake.add_witness(OTHER_SR_HEX, produced=2_000_001, missed=252, latest=HEAD - 3, votes=9_000_000_000,
                         active=True, url="http://sr-15.com")
        fake.add_witness(SR_HEX, produced=412_332, missed=17, latest=HEAD - 11, votes=1_204_556_001,
                         active=True, url="https://carpathian-nodes.ro")
        return fake.start()

    return {name: node(name) for name in NODE_LAGS}, node(None)

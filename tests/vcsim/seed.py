"""Seed vcsim like a TRON SR's vCenter, through the vSphere API (pyVmomi). Test set-up only:
the collector never writes.

Expects vcsim started with ``-ds 2`` (default hosts and VMs): cluster DC0_C0 (hosts DC0_C0_H0..2)
with VMs DC0_C0_RP0_VM0/1, standalone host DC0_H0 with VMs DC0_H0_VM0/1.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from pyVim.connect import Disconnect, SmartConnect
from pyVim.task import WaitForTask
from pyVmomi import vim

from tests.vcsim.harness import Vcsim


@dataclass
class SeededSnapshot:
    vm: str
    ref: str
    name: str
    description: str
    quiesced: bool
    after: dt.datetime  # the snapshot was created between these two moments
    before: dt.datetime
    parent: str | None = None  # name of the parent snapshot


@dataclass
class Seeded:
    """What the seeding did, as the API reported it: the truth the collector must reproduce."""

    refs: dict[str, str] = field(default_factory=dict)  # vm name → moref
    uuids: dict[str, str] = field(default_factory=dict)  # vm name → instance uuid
    snapshots: list[SeededSnapshot] = field(default_factory=list)


def seed_tron(sim: Vcsim) -> Seeded:
    si = SmartConnect(host=sim.host, port=sim.port, user=sim.username, pwd=sim.password,
                      protocol=sim.protocol, disableSslCertValidation=True)
    try:
        return _seed(si.RetrieveContent())
    finally:
        Disconnect(si)


def revert_to(vm: vim.VirtualMachine, snapshot: vim.vm.Snapshot) -> None:
    """Make ``snapshot`` current, so the next one branches from it.

    vcsim names the snapshot (not a ManagedEntity) as the revert task's entity, which pyVmomi
    refuses to parse, so wait on the VM's current snapshot instead of on the task.
    """
    snapshot.RevertToSnapshot_Task()
    deadline = time.monotonic() + 10
    while vm.snapshot.currentSnapshot._moId != snapshot._moId:
        if time.monotonic() > deadline:
            raise TimeoutError(f"vcsim did not revert {vm.name} to {snapshot._moId}")
        time.sleep(0.05)


def _seed(content: vim.ServiceInstanceContent) -> Seeded:
    seeded = Seeded()
    find = content.searchIndex.FindByInventoryPath
    vm_folder = find("DC0/vm")
    tron = vm_folder.CreateFolder("tron")

    def remember(name: str, vm: vim.VirtualMachine) -> vim.VirtualMachine:
        seeded.refs[name] = vm._moId
        seeded.uuids[name] = vm.config.instanceUuid
        return vm

    def rename(old: str, new: str) -> vim.VirtualMachine:
        vm = find(f"DC0/vm/{old}")
        WaitForTask(vm.Rename_Task(new))
        return remember(new, vm)

    def create(folder, name: str, pool_path: str, datastore: str) -> vim.VirtualMachine:
        spec = vim.vm.ConfigSpec(name=name, guestId="otherGuest64", numCPUs=2, memoryMB=4096,
                                 files=vim.vm.FileInfo(vmPathName=f"[{datastore}]"))
        task = folder.CreateVM_Task(config=spec, pool=find(pool_path))
        WaitForTask(task)
        return remember(name, task.info.result)

    def snapshot(vm_name: str, vm: vim.VirtualMachine, name: str, description: str, quiesce: bool,
                 parent: str | None) -> vim.vm.Snapshot:
        after = dt.datetime.now(dt.UTC)
        task = vm.CreateSnapshot_Task(name=name, description=description, memory=False, quiesce=quiesce)
        WaitForTask(task)
        seeded.snapshots.append(SeededSnapshot(
            vm=vm_name, ref=task.info.result._moId, name=name, description=description,
            quiesced=quiesce, after=after, before=dt.datetime.now(dt.UTC), parent=parent))
        return task.info.result

    witness1 = rename("DC0_C0_RP0_VM0", "tron-witness-01")
    WaitForTask(witness1.ReconfigVM_Task(vim.vm.ConfigSpec(annotation="primary witness\nSR producer")))
    witness2 = rename("DC0_C0_RP0_VM1", "tron-witness-02")
    WaitForTask(witness2.PowerOffVM_Task())
    full = create(tron, "tron-full-01", "DC0/host/DC0_C0/Resources", "LocalDS_1")
    WaitForTask(full.PowerOnVM_Task())
    replica = create(vm_folder, "tron-full-01_replica", "DC0/host/DC0_H0/Resources", "LocalDS_0")
    WaitForTask(find("DC0/vm/DC0_H0_VM1").SuspendVM_Task())
    for name in ("DC0_H0_VM0", "DC0_H0_VM1"):
        remember(name, find(f"DC0/vm/{name}"))

    # A branching tree: before-upgrade → {after-upgrade, hotfix}.
    base = snapshot("tron-witness-01", witness1, "before-upgrade", "java-tron 4.7.6", False, None)
    snapshot("tron-witness-01", witness1, "after-upgrade", "", True, "before-upgrade")
    revert_to(witness1, base)
    snapshot("tron-witness-01", witness1, "hotfix", "config change", True, "before-upgrade")
    snapshot("tron-full-01_replica", replica, "Restore Point 1", "Veeam replica", False, None)
    snapshot("tron-full-01_replica", replica, "Restore Point 2", "Veeam replica", False,
             "Restore Point 1")

    fields = content.customFieldsManager
    role = fields.AddCustomFieldDef(name="tron-role", moType=vim.VirtualMachine)
    tier = fields.AddCustomFieldDef(name="dr-tier", moType=vim.VirtualMachine)
    for vm, value in ((witness1, "witness"), (witness2, "witness"), (full, "full")):
        fields.SetField(entity=vm, key=role.key, value=value)
    fields.SetField(entity=witness1, key=tier.key, value="1")
    return seeded

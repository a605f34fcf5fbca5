"""The one table of protection systems and of source types.

Adding a protection system is one row in ``PROTECTION_SYSTEMS`` (and, when it is read from a
new kind of source, one collector module, one line in collectors/registry.py and one row in
``SOURCE_TYPES``). From these rows come: the plan's ``ProtectionSystem`` vocabulary, the
validation of what a system can protect, the source types evaluation asks for (coverage), the
source an unprotected node's restore points would come from, the runbooks a protection gets,
the About page's credentials table, the starter plan's list of systems and the starter
sources.yaml's examples; and the ``type:`` vocabulary of sources.yaml (``SourceType``) with the
default variables each collector reads its credentials from.

This module sits below the plan models (they build their enum from it), so it names plan
vocabularies by value: a platform is a ``Platform`` value, a kind a ``ProtectionKind`` value
(tests/plan/test_systems_table.py checks every row against the enums and the collectors).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Recovery(StrEnum):
    """A family of runbook scenarios: how a protection's restore points are brought back."""

    VM_RESTORE = "vm-restore"  # quick rollback, instant VM recovery, guest file restore
    REPLICA_FAILOVER = "replica-failover"  # failover to the replica, planned failover, failback
    SNAPSHOT_RESTORE = "snapshot-restore"  # restore from an EBS snapshot or its cross-region copy


# The console steps each family's runbooks name, which a system using the family must spell.
RECOVERY_STEPS: dict[Recovery, tuple[str, ...]] = {
    Recovery.VM_RESTORE: ("backups", "instant_recovery", "guest_files"),
    Recovery.REPLICA_FAILOVER: ("replicas_ready", "replicas_active", "failover_plans"),
    Recovery.SNAPSHOT_RESTORE: (),  # the AWS CLI's, the same for every system
}


@dataclass(frozen=True)
class ProtectionSystemInfo:
    """One protection system the plan may name in ``system:``."""

    name: str  # as the plan spells it
    member: str  # its ProtectionSystem member name
    product: str  # as runbooks name it ("In the Veeam console…")
    source: str  # the source type its restore points, replicas and copies are read from
    platform: str  # the platform whose workloads it protects
    kinds: tuple[str, ...]  # the protection kinds it has jobs of
    recovery: Mapping[str, Recovery]  # per kind: the runbook scenarios its points allow
    # Where its console keeps what the runbooks open: step name (RECOVERY_STEPS) → menu path.
    steps: Mapping[str, str] = field(default_factory=dict)
    # Where its jobs are read from when not the whole source: an AWS source fails per service.
    job_evidence: str | None = None
    # Where its failover plans are read from when not only its own source.
    failover_evidence: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = set(self.recovery) - set(self.kinds)
        if unknown:
            raise ValueError(f"system {self.name!r}: recovery for kinds it has no jobs of: {sorted(unknown)}")
        missing = [step for recovery in set(self.recovery.values()) for step in RECOVERY_STEPS[recovery]
                   if step not in self.steps]
        if missing:
            raise ValueError(f"system {self.name!r}: its runbooks need the console steps {sorted(missing)}")

    @property
    def job_source(self) -> str:
        return self.job_evidence or self.source

    @property
    def failover_sources(self) -> tuple[str, ...]:
        return self.failover_evidence or (self.source,)


@dataclass(frozen=True)
class Credential:
    """A secret a source reads from the environment: its sources.yaml key and default variable."""

    setting: str  # e.g. password_env
    default: str  # e.g. TRONDOCS_VSPHERE_PASSWORD
    secret: str  # what the variable holds, as the setting's description names it: "password"


@dataclass(frozen=True)
class SourceTypeInfo:
    """One ``type:`` of sources.yaml (its collector is registered in collectors/registry.py)."""

    name: str
    title: str  # as the About page names it
    # What the account it reads with needs; None for sources that are not an external system
    # (a state snapshot file), which the About page does not list.
    access: str | None
    credentials: tuple[Credential, ...] = ()
    # Said instead of environment variables when the source needs none, or finds them itself.
    credentials_note: str = "none"
    platform: str | None = None  # the platform whose VMs or instances it discovers
    # What the starter sources.yaml shows for it besides name, type and credentials: the
    # settings it needs, with example values (YAML, as written after the key).
    starter: Mapping[str, str] = field(default_factory=dict)

    def credential(self, setting: str) -> Credential:
        return next(c for c in self.credentials if c.setting == setting)


VMWARE, AWS_CLOUD = "vsphere", "aws"  # Platform values
BACKUP, REPLICATION, SNAPSHOT, COPY = "backup", "replication", "snapshot", "copy"  # ProtectionKind values
_SNAPSHOT_RESTORES = {SNAPSHOT: Recovery.SNAPSHOT_RESTORE, BACKUP: Recovery.SNAPSHOT_RESTORE}

# In the order the plan's schema lists them; a platform's first system is the one whose source an
# unprotected node's restore points would be looked for in (unprotected_point_source).
PROTECTION_SYSTEMS: tuple[ProtectionSystemInfo, ...] = (
    ProtectionSystemInfo(
        name="veeam", member="VEEAM", product="Veeam", source="veeam", platform=VMWARE,
        kinds=(BACKUP, REPLICATION, COPY),
        recovery={BACKUP: Recovery.VM_RESTORE, COPY: Recovery.VM_RESTORE,
                  REPLICATION: Recovery.REPLICA_FAILOVER},
        steps={"backups": "Home → Backups → Disk", "instant_recovery": "Instant Recovery → VMware vSphere",
               "guest_files": "Restore guest files → Linux and other",
               "replicas_ready": "Home → Replicas → Ready", "replicas_active": "Home → Replicas → Active",
               "failover_plans": "Home → Replicas → Failover Plans"},
        # Veeam's REST API has no failover plans; Enterprise Manager does.
        failover_evidence=("veeam", "veeam-em")),
    ProtectionSystemInfo(
        name="aws-backup", member="AWS_BACKUP", product="AWS Backup", source="aws", platform=AWS_CLOUD,
        kinds=(BACKUP, SNAPSHOT, COPY), recovery=_SNAPSHOT_RESTORES, job_evidence="aws/backup"),
    ProtectionSystemInfo(
        name="dlm", member="DLM", product="Amazon Data Lifecycle Manager", source="aws", platform=AWS_CLOUD,
        kinds=(SNAPSHOT, COPY), recovery={SNAPSHOT: Recovery.SNAPSHOT_RESTORE}, job_evidence="aws/dlm"),
    ProtectionSystemInfo(
        name="n2ws", member="N2WS", product="N2WS", source="n2ws", platform=AWS_CLOUD,
        kinds=(BACKUP, SNAPSHOT, COPY), recovery=_SNAPSHOT_RESTORES),
)

# In the order the About page lists them.
SOURCE_TYPES: tuple[SourceTypeInfo, ...] = (
    SourceTypeInfo(
        name="vsphere", title="vSphere", platform=VMWARE, starter={"host": "vcenter.example.org"},
        access="the built-in *Read-only* role at the vCenter root, propagated",
        credentials=(Credential("username_env", "TRONDOCS_VSPHERE_USER", "user name"),
                     Credential("password_env", "TRONDOCS_VSPHERE_PASSWORD", "password"))),
    SourceTypeInfo(
        name="veeam", title="Veeam B&R", starter={"url": "https://vbr.example.org:9419"},
        access="a user with the *Veeam Backup Viewer* role; REST API on port 9419",
        credentials=(Credential("username_env", "TRONDOCS_VEEAM_USER", "user name"),
                     Credential("password_env", "TRONDOCS_VEEAM_PASSWORD", "password"))),
    SourceTypeInfo(
        name="veeam-em", title="Veeam Enterprise Manager", starter={"url": "https://em.example.org:9398"},
        access="an Enterprise Manager *Portal User* or *Restore Operator*; REST API on port 9398 "
               "(failover plans)",
        credentials=(Credential("username_env", "TRONDOCS_VEEAM_EM_USER", "user name"),
                     Credential("password_env", "TRONDOCS_VEEAM_EM_PASSWORD", "password"))),
    SourceTypeInfo(
        name="aws", title="AWS", platform=AWS_CLOUD, starter={"regions": "[eu-central-1]"},
        access="only `Describe*`/`List*`/`Get*`: the least-privilege policy in `docs/aws-iam-policy.json`",
        credentials_note="an AWS profile, an assumed role, or OIDC in CI"),
    SourceTypeInfo(
        name="n2ws", title="N2WS", starter={"url": "https://n2ws.example.org/api/"},
        access="an API key of a user that can view policies and backups",
        credentials=(Credential("api_key_env", "TRONDOCS_N2WS_API_KEY", "N2WS API key"),)),
    SourceTypeInfo(
        name="java-tron", title="java-tron", starter={"reference_endpoint": "https://api.trongrid.io"},
        access="the nodes' HTTP API (8090 full, 8091 solidity) from the runner"),
    SourceTypeInfo(name="snapshot", title="state snapshot", access=None),
)

# The ``type:`` vocabulary of sources.yaml, as the state records it for each source read: one
# member per row above (``veeam-em`` is ``SourceType.VEEAM_EM``).
SourceType = StrEnum("SourceType", [(row.name.upper().replace("-", "_"), row.name) for row in SOURCE_TYPES],
                     module=__name__)

_SYSTEMS = {row.name: row for row in PROTECTION_SYSTEMS}
_SOURCE_TYPES = {row.name: row for row in SOURCE_TYPES}


def protection_system(name: str) -> ProtectionSystemInfo:
    """The row of a system (a ``ProtectionSystem`` is its value)."""
    return _SYSTEMS[name]


def source_type(name: str) -> SourceTypeInfo:
    """The row of a source type (a ``SourceType`` is its value)."""
    return _SOURCE_TYPES[name]


def unprotected_point_source(platform: str) -> str:
    """Where an unprotected node's restore points would be: its platform's first system's source."""
    return next(row.source for row in PROTECTION_SYSTEMS if row.platform == platform)

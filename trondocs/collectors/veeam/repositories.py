"""Repositories, their states and scale-out repositories → Repository, plus what restore points need.

Immutability is read where each revision keeps it: a 1.0 Linux repository's
``useImmutableBackups``, a hardened repository (``LinuxHardened``, 1.1+), an object-storage
bucket's ``immutability.isEnabled`` (Glacier: ``immutabilityEnabled``), and the 1.3
``immutability`` block of deduplicating appliances.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trondocs.collectors.veeam.values import low
from trondocs.plan.models import Medium
from trondocs.state.models import Repository

GIB = 1024**3
OBJECT_TYPES = {"amazons3", "amazons3glacier", "azureblob", "azurearchive", "s3compatible", "googlecloud",
                "ibmcloud", "wasabicloud", "veeamdatacloudvault", "amazonsnowballedge", "azuredatabox"}
BLOCK_TYPES = {"winlocal", "linuxlocal", "linuxhardened", "smb", "nfs"}


@dataclass
class Tier:
    """A scale-out repository's capacity tier: where its restore points are copied offsite."""

    name: str
    immutable: bool | None
    copy: bool  # copy policy: every new restore point is copied
    encrypted: bool | None  # the tier's own encryption of offloaded data
    move_after_days: int | None  # move policy: points older than this live only in the tier


@dataclass
class Storage:
    """What restore points need to know about where they are stored."""

    names: dict[str, str] = field(default_factory=dict)  # id → name (repositories and SOBRs)
    immutable: dict[str, bool | None] = field(default_factory=dict)
    medium: dict[str, Medium] = field(default_factory=dict)
    tiers: dict[str, Tier] = field(default_factory=dict)  # SOBR id → capacity tier


def immutable(repo: dict) -> bool | None:
    kind = low(repo.get("type"))
    settings = repo.get("repository") or {}
    bucket = repo.get("bucket") or {}
    for block in (bucket.get("immutability"), repo.get("immutability")):
        if isinstance(block, dict) and isinstance(block.get("isEnabled"), bool):
            return block["isEnabled"]
    if isinstance(bucket.get("immutabilityEnabled"), bool):
        return bucket["immutabilityEnabled"]
    if isinstance(repo.get("immutabilityEnabled"), bool):
        return repo["immutabilityEnabled"]
    if kind == "linuxhardened":
        return True
    if isinstance(settings.get("useImmutableBackups"), bool):  # 1.0-rev1 Linux repository
        return settings["useImmutableBackups"]
    return False if kind in BLOCK_TYPES else None


def medium(repo_type: object) -> Medium | None:
    kind = low(repo_type)
    if kind in OBJECT_TYPES:
        return Medium.OBJECT
    return Medium.DISK if kind else None


def _gib(value: object) -> int | None:
    return round(float(value) * GIB) if isinstance(value, int | float) else None


def _tier(sobr: dict, storage: Storage) -> Tier | None:
    cap = sobr.get("capacityTier") or {}
    enabled = cap.get("isEnabled", cap.get("enabled"))  # 1.2+ isEnabled, 1.0/1.1 enabled
    extent_ids = [e.get("id") for e in cap.get("extents") or [] if isinstance(e, dict)]
    extent_ids += [cap["extentId"]] if cap.get("extentId") else []  # 1.0-rev1: one extentId
    if enabled is not True or not extent_ids:
        return None
    # 1.0 does not list object-storage repositories: name the tier after its scale-out repository.
    names = [storage.names.get(i) or f"{sobr.get('name')} capacity tier" for i in extent_ids]
    flags = [storage.immutable.get(i) for i in extent_ids]
    period = cap.get("operationalRestorePeriodDays")
    return Tier(name=", ".join(names),
                immutable=all(flags) if None not in flags else None,
                copy=cap.get("copyPolicyEnabled") is True,
                encrypted=(cap.get("encryption") or {}).get("isEnabled")
                if isinstance((cap.get("encryption") or {}).get("isEnabled"), bool) else None,
                move_after_days=period if cap.get("movePolicyEnabled") is True and isinstance(period, int)
                else None)


def to_repositories(source: str, repos: list[dict], states: list[dict], sobrs: list[dict]
                    ) -> tuple[list[Repository], Storage]:
    storage = Storage()
    state_by_id = {s.get("id"): s for s in states}
    out: list[Repository] = []
    for repo in repos:
        rid, state = repo.get("id"), state_by_id.get(repo.get("id"), {})
        if not rid or not repo.get("name"):
            continue
        storage.names[rid], storage.immutable[rid] = repo["name"], immutable(repo)
        storage.medium[rid] = medium(repo.get("type")) or Medium.DISK
        out.append(Repository(
            source=source, id=rid, name=repo["name"], type=str(repo.get("type") or "unknown"),
            immutable=storage.immutable[rid], online=state.get("isOnline") if isinstance(
                state.get("isOnline"), bool) else None,
            capacity_bytes=_gib(state.get("capacityGB")), free_bytes=_gib(state.get("freeGB")),
            medium=medium(repo.get("type"))))
    by_id = {r.id: r for r in out}
    for sobr in sobrs:
        sid = sobr.get("id")
        if not sid or not sobr.get("name"):
            continue
        extents = [by_id.get(e.get("id")) for e in
                   (sobr.get("performanceTier") or {}).get("performanceExtents") or []]
        known = [e for e in extents if e is not None]
        storage.names[sid] = sobr["name"]
        flags = [e.immutable for e in known]
        storage.immutable[sid] = all(flags) if known and None not in flags else None
        storage.medium[sid] = Medium.DISK
        tier = _tier(sobr, storage)
        if tier:
            storage.tiers[sid] = tier
        online = [e.online for e in known]
        out.append(Repository(
            source=source, id=sid, name=sobr["name"], type="ScaleOut", immutable=storage.immutable[sid],
            online=all(online) if known and None not in online else None,
            capacity_bytes=_sum([e.capacity_bytes for e in known]) if known else None,
            free_bytes=_sum([e.free_bytes for e in known]) if known else None,
            medium=Medium.DISK, capacity_tier=tier.name if tier else None))
    return out, storage


def _sum(values: list[int | None]) -> int | None:
    return None if None in values else sum(v for v in values if v is not None)

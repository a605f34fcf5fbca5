"""Which evidence is missing: sources of a type that failed, failed scopes, or none configured.

A rule asks for the source types its evidence comes from and the identifiers of what it
judges (node, VM, instance, region, account…); any gap turns its verdict into UNKNOWN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trondocs.state.models import Collection, SourceRun
from trondocs.systems import PROTECTION_SYSTEMS, SOURCE_TYPES, protection_system

VSPHERE, AWS, JAVA_TRON = "vsphere", "aws", "java-tron"
# Which source type reads what, from the systems table (trondocs/systems.py).
PLATFORM_SOURCE = {row.platform: row.name for row in SOURCE_TYPES if row.platform}
SYSTEM_SOURCE = {row.name: row.source for row in PROTECTION_SYSTEMS}
# A snapshot file that could not be read held every kind of evidence.
SNAPSHOT = "snapshot"
# An AWS source fails per service (scopes ``account/region/service``, collectors/aws/scope.py).
# What each kind of its evidence is read from: the bare type "aws" asks for restore points
# (EBS snapshots, AWS Backup recovery points; instances and volumes tie them to the node),
# "aws/ec2" for the instance itself, "aws/dlm" and "aws/backup" for a system's jobs.
AWS_SERVICES = frozenset({"ec2", "ebs-snapshots", "dlm", "backup"})
_SERVICES_FOR = {AWS: frozenset({"ec2", "ebs-snapshots", "backup"}), f"{AWS}/ec2": frozenset({"ec2"}),
                 f"{AWS}/dlm": frozenset({"ec2", "dlm"}), f"{AWS}/backup": frozenset({"ec2", "backup"})}


def failover_sources(system: str) -> tuple[str, ...]:
    """The source types a system's failover plans are read from."""
    return protection_system(system).failover_sources


def job_source(system: str) -> str:
    """The source type (and for AWS, the service) a protection system's jobs are read from."""
    return protection_system(system).job_source


def platform_evidence(platform_type: str) -> str:
    """The source type (and service) a VM or instance is read from."""
    return f"{AWS}/ec2" if platform_type == AWS else platform_type


# A failed scope naming a region (or an account) is about that region (or account) only.
_REGION = re.compile(r"\b[a-z]{2}(?:-gov)?-[a-z]+-\d+\b")
_ACCOUNT = re.compile(r"\b\d{12}\b")


class Coverage:
    """Gaps in the collected evidence, per source type and subject."""

    def __init__(self, collection: Collection, names: Iterable[str] = ()) -> None:
        # Names of every subject (nodes, VMs, endpoints): a scope naming another one is not ours.
        self._names = frozenset(n.lower() for n in names if n and len(n) >= 3)
        self._by_type: dict[str, list[SourceRun]] = {}
        for run in collection.sources:
            self._by_type.setdefault(run.type, []).append(run)
        self._broken_snapshots = [r for r in self._by_type.get(SNAPSHOT, []) if not r.ok]
        self._cache: dict[tuple[tuple[str, ...], frozenset[str]], list[str]] = {}

    def configured(self, source_type: str) -> bool:
        return bool(self._by_type.get(source_type))

    def gaps(self, types: Iterable[str], idents: frozenset[str] = frozenset()) -> list[str]:
        """Why evidence of ``types`` about something known by ``idents`` may be incomplete."""
        key = (tuple(sorted(set(types))), idents)
        if key not in self._cache:
            found = [g for t in key[0] for g in self._gaps(t, idents)]
            self._cache[key] = list(dict.fromkeys(found))  # "aws" and "aws/dlm" share a source
        return list(self._cache[key])  # a copy: callers add their own reasons

    def _gaps(self, wanted: str, idents: frozenset[str]) -> list[str]:
        source_type = wanted.split("/", 1)[0]
        services = _SERVICES_FOR.get(wanted)
        runs = self._by_type.get(source_type, [])
        if not runs and not self._broken_snapshots:
            # "configured" would be wrong after `collect -s other`: the state only knows what was read
            return [f"no {source_type} source was read (none in sources.yaml, or collect -s left it out)"]
        found = []
        for run in [*runs, *self._broken_snapshots]:
            failed = [s for s in run.scopes if not s.ok]
            if not failed and not run.ok:
                found.append(f"source '{run.name}' ({run.type}) failed: {run.error or 'no detail'}")
            for scope in failed:
                service = scope.scope.rsplit("/", 1)[-1]
                if services is not None and service in AWS_SERVICES and service not in services:
                    continue  # e.g. DLM failed: EBS snapshots and the instance were still read
                if _relevant(scope.scope, idents, self._names):
                    found.append(f"source '{run.name}' could not read {scope.scope}: "
                                 f"{scope.error or 'no detail'}")
        return found


def _relevant(scope: str, idents: frozenset[str], names: frozenset[str] = frozenset()) -> bool:
    """Could this failed scope hold evidence about the subject known by ``idents``?

    A scope naming regions or accounts matters if they are the subject's (an account we do not
    know ours for may be ours); else a scope naming the subject matters, one naming only other
    subjects does not, and one we cannot place may hold anything, so it matters.
    """
    text = scope.lower()
    regions, accounts = _REGION.findall(text), _ACCOUNT.findall(text)
    if regions or accounts:
        ours = [x for x in idents if _ACCOUNT.fullmatch(x)]
        region_ok = not regions or any(r in idents for r in regions)
        # Without a known account of our own, a scope naming an account may still be ours.
        account_ok = not accounts or not ours or any(a in idents for a in accounts)
        return region_ok and account_ok
    if any(ident in text for ident in idents):
        return True
    return not any(name in text for name in names)

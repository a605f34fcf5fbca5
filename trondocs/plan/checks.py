"""Checks beyond types: names, references, dependencies, boot order, witnesses, waivers."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Set
from urllib.parse import urlsplit

from trondocs.diagnostics import Diagnostic, Level, did_you_mean
from trondocs.plan.loaded import LoadedPlan
from trondocs.plan.models import Medium, NodeRole, Plan
from trondocs.systems import protection_system
from trondocs.wording import count_noun

NAMED_SECTIONS = ("sites", "nodes", "protection", "failover_plans")
# Node names are identifiers: typed on the command line (drill watch NODE), used in waivers,
# metric labels and file names. Letters, digits, '.', '_' and '-', starting with a letter or digit.
NODE_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
_NODE_NAME = re.compile(NODE_NAME_PATTERN)


def check_plan(
    loaded: LoadedPlan, *, today: dt.date, known_rules: set[str] | None = None,
    unvalidated: Mapping[str, Set[str]] | None = None,
) -> list[Diagnostic]:
    """Every problem beyond types. ``unvalidated``: names, per section, of items that failed
    validation and were left out of the plan; references to them are not reported again."""
    found: list[Diagnostic] = []
    for check in (_node_names, _duplicate_names, _cycles, _boot_order, _witnesses,
                  _protection_fits, _media_names, _site_claims):
        found.extend(check(loaded))
    found.extend(_references(loaded, unvalidated or {}))
    found.extend(_waivers(loaded, today, known_rules))
    return found


def _diag(loaded: LoadedPlan, level: Level, code: str, path: tuple, message: str,
          hint: str) -> Diagnostic:
    return Diagnostic(level=level, code=code, message=message, hint=hint,
                      location=loaded.source_map.locate(path))


def _node_names(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    for index, node in enumerate(loaded.plan.nodes):
        if not _NODE_NAME.match(node.name):
            yield _diag(loaded, Level.ERROR, "node-name", ("nodes", index, "name"),
                        f"node name {node.name!r} is not an identifier",
                        "use up to 64 letters, digits, '-', '_' and '.', starting with a letter or "
                        "digit (like 'witness-a'): a node name is typed on the command line and "
                        "becomes a file name")


def _duplicate_names(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    for section in NAMED_SECTIONS:
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(loaded.plan, section)):
            if item.name in seen:
                first = loaded.source_map.locate((section, seen[item.name], "name"))
                yield _diag(loaded, Level.ERROR, "duplicate-name", (section, index, "name"),
                            f"{section[:-1] if section != 'protection' else 'protection'} "
                            f"'{item.name}' is declared twice (first at {first})",
                            "give each one a unique name")
            else:
                seen[item.name] = index


class _Names(list):
    """Declared names in order (for did-you-mean), with membership in constant time."""

    def __init__(self, names) -> None:
        super().__init__(names)
        self._members = set(self)

    def __contains__(self, name: object) -> bool:
        return name in self._members


def _references(loaded: LoadedPlan, unvalidated: Mapping[str, Set[str]]) -> Iterator[Diagnostic]:
    plan = loaded.plan
    nodes = _Names([*(n.name for n in plan.nodes), *unvalidated.get("nodes", ())])
    sites = _Names([*(s.name for s in plan.sites), *unvalidated.get("sites", ())])
    plans = _Names([*(f.name for f in plan.failover_plans), *unvalidated.get("failover_plans", ())])

    def ref(kind: str, name: str | None, known: list[str], path: tuple) -> Iterator[Diagnostic]:
        if name is not None and name not in known:
            hint = did_you_mean(name, known) or (
                f"declare {kind} '{name}' under '{kind}s:'" if known or kind != "site"
                else "declare it under 'sites:'")
            yield _diag(loaded, Level.ERROR, f"unknown-{kind.replace(' ', '-')}", path,
                        f"unknown {kind} '{name}'", hint)

    for i, node in enumerate(plan.nodes):
        yield from ref("site", node.runs_on.site, sites, ("nodes", i, "runs_on", "site"))
        for j, dep in enumerate(node.depends_on):
            yield from ref("node", dep, nodes, ("nodes", i, "depends_on", j))
            if dep == node.name:
                yield _diag(loaded, Level.ERROR, "self-dependency", ("nodes", i, "depends_on", j),
                            f"node '{node.name}' depends on itself", "remove it from depends_on")
    for i, prot in enumerate(plan.protection):
        for j, covered in enumerate(prot.covers):
            yield from ref("node", covered, nodes, ("protection", i, "covers", j))
        yield from ref("site", prot.to, sites, ("protection", i, "to"))
        yield from ref("site", prot.copy_to, sites, ("protection", i, "copy_to"))
    for i, fplan in enumerate(plan.failover_plans):
        yield from ref("site", fplan.to, sites, ("failover_plans", i, "to"))
        for j, step in enumerate(fplan.boot):
            yield from ref("node", step.node, nodes, ("failover_plans", i, "boot", j, "node"))
    for i, waiver in enumerate(plan.waivers):
        yield from ref("node", waiver.node, nodes, ("waivers", i, "node"))
    for i, drill in enumerate(plan.drills):
        yield from ref("node", drill.node, nodes, ("drills", i, "node"))
        yield from ref("failover plan", drill.plan, plans, ("drills", i, "plan"))


def _cycles(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    graph = {n.name: [d for d in n.depends_on if d != n.name] for n in loaded.plan.nodes}
    reported: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(name: str, stack: list[str]) -> Iterator[list[str]]:
        state[name] = 1
        for dep in graph.get(name, []):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                yield [*stack[stack.index(dep):], dep] if dep in stack else [name, dep]
            elif state.get(dep) is None:
                yield from visit(dep, [*stack, dep])
        state[name] = 2

    for start in graph:
        if state.get(start) is None:
            for cycle in visit(start, [start]):
                key = frozenset(cycle)
                if key in reported:
                    continue
                reported.add(key)
                index = next(i for i, n in enumerate(loaded.plan.nodes) if n.name == cycle[0])
                yield _diag(loaded, Level.ERROR, "dependency-cycle", ("nodes", index, "depends_on"),
                            "dependency cycle: " + " → ".join(cycle),
                            "a node cannot (indirectly) depend on itself; remove one of these "
                            "depends_on entries")


def _boot_order(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    for i, fplan in enumerate(loaded.plan.failover_plans):
        position = {step.node: j for j, step in enumerate(fplan.boot)}
        for j, step in enumerate(fplan.boot):
            node = loaded.plan.node(step.node)
            if node is None:
                continue
            for dep in node.depends_on:
                if dep in position and position[dep] > j:
                    yield _diag(
                        loaded, Level.ERROR, "boot-before-dependency",
                        ("failover_plans", i, "boot", j, "node"),
                        f"failover plan '{fplan.name}' starts '{step.node}' before '{dep}', "
                        "which it depends on",
                        f"move '{dep}' above '{step.node}' in the boot list",
                    )


def _witnesses(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    plan = loaded.plan
    witnesses = [(i, n) for i, n in enumerate(plan.nodes) if n.role is NodeRole.WITNESS]
    counts = Counter(n.priority for _, n in witnesses if n.priority is not None)
    for i, node in witnesses:
        if node.priority is not None and counts[node.priority] > 1:
            others = [n.name for _, n in witnesses if n.priority == node.priority and n is not node]
            yield _diag(loaded, Level.ERROR, "duplicate-priority", ("nodes", i, "priority"),
                        f"witness '{node.name}' has priority {node.priority}, like "
                        + ", ".join(f"'{o}'" for o in others),
                        "give each witness its own failover priority (1 produces, 2 stands by)")
        host = urlsplit(node.endpoint).hostname if node.endpoint else None
        if node.backup is not None and host and host in node.backup.members:
            yield _diag(loaded, Level.WARNING, "backup-member-self", ("nodes", i, "backup", "members"),
                        f"witness '{node.name}' lists its own address {host} among its backup members",
                        "node.backup.members lists the other witnesses' IPs only (java-tron config.conf: "
                        "\"can't contain mine\"); java-tron still counts it in backupMemberSize")
        if node.priority is None and len(witnesses) > 1:
            yield _diag(loaded, Level.WARNING, "missing-priority", ("nodes", i),
                        f"witness '{node.name}' has no failover priority",
                        "add 'priority: 1' to the producing witness and 2, 3… to standbys")
    if plan.organization.elected and len(witnesses) < 2:
        yield _diag(loaded, Level.WARNING, "no-standby-witness", ("organization", "elected"),
                    "the SR is elected but has no standby witness: an outage of the producing "
                    "witness costs blocks for the whole recovery time",
                    "declare a second witness node with 'priority: 2' in another failure domain")


def _protection_fits(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    """A protection names a kind its system has jobs of, and covers nodes on its system's platform."""
    for i, prot in enumerate(loaded.plan.protection):
        system = protection_system(prot.system)
        if prot.kind.value not in system.kinds:
            yield _diag(loaded, Level.ERROR, "kind-not-in-system", ("protection", i, "kind"),
                        f"{prot.system.value} has no '{prot.kind.value}' jobs",
                        f"use one of: {', '.join(sorted(system.kinds))}")
        for j, covered in enumerate(prot.covers):
            node = loaded.plan.node(covered)
            if node is not None and node.runs_on.source.value != system.platform:
                yield _diag(loaded, Level.ERROR, "system-cannot-protect", ("protection", i, "covers", j),
                            f"{prot.system.value} protects {system.platform} "
                            f"workloads, but node '{covered}' runs on {node.runs_on.source.value}",
                            "cover this node with a job of a system that reaches it")


def _media_names(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    media = [m.value for m in Medium]
    for medium in loaded.plan.three_two_one.failure_probability:
        if medium not in media:
            yield _diag(loaded, Level.ERROR, "unknown-medium",
                        ("three_two_one", "failure_probability", medium),
                        f"unknown medium '{medium}'",
                        did_you_mean(medium, media) or f"use one of: {', '.join(media)}")


def _site_claims(loaded: LoadedPlan) -> Iterator[Diagnostic]:
    """A name reported by a source places a restore point at one site: two sites cannot claim it."""
    claimed: dict[tuple[str, str], str] = {}
    for i, site in enumerate(loaded.plan.sites):
        for kind, names in site.holds.names().items():
            for j, name in enumerate(names):
                key = (kind, name.casefold())
                if key in claimed and claimed[key] != site.name:
                    yield _diag(loaded, Level.ERROR, "site-claim-twice", ("sites", i, "holds", f"{kind}s", j),
                                f"{kind} '{name}' is claimed by sites '{claimed[key]}' and '{site.name}'",
                                "a restore point is at one site: keep the name under one site's 'holds'")
                claimed.setdefault(key, site.name)
        if site.region:
            key = ("region", f"{site.region}/{site.account or ''}")
            if key in claimed and claimed[key] != site.name:
                yield _diag(loaded, Level.ERROR, "site-claim-twice", ("sites", i, "region"),
                            f"region {site.region}" + (f" in account {site.account}" if site.account else "")
                            + f" is claimed by sites '{claimed[key]}' and '{site.name}'",
                            "give each AWS site its own region, or its own account in that region")
            claimed.setdefault(key, site.name)


def _waivers(loaded: LoadedPlan, today: dt.date, known_rules: set[str] | None
             ) -> Iterator[Diagnostic]:
    for i, waiver in enumerate(loaded.plan.waivers):
        if known_rules is not None and waiver.rule not in known_rules:
            yield _diag(loaded, Level.ERROR, "unknown-rule", ("waivers", i, "rule"),
                        f"waiver for unknown rule {waiver.rule}",
                        did_you_mean(waiver.rule, sorted(known_rules))
                        or "list the rules with 'trondocs rules'")
        if waiver.expires < today:
            yield _diag(loaded, Level.WARNING, "waiver-expired", ("waivers", i, "expires"),
                        f"waiver of {waiver.rule}" + (f" for '{waiver.node}'" if waiver.node else "")
                        + f" expired on {waiver.expires.isoformat()}: the finding counts again",
                        "fix the finding, or renew the waiver with a new 'expires' date and reason")


def plan_summary(plan: Plan) -> str:

    return (f"{plan.organization.name}: {count_noun(len(plan.nodes), 'node')}, "
            f"{count_noun(len(plan.sites), 'site')}, {count_noun(len(plan.protection), 'protection')}, "
            f"{count_noun(len(plan.failover_plans), 'failover plan')}")

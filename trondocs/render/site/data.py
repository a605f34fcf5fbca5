"""What every page is built from, and look-ups the page builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from trondocs.evaluate.models import Assessment, Finding, RuleInfo
from trondocs.plan.models import Node, Plan
from trondocs.render.site.labels import link, unique_slugs
from trondocs.state.models import Asset, AssetKind, NodeStatus, ProtectionJob, RestorePoint, State

# The network's head for runbook checks, unless the plan's settings name one.
REFERENCE_ENDPOINT = "https://api.trongrid.io"


@dataclass(frozen=True)
class Picture:
    """An SVG written beside the pages; ``path`` is relative to the docs folder."""

    path: str
    svg: str
    alt: str
    src: str  # the path relative to the page that shows it


@dataclass
class SiteData:
    """The inputs of the site: the plan, the state, the assessment and the rule catalogue."""

    plan: Plan
    state: State
    assessment: Assessment
    rules: list[RuleInfo] = field(default_factory=list)
    report_pdf: bool = False  # a report.pdf will sit beside the site's pages
    logo: str | None = None  # docs-relative path of the copied logo
    trondocs_version: str = ""
    baseline: State | None = None  # the earlier snapshot the dashboard compares with

    @cached_property
    def slugs(self) -> dict[str, str]:
        return unique_slugs([n.name for n in self.plan.nodes])

    @cached_property
    def _plan_slugs(self) -> dict[str, str]:
        return unique_slugs([p.name for p in self.plan.failover_plans])

    def slug_for_plan(self, name: str) -> str:
        return self._plan_slugs[name]

    def node_page(self, name: str) -> str:
        return f"nodes/{self.slugs[name]}.md"

    def runbook_page(self, name: str) -> str:
        return f"runbooks/{self.slugs[name]}.md"

    def node_link(self, from_page: str, name: str) -> str | None:
        """Link to a node's page, or None for names that are not nodes of the plan."""
        return link(from_page, self.node_page(name)) if name in self.slugs else None

    @cached_property
    def _assets(self) -> dict[str, Asset]:
        found: dict[str, Asset] = {}
        for asset in self.state.assets:
            if asset.kind is not AssetKind.REPLICA:
                found.setdefault(asset.name, asset)
                found.setdefault(asset.id, asset)
        return found

    def asset(self, node: Node) -> Asset | None:
        return self._assets.get(node.runs_on.asset_name)

    def replicas(self, node: Node) -> list[Asset]:
        vm = node.runs_on.vm
        return [a for a in self.state.assets if a.kind is AssetKind.REPLICA and vm and a.replica_of == vm]

    @cached_property
    def _points(self) -> dict[str, list[RestorePoint]]:
        found: dict[str, list[RestorePoint]] = {}
        for point in self.state.restore_points:
            found.setdefault(point.asset_name, []).append(point)
            if point.asset_id and point.asset_id != point.asset_name:
                found.setdefault(point.asset_id, []).append(point)
        return found

    def restore_points(self, node: Node) -> list[RestorePoint]:
        """The node's restore points, newest first (ties broken by id, for stable pages)."""
        points = {p.id: p for p in self._points.get(node.runs_on.asset_name, [])}
        return sorted(points.values(), key=lambda p: (p.created, p.id), reverse=True)

    @cached_property
    def _jobs_by_id(self) -> dict[tuple[str, str], ProtectionJob]:
        return {(j.source, j.id): j for j in self.state.jobs}

    def job_by_id(self, source: str | None, job_id: str | None) -> ProtectionJob | None:
        """A job evaluation attributed, by the source and id it recorded (a look-up, not a match)."""
        return self._jobs_by_id.get((source or "", job_id or ""))

    def job(self, name: str) -> ProtectionJob | None:
        return next((j for j in self.state.jobs if j.name == name), None)

    def jobs_targeting(self, node: Node) -> list[ProtectionJob]:
        asset = self.asset(node)
        names = {node.runs_on.asset_name} | ({asset.name, asset.id} if asset else set())
        tags = asset.tags if asset else {}
        return [j for j in self.state.jobs
                if names & set(j.targets)
                or (j.target_tags and all(tags.get(k) == v for k, v in j.target_tags.items()))]

    def node_status(self, name: str) -> NodeStatus | None:
        return next((s for s in self.state.node_status if s.node == name), None)

    @cached_property
    def _findings(self) -> dict[str | None, list[Finding]]:
        found: dict[str | None, list[Finding]] = {}
        for finding in self.assessment.findings:
            found.setdefault(finding.node, []).append(finding)
        return found

    def findings_for(self, name: str) -> list[Finding]:
        """The node's findings in the assessment's order (worst first)."""
        return list(self._findings.get(name, []))

    @property
    def site_name(self) -> str:
        return self.plan.settings.site_name or f"{self.plan.organization.name} — DR plan"

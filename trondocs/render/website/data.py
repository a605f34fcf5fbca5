"""What every page is built from, and look-ups the page builders share."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from trondocs.evaluate.models import Assessment, Finding, RuleInfo
from trondocs.plan.models import Node, Plan
from trondocs.render.svg import ReadinessPoint
from trondocs.render.website.labels import link, unique_slugs
from trondocs.state.models import Asset, NodeStatus, ProtectionJob, State

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
    # The evidence history as evaluated, oldest first, the current run last (the workflow
    # evaluates the snapshots; empty when there is no history).
    history: list[ReadinessPoint] = field(default_factory=list)

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
    def _assets(self) -> dict[tuple[str, str], Asset]:
        return {(a.source, a.id): a for a in self.state.assets}

    def asset(self, node: Node) -> Asset | None:
        """The VM or instance evaluation attributed to the node (a look-up, not a match)."""
        evidence = self.assessment.node(node.name)
        found = evidence.attribution.asset if evidence else None
        return self._assets.get((found.source, found.id)) if found else None

    def replicas(self, node: Node) -> list[Asset]:
        """The replica VMs evaluation attributed to the node."""
        evidence = self.assessment.node(node.name)
        found = evidence.attribution.replicas if evidence else []
        return [a for r in found if (a := self._assets.get((r.source, r.id))) is not None]

    @cached_property
    def _jobs_by_id(self) -> dict[tuple[str, str], ProtectionJob]:
        return {(j.source, j.id): j for j in self.state.jobs}

    def job_by_id(self, source: str | None, job_id: str | None) -> ProtectionJob | None:
        """A job evaluation attributed, by the source and id it recorded (a look-up, not a match)."""
        return self._jobs_by_id.get((source or "", job_id or ""))

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

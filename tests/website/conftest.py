"""Site fixtures: the example SR (inventory/ + tests/factories.py::example_state()) evaluated,
and helpers to build a site from it once per session."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import AS_OF, example_state
from trondocs.cli import cli
from trondocs.evaluate import evaluate
from trondocs.evaluate.models import Assessment, Finding, Severity, Status
from trondocs.evaluate.rules import catalogue
from trondocs.plan import load_plan
from trondocs.render.website import SiteData, build_site
from trondocs.render.website.render import environment, render_site
from trondocs.state.io import save_state


def example_data(**state_options) -> SiteData:
    """The example SR's site inputs, evaluated at the capture time."""
    loaded = load_plan(EXAMPLE_INVENTORY, today=AS_OF.date(), known_rules={r.id for r in catalogue()})
    state = example_state(**state_options)
    assessment = evaluate(loaded, state, as_of=AS_OF)
    return SiteData(plan=loaded.plan, state=state, assessment=assessment,
                    rules=[r.info for r in catalogue()], trondocs_version="0.0-test")


def with_findings(data: SiteData, findings: list[Finding], **fields) -> SiteData:
    """The same site inputs with a hand-made assessment (for cases the example does not show)."""
    from trondocs.evaluate.engine import summary

    assessment: Assessment = data.assessment.model_copy(
        update={"findings": findings, "summary": summary(findings), **fields})
    return replace(data, assessment=assessment)


def finding(rule: str, node: str | None, status: Status = Status.FAIL, severity: Severity = Severity.HIGH,
            **fields) -> Finding:
    return Finding(rule=rule, title=fields.pop("title", f"title of {rule}"), severity=severity,
                   status=status, node=node, message=fields.pop("message", f"message of {rule}"), **fields)


def render_markdown(data: SiteData, user_templates: list[Path] | None = None) -> dict[str, str]:
    rendered = render_site(data, environment(user_templates))
    return {**rendered.pages, "mkdocs.yml": rendered.mkdocs_yml}


@pytest.fixture(scope="session")
def data() -> SiteData:
    return example_data()


@pytest.fixture(scope="session")
def markdown(data) -> dict[str, str]:
    return render_markdown(data)


@pytest.fixture(scope="session")
def built(tmp_path_factory, data) -> Path:
    """The example site, built once: ``built / "site"`` and the Markdown in ``built / "md"``."""
    root = tmp_path_factory.mktemp("example-site")
    build_site(data, root / "site", markdown_dir=root / "md")
    return root


AS_OF_TEXT = AS_OF.strftime("%Y-%m-%d %H:%M UTC")
LATER = AS_OF + dt.timedelta(hours=1)


EARLIER = 4  # snapshots in the evidence history before the current one


@pytest.fixture(scope="session")
def history_site(tmp_path_factory) -> Path:
    """``trondocs build`` with an evidence history of EARLIER snapshots before the state."""
    root = tmp_path_factory.mktemp("history-site")
    state = example_state()
    save_state(state, root / "state.json")
    from tests.website.history_helpers import earlier_snapshots

    earlier_snapshots(state, root / "evidence", EARLIER)
    args = ["build", "-i", EXAMPLE_INVENTORY, "--state", root / "state.json", "--history", root / "evidence",
            "-o", root / "site"]
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr  # built (no --fail-on: the findings do not decide)
    return root / "site"

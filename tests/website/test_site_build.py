"""The built site: content from the assessment on the right pages, identical Markdown on every
render, strict links, self-contained HTML, and an old site left intact when a build fails."""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from tests.website.conftest import example_data, render_markdown
from trondocs.evaluate.models import Assessment
from trondocs.render.website import SiteBuildError, build_site
from trondocs.state.io import dumps_state


def html(built: Path, page: str) -> str:
    return (built / "site" / page).read_text(encoding="utf-8")


def visible(text: str) -> str:
    """Page text without tags, entities unescaped: what a reader sees."""
    import html as _html

    return " ".join(_html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_page_is_built(built, data):
    site = built / "site"
    for name in ("index", "plan", "findings", "drills", "rules", "downloads", "about", "nodes/index",
                 "runbooks/index"):
        assert (site / f"{name}.html").is_file(), name
    for node in data.plan.nodes:
        assert (site / "nodes" / f"{node.name}.html").is_file()
        assert (site / "runbooks" / f"{node.name}.html").is_file()
    assert (site / "search" / "search_index.js").is_file()  # offline search index
    assert (site / "assets" / "vendor" / "iframe-worker" / "shim.js").is_file()


def test_dashboard_shows_the_assessment(built, data):
    text = visible(html(built, "index.html"))
    assert "NOT READY" in text and "Evidence as of 2026-11-20 06:00 UTC" in text
    for node in data.assessment.nodes:
        assert node.node in text
    assert "FAIL 38m / 15m" in text  # witness-a's RPO badge, achieved and target
    assert "PASS 24m 10s / 30m" in text  # full-01's measured RTO: the drill, not Veeam's session inside it
    assert "Block production" in text and "Producing now" in text  # the SR's record on the chain
    assert "Standby witness: The standby witness (witness-b) would not take over as planned" in text
    failing = data.assessment.summary.by_status["fail"]
    assert f"FAIL {failing}" in text
    assert "vcenter vsphere ok 2026-11-20 05:57 UTC" in text


def test_node_page_holds_its_findings_chart_and_names(built, data):
    page = html(built, "nodes/witness-b.html")
    text = visible(page)
    for f in data.assessment.findings_for("witness-b"):
        assert f.rule in text
    stale = next(f for f in data.assessment.findings_for("witness-b") if f.rule == "TRD503")
    assert stale.message in text
    assert "tron-witness-02" in text and "esx-02.buc.carpathian-nodes.ro" in text
    assert "Replicate TRON nodes" in text and "every 1h" in text
    assert 'src="../assets/charts/rpo-witness-b.svg"' in page
    assert (built / "site" / "assets" / "charts" / "rpo-witness-b.svg").read_text().startswith("<svg")
    # No finding of another node leaks onto this page.
    other = next(f for f in data.assessment.findings_for("full-aws-01") if f.rule == "TRD406")
    assert other.message not in text


def test_runbook_pages_use_the_real_names_and_end_with_the_head_block_check(built):
    text = visible(html(built, "runbooks/full-01.html"))
    # The replica is 38m old against a 15m plan: the failover step says so before its instructions.
    assert "This path does not exist as the plan says" in text
    assert "the newest replica point is 38m old, beyond 30m" in text
    assert "tron-full-01_replica" in text and "esx-dr-01.cluj.carpathian-nodes.ro" in text
    assert "TRON site failover" in text and "Backup TRON nodes" in text
    assert "curl -s http://10.10.0.21:8090/wallet/getnowblock" in text
    assert "curl -s https://api.trongrid.io/wallet/getnowblock" in text
    aws = visible(html(built, "runbooks/full-aws-01.html"))
    assert "aws ec2 create-volume --region eu-central-1 --availability-zone eu-central-1a" in aws
    assert "--source-region eu-west-1" in aws and "i-0a1b2c3d4e5f60718" in aws
    witness = visible(html(built, "runbooks/witness-a.html"))
    assert "Standby witness takeover" in witness and "/wallet/listwitnesses" in witness


def test_findings_rules_drills_and_downloads(built, data):
    findings = visible(html(built, "findings.html"))
    assert "re-syncing from peers is the recovery path for this node (until 2027-03-31" in findings
    rules = html(built, "rules.html")
    for rule in data.rules:
        assert f'id="{rule.id.lower()}"' in rules
    drills = visible(html(built, "drills.html"))
    assert "OVERDUE by 68d" in drills and "standby witness takeover" in drills
    downloads = html(built, "downloads.html")
    assert 'href="state.json"' in downloads and 'href="findings.json"' in downloads
    assert "report.pdf" not in re.findall(r'href="([^"]+)"', downloads)
    assert (built / "site" / "state.json").read_text() == dumps_state(data.state)
    assert (built / "site" / "findings.json").read_text() == data.assessment.model_dump_json(indent=2) + "\n"
    copied = Assessment.model_validate_json((built / "site" / "findings.json").read_text())
    assert copied == data.assessment


def test_the_site_loads_nothing_from_the_internet(built):
    for page in (built / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        tags = re.findall(r"<(?:script|img|link|iframe|source|object|embed)\b[^>]*>", text)
        # rel=canonical names the page's public address (settings.site_url); nothing loads it.
        loads = [re.search(r'(?:src|href|data)="([^"]+)"', t).group(1) for t in tags
                 if 'rel="canonical"' not in t and re.search(r'(?:src|href|data)="', t)]
        assert loads and not [u for u in loads if re.match(r"(https?:)?//", u)], page
        assert "fonts.googleapis" not in text and "unpkg.com" not in text


def test_markdown_is_identical_on_every_render(tmp_path, built):
    first, second = render_markdown(example_data()), render_markdown(example_data())
    assert first == second
    build_site(example_data(), tmp_path / "site", markdown_dir=tmp_path / "md")
    again, before = _snapshot(tmp_path / "md"), _snapshot(built / "md")  # a build earlier in the session
    assert sorted(again) == sorted(before) and len(again) > 20
    for name, content in again.items():
        assert content == before[name], name


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory, data) -> Path:
    out = tmp_path_factory.mktemp("previous") / "site"
    build_site(data, out)
    (out / "marker.txt").write_text("the previous site")
    return out


@pytest.fixture
def old_site(tmp_path, previous_site) -> Path:
    """A copy of a complete earlier site, for a test to try to replace."""
    out = tmp_path / "site"
    shutil.copytree(previous_site, out)
    return out


def _assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    assert _snapshot(out) == before
    leftovers = [p.name for p in out.parent.iterdir() if p.name.startswith(".site.")]
    assert leftovers == []


def test_a_template_that_raises_leaves_the_previous_site(tmp_path, old_site, data):
    before = _snapshot(old_site)
    user = tmp_path / "templates" / "site"
    user.mkdir(parents=True)
    (user / "about.md.j2").write_text("# About\n\n{{ c.no_such_field }}\n")
    with pytest.raises(SiteBuildError, match=r"template site/about\.md\.j2: .*no_such_field"):
        build_site(data, old_site, user_templates=[tmp_path / "templates"])
    _assert_untouched(old_site, before)


@pytest.mark.parametrize("link, problem", [("missing.md", "missing.md"),
                                           ("rules.md#no-such-rule", "no-such-rule")])
def test_strict_mode_fails_on_a_broken_link_and_keeps_the_previous_site(tmp_path, old_site, data, link,
                                                                        problem):
    before = _snapshot(old_site)
    user = tmp_path / "templates" / "site"
    user.mkdir(parents=True)
    (user / "about.md.j2").write_text(f"# About\n\nSee [this]({link}).\n")
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # a caller that silenced logging must not disable strict mode
    try:
        with pytest.raises(SiteBuildError, match=re.escape(problem)) as caught:
            build_site(data, old_site, user_templates=[tmp_path / "templates"])
    finally:
        root.setLevel(level)
    assert "about.md" in caught.value.problems[0]
    _assert_untouched(old_site, before)


def test_mkdocs_in_a_child_process_builds_the_same_site(tmp_path, built, data):
    out = tmp_path / "site"
    result = build_site(data, out, separate_process=True)
    assert (result.pages, result.pages_kept) == (len(list((built / "md" / "docs").rglob("*.md"))), 0)
    assert _snapshot(out) == _snapshot(built / "site")


def test_mkdocs_in_a_child_process_reports_what_strict_mode_refused(tmp_path, old_site, data):
    before = _snapshot(old_site)
    user = tmp_path / "templates" / "site"
    user.mkdir(parents=True)
    (user / "about.md.j2").write_text("# About\n\nSee [this](missing.md).\n")
    with pytest.raises(SiteBuildError, match=r"missing\.md") as caught:
        build_site(data, old_site, user_templates=[tmp_path / "templates"], separate_process=True)
    assert str(caught.value).startswith("mkdocs refused the site: ")
    assert "about.md" in caught.value.problems[0]
    _assert_untouched(old_site, before)


def test_mkdocs_in_a_child_process_keeps_the_unchanged_pages(tmp_path, data):
    out = tmp_path / "site"
    build_site(data, out)
    from trondocs.render.website.reuse import INPUTS_FILE

    (out / INPUTS_FILE).unlink()  # else the same inputs keep the whole site and mkdocs never runs
    again = build_site(data, out, separate_process=True)
    assert again.pages_kept == again.pages and not again.reused


class _CtrlC(logging.Handler):
    """Ctrl-C the moment mkdocs reports it has written every page (the last step of its build)."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("Documentation built in"):
            staged = [p for p in self.parent.iterdir() if p.name.startswith(".site.build.")]
            assert staged and (staged[0] / "index.html").is_file()  # the new site is complete…
            raise KeyboardInterrupt  # …but not yet in place


def test_ctrl_c_at_the_end_of_the_mkdocs_build_leaves_the_previous_site(old_site, data):
    before = _snapshot(old_site)
    handler = _CtrlC(logging.INFO)
    handler.parent = old_site.parent
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addHandler(handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            build_site(data, old_site)
    finally:
        logger.removeHandler(handler)
    _assert_untouched(old_site, before)


def test_a_crash_just_after_the_swap_leaves_the_new_site_complete_and_no_staging(old_site, data,
                                                                                 monkeypatch):
    from trondocs import fsutil

    def crash(step):
        raise KeyboardInterrupt(step)

    monkeypatch.setattr(fsutil, "_step", crash)
    with pytest.raises(KeyboardInterrupt):
        build_site(data, old_site)
    assert (old_site / "index.html").is_file() and not (old_site / "marker.txt").exists()
    assert (old_site / "search" / "search_index.js").is_file()
    assert [p.name for p in old_site.parent.iterdir() if p.name.startswith(".site.")] == []


def test_a_full_disk_while_writing_the_markdown_names_the_site(tmp_path, data, monkeypatch):
    import errno

    from trondocs.render.website import build as site_build

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site_build, "state_json_bytes", full)
    with pytest.raises(OSError, match="No space left on device") as caught:
        build_site(data, tmp_path / "site")
    assert caught.value.filename == str(tmp_path / "site")


def test_a_user_template_overrides_the_built_in_one_by_name(tmp_path, data):
    user = tmp_path / "templates" / "site"
    user.mkdir(parents=True)
    (user / "about.md.j2").write_text("# About us\n\nRun by {{ c.nodes }} nodes of care.\n")
    build_site(data, tmp_path / "site", user_templates=[tmp_path / "templates"])
    text = visible((tmp_path / "site" / "about.html").read_text())
    assert "Run by 5 nodes of care." in text and "How this site was made" not in text
    assert "NOT READY" in visible((tmp_path / "site" / "index.html").read_text())  # the rest is built in


def test_report_is_linked_and_kept_when_a_later_step_writes_it(old_site, data):
    out = old_site
    (out / "report.pdf").write_bytes(b"%PDF-1.7 previous")
    build_site(replace(data, report_pdf=True), out, keep=("report.pdf",))
    assert (out / "report.pdf").read_bytes() == b"%PDF-1.7 previous"
    assert 'href="report.pdf"' in (out / "downloads.html").read_text()
    build_site(data, out)  # a plain site build does not carry a report it will not link
    assert not (out / "report.pdf").exists()


def test_settings_name_logo_colours_and_url_reach_the_site(tmp_path):
    data = example_data()
    settings = data.plan.settings.model_copy(update={
        "site_name": "Acme <DR>", "site_url": "https://dr.example.org/",
        "colors": data.plan.settings.colors.model_copy(update={"primary": "teal", "accent": "pink"})})
    odd = "rack | B14 <b>hot</b> *aisle* [x](y.md) `z`"  # user text must show as written, not as markup
    nodes = [n.model_copy(update={"description": odd}) if n.name == "full-01" else n for n in data.plan.nodes]
    data = replace(data, plan=data.plan.model_copy(update={"settings": settings, "nodes": nodes}))
    logo = tmp_path / "Logo.SVG"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    build_site(data, tmp_path / "site", logo=logo, markdown_dir=tmp_path / "md")
    config = (tmp_path / "md" / "mkdocs.yml").read_text()
    assert 'site_name: "Acme &lt;DR&gt;"' in config and 'site_url: "https://dr.example.org/"' in config
    assert 'logo: "assets/logo.svg"' in config and "font: false" in config
    index = (tmp_path / "site" / "index.html").read_text()
    assert 'data-md-color-primary="teal"' in index and 'data-md-color-accent="pink"' in index
    assert 'src="assets/logo.svg"' in index and "Acme &lt;DR&gt;" in index and "Acme <DR>" not in index
    assert (tmp_path / "site" / "assets" / "logo.svg").read_bytes() == logo.read_bytes()
    node = (tmp_path / "site" / "nodes" / "full-01.html").read_text()
    assert visible(node).count(odd) == 1 and "<b>hot</b>" not in node and 'href="y.md"' not in node
    nav = yaml.safe_load(config)["nav"]
    assert nav[:2] == [{"Dashboard": "index.md"}, {"Plan": "plan.md"}]
    assert nav[2]["Nodes"][:2] == ["nodes/index.md", {"witness-a": "nodes/witness-a.md"}]



def test_a_mkdocs_child_that_dies_is_a_site_error_naming_why_without_its_traceback(tmp_path):
    from trondocs.render.website.errors import SiteBuildError
    from trondocs.render.website.mkdocs_process import run_mkdocs_apart

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "hook.py").write_text('def on_config(config):\n    raise RuntimeError("the hook exploded")\n',
                                      encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: crash\ndocs_dir: docs\nhooks: [hook.py]\n", encoding="utf-8")
    with pytest.raises(SiteBuildError) as raised:
        run_mkdocs_apart(config, tmp_path / "site", tmp_path / "no-cache", "v")
    assert str(raised.value) == "mkdocs stopped without building the site: RuntimeError: the hook exploded"
    assert raised.value.problems == ["RuntimeError: the hook exploded"]
    assert not (tmp_path / "site").exists()

"""Names that carry markup, javascript: links and workflow commands come out as text everywhere on
the site and in the PDF: in every page's body, navigation, title and metadata, in the search,
in the report's text, bookmarks and metadata — and in Chromium no injected script runs."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from tests.hostile import COMMAND_TAGS, MARKUP_TAGS, NODE, ORG, hostile_inventory, injected
from tests.report.pdftools import outline, page_texts
from trondocs.cli import cli
from trondocs.render.escape import CONTROLS


def _build(folder: Path, node: str | None = None) -> Path:
    inventory, state = hostile_inventory(folder, node=node)
    result = CliRunner().invoke(cli, ["build", "-i", str(inventory), "--state", str(state), "--no-history",
                                      "-o", str(folder / "site")], catch_exceptions=False)
    assert result.exit_code in (0, 1, 3), result.output  # 3: the failed source
    (folder / "streams.txt").write_bytes((result.stdout + result.stderr).encode())
    return folder / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("hostile"))


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_the_checker_sees_an_injection():  # the test below would prove nothing if this failed
    assert len(injected(f"<p>{ORG}</p>")) == 3
    assert injected(f"<p>{html.escape(ORG)}</p>") == []


def test_no_name_becomes_markup_on_any_page(site):
    pages = _pages(site)
    assert len(pages) >= 20
    problems = {name: found for name, text in pages.items() if (found := injected(text))}
    assert problems == {}


def test_names_show_as_text_in_bodies_navigation_titles_and_metadata(site):
    pages = _pages(site)
    shown = " ".join(html.unescape(text) for text in pages.values())
    for tag in MARKUP_TAGS:
        assert f"{tag}<script>window.tdPwned='{tag}'</script>" in shown.replace("\\", ""), tag
    for tag in COMMAND_TAGS:
        assert f"<b>{tag}</b>" in shown, tag
    footer = re.search(r'<div class="md-copyright__highlight">(.*?)</div>', pages["index.html"], re.S)
    assert _visible(footer.group(1)).startswith(ORG + " · evidence as of")
    description = re.search(r'<meta name="description" content="([^"]*)"', pages["plan.html"]).group(1)
    assert html.unescape(description) == f"Disaster-recovery plan of {ORG}, kept true by trondocs"


def _visible(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def test_the_build_prints_no_workflow_command_or_control_character(site):
    printed = (site.parent / "streams.txt").read_bytes().decode()  # \r kept
    assert "SRCNAME" in printed  # the failed source is named…
    assert not [line for line in printed.split("\n") if line.lstrip().startswith("::")]  # …on its line
    assert not [c for c in CONTROLS.findall(printed) if c != "\n"]


def test_pictures_hold_names_as_text(site, node_site):
    from xml.etree import ElementTree

    pictures = [p for folder in (site, node_site) for kind in ("charts", "diagrams")
                for p in (folder / "assets" / kind).glob("*.svg")]
    assert len(pictures) >= 6
    for picture in pictures:
        tree = ElementTree.parse(picture)  # well-formed: every name was XML-escaped
        tags = {element.tag.rsplit("}", 1)[-1] for element in tree.iter()}
        attributes = {name for element in tree.iter() for name in element.attrib}
        assert "script" not in tags and "img" not in tags, picture
        assert not [a for a in attributes if a.lower().startswith("on")], picture
    graph = (node_site / "plan.html").read_text()
    assert 'alt="Boot order of FONAME&lt;script&gt;' in graph and "NODENAME" in "".join(
        p.read_text() for p in pictures)


def test_the_search_index_holds_text_not_markup(site):
    raw = (site / "search" / "search_index.json").read_text()
    for doc in json.loads(raw)["docs"]:
        assert injected(doc["title"]) == [] and injected(doc["text"]) == [], doc["location"]


def test_the_report_shows_names_as_text_in_pages_bookmarks_and_metadata(site):
    report = site / "report.pdf"
    text = re.sub(r"\s+", "", "".join(page_texts(report)).replace("\x00", ""))
    for tag in ("ORGNAME", "LOCTEXT"):
        assert f"{tag}<script>window.tdPwned='{tag}'</script>" in text, tag
    titles = [title for _, title, _ in outline(report)]
    assert ORG in titles  # a bookmark is plain text: the name as written
    reader = PdfReader(report)
    assert ORG in reader.metadata.title
    uris = [annot.get_object().get("/A", {}).get("/URI", "") for page in reader.pages
            for annot in (page.get("/Annots") or [])]
    assert [u for u in uris if str(u).lower().startswith("javascript:")] == []
    assert b"/JavaScript" not in report.read_bytes() and b"/JS " not in report.read_bytes()
    poppler = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, check=True).stdout.decode()
    words = " ".join(poppler.split())
    assert "VMCMD one ::error" in words and "DESCCMD one ::error" in words  # text with controls…
    assert sorted({repr(c) for c in CONTROLS.findall(poppler) if c not in "\n\x0c"}) == []  # …flattened


@pytest.fixture(scope="module")
def node_site(tmp_path_factory, monkeypatch_module) -> Path:
    """A plan whose node name is hostile (its plan check bypassed): rendering escapes regardless."""
    from trondocs.plan import checks

    monkeypatch_module.setattr(checks, "_node_names", lambda loaded: iter(()))
    return _build(tmp_path_factory.mktemp("hostile-node"), node=NODE)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_a_hostile_node_name_is_text_in_the_navigation_and_every_page(node_site):
    pages = _pages(node_site)
    problems = {name: found for name, text in pages.items() if (found := injected(text))}
    assert problems == {}
    index = pages["index.html"]
    nav = index[index.index('<nav class="md-nav md-nav--primary"'):]
    assert NODE in _visible(nav[:nav.index('<div class="md-content"')]) if '<div class="md-content"' in nav \
        else NODE in _visible(nav)
    page = pages["nodes/nodename-script-window-tdpwned-nodename-script-img-src-x-onerror-window-tdpwned-"
                 "nodename-nodename-link-javascript-window-tdpwned-nodename-nodename-nodename-nodename-co.html"]
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert html.unescape(title).startswith(NODE + " - ") and injected(title) == []
    assert _visible(re.search(r"<h1.*?</h1>", page, re.S).group(0)).rstrip("¶").strip() == NODE


def test_settings_cannot_inject_attributes(tmp_path):
    from dataclasses import replace

    from tests.website.conftest import example_data
    from trondocs.render.website import build_site

    data = example_data()
    attack = "\"/onmouseover=\"window.tdPwned='SETTINGS'"
    settings = data.plan.settings.model_copy(update={
        "site_name": "DR <img src=x onerror=\"window.tdPwned='SITENAME'\">",
        "site_url": f"https://dr.example.org/{attack}",
        "colors": data.plan.settings.colors.model_copy(update={"primary": f"red{attack}",
                                                                "accent": "deep Purple"})})
    data = replace(data, plan=data.plan.model_copy(update={"settings": settings}))
    logo = tmp_path / f"logo.svg{attack.replace('/', '')}"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>')
    build_site(data, tmp_path / "site", logo=logo)
    pages = _pages(tmp_path / "site")
    assert {name: found for name, text in pages.items() if (found := injected(text))} == {}
    index = pages["index.html"]
    assert 'data-md-color-primary="indigo"' in index and 'data-md-color-accent="deep-purple"' in index
    assert 'href="https://dr.example.org/%22/onmouseover=%22window.tdPwned=%27SETTINGS%27/index.html' in index
    assert 'src="assets/logo.tdpwnedsettings"' in index  # the suffix after the last dot, letters only


_INJECTED = """() => ({
  pwned: window.tdPwned === undefined ? null : String(window.tdPwned),
  elements: Array.from(document.querySelectorAll(
    'img[src="x"], [onerror], [onmouseover], a[href^="javascript:" i], b')).filter(
    e => e.tagName !== 'B' || /^(DESCCMD|VMCMD|SRCERR|SRCNAME|NOTESCMD)$/.test(e.textContent)).length,
})"""


@pytest.mark.browser
def test_in_chromium_no_injected_script_runs_and_no_element_exists(site, node_site):
    from tests.website.serve import chromium, search, serve

    with chromium() as browser:
        dialogs: list[str] = []
        for folder, queries in ((site, ("VMNAME", "SITENAME", "JOBNAME")), (node_site, ("NODENAME",))):
            with serve(folder) as base:
                page = browser.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                for name in sorted(str(p.relative_to(folder)) for p in folder.rglob("*.html")):
                    page.goto(f"{base}/{name}")
                    page.wait_for_load_state("networkidle")
                    assert page.evaluate(_INJECTED) == {"pwned": None, "elements": 0}, name
                for query in queries:
                    page.goto(f"{base}/index.html")
                    page.wait_for_load_state("networkidle")
                    hrefs = search(page, query, ".html")
                    assert hrefs and page.evaluate(_INJECTED) == {"pwned": None, "elements": 0}, query
                    assert query in page.locator(".md-search-result").inner_text()
                assert dialogs == []
                page.close()

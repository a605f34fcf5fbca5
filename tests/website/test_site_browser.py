"""The built site in headless Chromium (Debian's /usr/bin/chromium through playwright)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.website.serve import chromium, search, serve

pytestmark = pytest.mark.browser
SCREENS = Path(__file__).resolve().parent.parent / ".cache" / "screens"
DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def base(built):
    with serve(built / "site") as url:
        yield url


class Watch:
    """Every request a page makes and every console error or uncaught exception."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))


def test_every_page_loads_without_errors_or_outside_requests(browser, base, built):
    pages = sorted(str(p.relative_to(built / "site")) for p in (built / "site").rglob("*.html"))
    assert len(pages) >= 20
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    for name in pages:
        response = page.goto(f"{base}/{name}")
        page.wait_for_load_state("networkidle")
        assert response.status == 200, name
        assert page.locator("h1").first.inner_text(), name
    assert watch.errors == []
    outside = [u for u in watch.requests if not u.startswith(base + "/")]
    assert outside == [] and len(watch.requests) > len(pages)
    page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("name", ["index.html", "nodes/witness-b.html"])
def test_screenshots_at_desktop_and_phone_width(browser, base, name, viewport):
    page = browser.new_page(viewport=viewport)
    watch = Watch(page)
    page.goto(f"{base}/{name}")
    page.wait_for_load_state("networkidle")
    # Tables scroll inside their own box: the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    SCREENS.mkdir(parents=True, exist_ok=True)
    shot = SCREENS / f"{name.replace('/', '-').removesuffix('.html')}-{viewport['width']}.png"
    png = page.screenshot(path=str(shot))
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    assert int.from_bytes(png[16:20], "big") == viewport["width"]
    heading = page.locator("h1").first.inner_text().rstrip("¶")  # the permalink sign
    assert heading == ("Carpathian Nodes: DR readiness" if name == "index.html" else "witness-b")
    if name == "index.html":
        assert page.locator(".td-verdict").inner_text().startswith("NOT READY")
    else:
        assert page.locator("img[src$='rpo-witness-b.svg']").evaluate("img => img.naturalWidth") == 640
    assert watch.errors == []
    page.close()


def test_search_for_a_node_name_finds_its_page(browser, base):
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    page.goto(f"{base}/index.html")
    hrefs = search(page, "solidity-01", "nodes/solidity-01.html")
    assert any("/nodes/solidity-01.html" in h for h in hrefs), hrefs
    assert watch.errors == [] and all(u.startswith(base + "/") for u in watch.requests)
    page.close()


def test_search_works_from_disk(browser, built):
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    page.goto((built / "site" / "index.html").as_uri())
    hrefs = search(page, "full-aws-01", "nodes/full-aws-01.html")
    assert any("nodes/full-aws-01.html" in h for h in hrefs), hrefs
    assert [u for u in watch.requests if not u.startswith("file://")] == []
    page.close()


SCHEME = "document.body.getAttribute('data-md-color-scheme')"


@pytest.mark.parametrize(("system", "scheme", "other"), [("light", "default", "slate"),
                                                         ("dark", "slate", "default")])
def test_the_colour_scheme_follows_the_system_and_the_toggle_switches(browser, base, system, scheme, other):
    page = browser.new_page(viewport=DESKTOP, color_scheme=system)
    watch = Watch(page)
    page.goto(f"{base}/index.html")
    page.wait_for_function(f"{SCHEME} === '{scheme}'")
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"index-{system}.png"))
    toggle = page.locator("form[data-md-component='palette'] label.md-header__button:visible")
    assert toggle.count() == 1
    assert toggle.get_attribute("title") == f"Switch to {'dark' if system == 'light' else 'light'} mode"
    toggle.click()
    page.wait_for_function(f"{SCHEME} === '{other}'")
    # The choice is remembered on the next page.
    page.goto(f"{base}/findings.html")
    page.wait_for_function(f"{SCHEME} === '{other}'")
    assert watch.errors == []
    page.close()


# Tables that overflow their own box at this width (the box would scroll sideways).
OVERFLOWING = """() => Array.from(document.querySelectorAll('.md-typeset__scrollwrap'))
  .filter(box => box.scrollWidth > box.clientWidth + 1)
  .map(box => box.innerText.slice(0, 60))"""
# tables.js has labelled the cells with their columns' headings and turned wide tables into cards.
LABELLED = "document.documentElement.getAttribute('data-td-tables') === 'ready'"
MAIN_PAGES = ["index.html", "findings.html", "nodes/index.html", "nodes/witness-b.html", "plan.html",
              "drills.html"]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_main_tables_fit_without_sideways_scrolling(browser, base, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    for name in MAIN_PAGES:
        page.goto(f"{base}/{name}")
        page.wait_for_load_state("networkidle")
        page.wait_for_function(LABELLED)
        assert page.evaluate(OVERFLOWING) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    if width == 390:  # on a phone, a wide table's rows are cards whose cells name their column
        page.goto(f"{base}/index.html")
        page.wait_for_function(LABELLED)
        cell = page.locator("table[data-td-cards] tbody td").first
        label = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label.strip('"') == cell.get_attribute("data-label") != ""
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "index-phone-390.png"), full_page=True)
    page.close()


def test_the_dashboard_shows_readiness_over_time(browser, history_site):
    from tests.website.conftest import EARLIER

    with serve(history_site) as url:
        page = browser.new_page(viewport=DESKTOP)
        watch = Watch(page)
        page.goto(f"{url}/index.html")
        page.wait_for_load_state("networkidle")
        chart = page.locator("img[src$='assets/charts/readiness.svg']")
        assert chart.evaluate("img => img.complete && img.naturalWidth") == 640
        assert "Readiness over time¶" in page.locator("h2").all_inner_texts()  # ¶: the permalink
        # The picture the browser loaded: one bar per snapshot.
        bars = chart.evaluate("""async img => {
          const svg = new DOMParser().parseFromString(await (await fetch(img.src)).text(), 'image/svg+xml');
          return svg.querySelectorAll('rect > title').length;
        }""")
        assert bars == EARLIER + 1
        chart.scroll_into_view_if_needed()
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "index-history.png"))
        assert watch.errors == []
        page.close()

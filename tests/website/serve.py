"""Serve a built site on a free loopback port (http.server in a thread) and drive Chromium."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` serving ``folder`` until the block ends."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium through playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# The theme renders search results asynchronously (its index loads in a worker, and the list is
# rebuilt on every keystroke), so a test never reads the list while it changes: it waits until
# the query is typed in full, the list holds what it looks for, and the list has stayed the same
# for STABLE_MS; then it reads every href in one call.
STABLE_MS = 300
_READY = """() => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta !== null && meta.textContent.trim() !== '' && !/initiali[sz]/i.test(meta.textContent);
}"""
_STABLE_RESULTS = """([query, want, stable]) => {
  const box = document.querySelector('input.md-search__input');
  const hrefs = Array.from(document.querySelectorAll('.md-search-result__item a'),
                           a => a.getAttribute('href') || '');
  const text = hrefs.join('\\n');
  const seen = window.__tdSearch || (window.__tdSearch = {text: null, since: 0});
  if (!box || box.value !== query || !hrefs.some(h => h.includes(want))) {
    seen.text = null;
    return false;
  }
  if (seen.text !== text) {
    seen.text = text;
    seen.since = performance.now();
    return false;
  }
  return performance.now() - seen.since >= stable ? hrefs : false;
}"""


def search(page, query: str, want: str, timeout_ms: int = 30_000) -> list[str]:
    """Type ``query`` into the theme's search and return the result links once they are stable
    and one of them contains ``want`` (a timeout if none ever does)."""
    box = page.locator("input.md-search__input")
    box.click()
    page.wait_for_function(_READY, timeout=timeout_ms)  # keys typed before the index loads are lost
    box.press_sequentially(query, delay=20)  # the theme searches on key events, not on a bare fill
    handle = page.wait_for_function(_STABLE_RESULTS, arg=[query, want, STABLE_MS], timeout=timeout_ms)
    return handle.json_value()

"""Pages whose Markdown did not change are not converted again: an mkdocs plugin that keeps
each page's HTML, table of contents, anchors and search entries from the previous build.

Converting the Markdown (48%) and indexing it for search (26%) are most of a site build at
500 nodes; a build after a change to a few pages redoes them for those pages only. What a
page's HTML is made from, and so what a kept page is checked against:

- the build as a whole (``build_key``): trondocs' and the site packages' versions, the
  Markdown extensions and their options, ``use_directory_urls``, the nav, and the list of
  every file in the docs folder (links are resolved and checked against it) — any change
  converts every page again;
- the page itself (``page_key``): its path, its front matter and its Markdown.

A page without a ``title`` in its front matter is always converted (mkdocs would take its
title from the rendered HTML). The theme still renders every page: the navigation, the
footer and the search index are whole-site. The kept pages travel in the built site
(``CACHE_FILE``, gzipped JSON) and are only written by a build that succeeded: a failed
build's staging folder is thrown away.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from mkdocs.plugins import BasePlugin
from mkdocs.structure.toc import get_toc

CACHE_FILE = ".trondocs-pages.json.gz"
_FORMAT = "trondocs-pages/1"


def _toc_tokens(items) -> list[dict]:
    """The table of contents as the Markdown toc extension's tokens, which ``get_toc`` reads."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)}
            for a in items]


def _search_plugin(config):
    """The search plugin's index, if the site has one that adds pages one at a time."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and callable(getattr(index, "add_entry_from_context", None)):
            return index
    return None


class PageCache(BasePlugin):
    """Registered by ``run_mkdocs`` after the site's own plugins, so it sees their output."""

    def __init__(self, previous: Path | None, versions: str) -> None:
        super().__init__()
        self.previous = previous
        self.versions = versions
        self.kept: dict[str, dict] = {}  # src_uri → the previous build's page, when the build key matched
        self.pages: dict[str, dict] = {}  # this build's pages, for the next one
        self.reused: set[str] = set()
        self.build_key = ""

    # --- the keys -------------------------------------------------------------------------

    def on_files(self, files, *, config):
        listing = sorted(f.src_uri for f in files)
        settings = {
            "versions": self.versions,
            "extensions": [str(e) for e in config["markdown_extensions"]],
            "options": config["mdx_configs"],
            "directory_urls": config["use_directory_urls"],
            "nav": config["nav"],
            "files": listing,
        }
        encoded = json.dumps(settings, sort_keys=True, default=str).encode()
        self.build_key = hashlib.sha256(encoded).hexdigest()
        self.kept = self._load()
        return files

    def _load(self) -> dict[str, dict]:
        if self.previous is None or not self.previous.is_file():
            return {}
        try:
            saved = json.loads(gzip.decompress(self.previous.read_bytes()))
        except (OSError, ValueError, EOFError):
            return {}  # a damaged cache converts every page, as a first build does
        if not isinstance(saved, dict):
            return {}
        if (saved.get("format"), saved.get("build")) != (_FORMAT, self.build_key):
            return {}
        pages = saved.get("pages")
        return pages if isinstance(pages, dict) else {}

    @staticmethod
    def page_key(page, markdown: str) -> str:
        meta = json.dumps(page.meta, sort_keys=True, default=str)
        return hashlib.sha256(f"{page.file.src_uri}\0{meta}\0{markdown}".encode()).hexdigest()

    # --- per page -------------------------------------------------------------------------

    def on_pre_build(self, *, config):
        index = _search_plugin(config)
        if index is None:
            return
        add = index.add_entry_from_context

        def add_entry(page):  # a kept page's entries as they were; a converted page's, recorded
            uri = page.file.src_uri
            if uri in self.reused:
                index.entries.extend(self.kept[uri]["search"])
                self.pages[uri]["search"] = self.kept[uri]["search"]
                return
            before = len(index.entries)
            add(page)
            if uri in self.pages:
                self.pages[uri]["search"] = index.entries[before:]

        index.add_entry_from_context = add_entry

    def on_page_markdown(self, markdown, *, page, config, files):
        key = self.page_key(page, markdown)
        kept = self.kept.get(page.file.src_uri)
        self.pages.pop(page.file.src_uri, None)
        if "title" not in page.meta:
            return markdown
        self.pages[page.file.src_uri] = {"key": key}
        if kept is not None and kept.get("key") == key and "search" in kept:
            self.reused.add(page.file.src_uri)
            return ""  # converted in no time; on_page_content puts the kept HTML back
        return markdown

    def on_page_content(self, html, *, page, config, files):
        uri = page.file.src_uri
        record = self.pages.get(uri)
        if record is None:
            return html
        if uri in self.reused:
            kept = self.kept[uri]
            page.toc = get_toc(kept["toc"])
            page.present_anchor_ids = set(kept["anchors"])
            if page.links_to_anchors is not None:
                page.links_to_anchors = {
                    target: anchors for path, anchors in kept["links"].items()
                    if (target := files.get_file_from_path(path)) is not None}
            html = kept["content"]
        record.update(content=html, toc=_toc_tokens(page.toc), anchors=sorted(page.present_anchor_ids or ()),
                      links={f.src_uri: a for f, a in (page.links_to_anchors or {}).items()})
        return html

    def on_post_build(self, *, config):
        if _search_plugin(config) is None:  # no index: a page has no entries to keep
            for page in self.pages.values():
                page.setdefault("search", [])
        pages = {uri: p for uri, p in self.pages.items() if "search" in p}
        saved = {"format": _FORMAT, "build": self.build_key, "pages": pages}
        target = Path(config["site_dir"]) / CACHE_FILE
        # key order kept: the search index writes its entries with the keys in the order they have
        target.write_bytes(gzip.compress(json.dumps(saved).encode(), mtime=0))

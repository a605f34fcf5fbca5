"""Build the site: Markdown into a temporary folder, mkdocs (strict) into a staging folder,
then the staging folder replaces the output whole — a failure or Ctrl-C leaves the old site."""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from trondocs.fsutil import atomic_directory
from trondocs.render.website.data import SiteData
from trondocs.render.website.errors import SiteBuildError
from trondocs.render.website.render import RenderedSite, environment, render_site
from trondocs.render.website.reuse import inputs_digest, reusable, software
from trondocs.render.website.reuse import record as record_inputs
from trondocs.state.io import assessment_json_bytes, state_json_bytes

if TYPE_CHECKING:  # mkdocs is imported when a site is built, not when trondocs starts
    from trondocs.render.website.page_cache import PageCache

# Files copied from the templates folder into the docs folder (a user folder may override them).
STATIC_ASSETS = ("assets/extra.css", "assets/tables.js", "assets/vendor/iframe-worker/shim.js",
                 "assets/vendor/iframe-worker/LICENSE")


@dataclass
class SiteResult:
    output: Path
    pages: int
    pictures: int
    reused: bool = False  # the site already built from the same inputs was kept
    pages_kept: int = 0  # pages whose Markdown was unchanged: their HTML was kept, not converted again


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage().strip())


def write_docs(rendered: RenderedSite, data: SiteData, folder: Path, env, logo: Path | None) -> Path:
    """Write the docs folder and mkdocs.yml into ``folder``; return the config file."""
    docs = folder / "docs"
    for path, text in {**rendered.pages, **rendered.pictures}.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name in STATIC_ASSETS:
        source, _, _ = env.loader.get_source(env, f"site/{name}")
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(source, encoding="utf-8")
    if logo is not None and data.logo:
        (docs / data.logo).parent.mkdir(parents=True, exist_ok=True)
        (docs / data.logo).write_bytes(logo.read_bytes())
    # The bytes of dumps_state and of the assessment's JSON, one file at a time (a text and
    # its encoding of a 5,000-node state would be 2 × 300 MB at once).
    (docs / "state.json").write_bytes(state_json_bytes(data.state))
    (docs / "findings.json").write_bytes(assessment_json_bytes(data.assessment))
    config = folder / "mkdocs.yml"
    config.write_text(rendered.mkdocs_yml, encoding="utf-8")
    return config


def run_mkdocs(config_file: Path, site_dir: Path, page_cache: PageCache | None = None) -> None:
    """``mkdocs build --strict`` through its Python API; warnings become a SiteBuildError.
    ``page_cache`` keeps the unchanged pages' HTML of the previous build (``page_cache.py``)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    saved = (logger.level, logger.propagate)
    # Own the mkdocs logger while building: its warnings must count in strict mode even when
    # the caller silenced logging, and they belong in our error, not on the console.
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(collect)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        if page_cache is not None:  # last: it keeps what the site's own plugins made of a page
            config.plugins["trondocs/page-cache"] = page_cache
        build(config)
    except MkDocsException as exc:
        problems = collect.messages or [str(exc)]
        raise SiteBuildError(f"mkdocs refused the site: {problems[0]}", problems) from None
    finally:
        logger.removeHandler(collect)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def build_site(data: SiteData, output: Path, *, user_templates: list[Path] | None = None,
               logo: Path | None = None, markdown_dir: Path | None = None, keep: tuple[str, ...] = (),
               progress: Callable[[str], None] | None = None, separate_process: bool = False) -> SiteResult:
    """Render and build the site into ``output`` atomically.

    ``markdown_dir``, when given, keeps a copy of the generated Markdown and mkdocs.yml there
    (for inspection and the benchmark); otherwise they live in a temporary folder. Files named
    in ``keep`` (e.g. ``report.pdf``, written by a later step) are carried over from the
    previous site, so that step can tell whether it must write them again. ``separate_process``
    runs mkdocs in a child process (``mkdocs_process``), so its memory is the system's again
    when the site is built (``trondocs build`` lays out the PDF next).
    """
    say = progress or (lambda _message: None)
    if logo is not None:  # the suffix lands in HTML attributes: letters and digits only
        data.logo = f"assets/logo.{re.sub(r'[^a-z0-9]', '', logo.suffix.lower()) or 'img'}"
    env = environment(user_templates)
    say("rendering pages")
    rendered = render_site(data, env)
    with tempfile.TemporaryDirectory(prefix="trondocs-site-") as tmp:
        folder = Path(markdown_dir) if markdown_dir else Path(tmp)
        try:
            config = write_docs(rendered, data, folder, env, logo)
        except OSError as exc:  # a full disk: name the site asked for, not our temporary Markdown
            if markdown_dir or (exc.filename and Path(tmp) not in Path(os.fsdecode(exc.filename)).parents):
                raise
            raise OSError(exc.errno, f"cannot build it ({exc.strerror or exc}; while writing the "
                                     f"Markdown in {tmp})", str(output)) from exc
        pages, pictures = len(rendered.pages), len(rendered.pictures)
        del rendered  # on disk now: mkdocs reads the folder, not these texts
        digest = inputs_digest(folder)
        if reusable(output, digest, keep):  # nothing the site is built from changed: keep it as it is
            say("site unchanged (same inputs): kept")
            return SiteResult(output=Path(output), pages=pages, pictures=pictures, reused=True)
        from trondocs.render.website.page_cache import CACHE_FILE, PageCache

        with atomic_directory(output) as staging:
            say(f"building {pages} pages with mkdocs")
            if separate_process:
                from trondocs.render.website.mkdocs_process import run_mkdocs_apart

                kept = run_mkdocs_apart(config, staging, Path(output) / CACHE_FILE, software())
            else:
                cache = PageCache(previous=Path(output) / CACHE_FILE, versions=software())
                run_mkdocs(config, staging, cache)
                kept = len(cache.reused)
            if kept:
                say(f"{kept} unchanged pages kept, {pages - kept} converted")
            record_inputs(staging, digest, keep)
            for name in keep:
                previous = Path(output) / name
                if previous.is_file() and not (staging / name).exists():
                    shutil.copy2(previous, staging / name)
    return SiteResult(output=Path(output), pages=pages, pictures=pictures, pages_kept=kept)

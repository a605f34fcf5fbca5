"""Pages → Markdown: the Jinja environment and the list of pages the site is made of."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from markupsafe import Markup

from trondocs.render.escape import html_text, markdown_text, one_line
from trondocs.render.website import context as ctx
from trondocs.render.website.controls import controls_page
from trondocs.render.website.data import Picture, SiteData
from trondocs.render.website.errors import SiteBuildError
from trondocs.render.website.runbooks import runbooks_index_page
from trondocs.resources import templates_dir

NAV_NODE_LIMIT = 60  # above this many nodes the nav lists the index pages only (the tables link each node)


def md(value: object) -> Markup:
    """User text for Markdown: HTML-escaped, Markdown markup neutralised, one line."""
    return Markup(markdown_text(value))


def code(value: object) -> Markup:
    """Text inside a fenced code block: shown verbatim, so no HTML escaping; one line, no backticks."""
    return Markup(one_line(value).replace("`", "'"))


def yaml_scalar(value: object) -> str:
    """Any JSON value is valid YAML: strings come out quoted and escaped."""
    return json.dumps(value, ensure_ascii=False)


def environment(user_templates: list[Path] | None = None) -> Environment:
    """Jinja with the user's template folders first, so they override built-ins by name."""
    folders = [p for p in (user_templates or []) if p.is_dir()]
    loaders = [FileSystemLoader(str(p)) for p in folders] + [FileSystemLoader(str(templates_dir()))]
    loader = ChoiceLoader(loaders)
    env = Environment(
        loader=loader, undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True,
        lstrip_blocks=True, autoescape=lambda name: bool(name and name.endswith((".md.j2", ".html.j2"))),
    )
    env.filters.update(md=md, code=code, yaml=yaml_scalar)
    return env


@dataclass(frozen=True)
class PageSpec:
    path: str
    template: str
    title: str
    context: object
    wide: bool = False  # its tables need the table of contents' column: the theme hides that


def page_specs(data: SiteData) -> list[PageSpec]:
    """Every page of the site, in nav order; node and runbook pages follow their index."""
    specs = [PageSpec("index.md", "site/index.md.j2", "Dashboard", ctx.dashboard_page(data), wide=True),
             PageSpec("plan.md", "site/plan.md.j2", "Plan", ctx.plan_page(data), wide=True),
             PageSpec("nodes/index.md", "site/nodes.md.j2", "Nodes", ctx.nodes_index_page(data), wide=True)]
    names = [n.node for n in data.assessment.nodes if data.plan.node(n.node) is not None]
    specs += [PageSpec(data.node_page(n), "site/node.md.j2", n, ctx.node_page(data, n), wide=True)
              for n in names]
    specs.append(PageSpec("runbooks/index.md", "site/runbooks.md.j2", "Runbooks",
                          runbooks_index_page(data)))
    specs += [PageSpec(data.runbook_page(n.name), "site/runbook.md.j2", n.name,
                       ctx.runbook_page(data, n.name)) for n in data.plan.nodes]
    specs += [PageSpec("findings.md", "site/findings.md.j2", "Findings", ctx.findings_page(data), wide=True),
              PageSpec("drills.md", "site/drills.md.j2", "DR tests", ctx.drills_page(data), wide=True),
              PageSpec("rules.md", "site/rules.md.j2", "Rules", ctx.rules_page(data)),
              PageSpec("controls.md", "site/controls.md.j2", "Controls evidenced", controls_page(data)),
              PageSpec("downloads.md", "site/downloads.md.j2", "Downloads", ctx.downloads_page(data)),
              PageSpec("about.md", "site/about.md.j2", "About", ctx.about_page(data))]
    return specs


def nav(specs: list[PageSpec], every_page: bool = True) -> list[dict]:
    """mkdocs ``nav``: sections for nodes and runbooks, each opening on its index page.

    Titles are HTML-escaped: the theme inserts nav titles as HTML on every page.

    With ``every_page`` False the sections hold only their index page: a nav of hundreds of
    nodes is repeated on every page and helps nobody (the index tables link every node).
    """
    sections: dict[str, list[dict]] = {}
    top: list[dict] = []
    for spec in specs:
        folder = spec.path.split("/")[0] if "/" in spec.path else None
        if folder is None:
            top.append({html_text(spec.title): spec.path})
            continue
        if folder not in sections:
            sections[folder] = []
            top.append({"Nodes" if folder == "nodes" else "Runbooks": sections[folder]})
        if spec.path.endswith("index.md") or every_page:
            sections[folder].append(spec.path if spec.path.endswith("index.md")
                                    else {html_text(spec.title): spec.path})
    return top


@dataclass
class RenderedSite:
    """Everything written into the docs folder, plus the generated mkdocs.yml."""

    pages: dict[str, str]  # docs-relative path → Markdown
    pictures: dict[str, str]  # docs-relative path → SVG
    mkdocs_yml: str


def render_site(data: SiteData, env: Environment,
                on_page: Callable[[str], None] | None = None) -> RenderedSite:
    specs = page_specs(data)
    pages: dict[str, str] = {}
    pictures: dict[str, str] = {}
    for spec in specs:
        pages[spec.path] = with_title(_render(env, spec.template, spec.context), spec.title, wide=spec.wide)
        for picture in getattr(spec.context, "pictures", []):
            assert isinstance(picture, Picture)
            pictures[picture.path] = picture.svg
        if on_page is not None:
            on_page(spec.path)
    settings = data.plan.settings
    # The theme inserts the site name, description and copyright as HTML: escape them here.
    config = MkdocsConfig(
        site_name=html_text(data.site_name), site_url=safe_url(settings.site_url or ""),
        description=html_text(f"Disaster-recovery plan of {data.plan.organization.name}, "
                              "kept true by trondocs"),
        copyright=html_text(f"{data.plan.organization.name} · evidence as of "
                            f"{data.assessment.as_of.strftime('%Y-%m-%d %H:%M UTC')} · made with trondocs"),
        logo=data.logo or "", primary=theme_color(settings.colors.primary, "indigo"),
        accent=theme_color(settings.colors.accent, "amber"),
        nav=nav(specs, len(data.plan.nodes) <= NAV_NODE_LIMIT),
    )
    return RenderedSite(pages=pages, pictures=pictures, mkdocs_yml=_render(env, "site/mkdocs.yml.j2", config))


def with_title(markdown: str, title: str, *, wide: bool = False) -> str:
    """The page with its title in front matter, HTML-escaped like the nav's.

    Without it the theme would take the title through ``striptags``, which unescapes entities
    into the page's <title>. A page whose (user) template has its own front matter keeps it.
    A ``wide`` page (tables) gives the theme's table-of-contents column to its content.
    """
    if markdown.startswith("---\n"):
        return markdown
    hide = "hide:\n  - toc\n" if wide else ""
    return f"---\ntitle: {yaml_scalar(html_text(title))}\n{hide}---\n\n{markdown}"


_COLOR = re.compile(r"[a-z]+(-[a-z]+)*")


def theme_color(value: str, default: str) -> str:
    """A theme colour name (``indigo``, ``deep purple``…); anything else, which would land in an
    HTML attribute, becomes the default."""
    name = "-".join(str(value).lower().split())
    return name if _COLOR.fullmatch(name) else default


def safe_url(value: str) -> str:
    """The site URL with characters that could leave an HTML attribute percent-encoded."""
    return quote(value, safe=":/?#[]@!$&()*+,;=%~-._")


def _render(env: Environment, template: str, context: object) -> str:
    """Render one template; a template mistake becomes one line naming the file (and line)."""
    try:
        return env.get_template(template).render(c=context)
    except TemplateSyntaxError as exc:
        where = exc.filename or exc.name or template
        raise SiteBuildError(f"{where}:{exc.lineno}: {exc.message}") from None
    except TemplateError as exc:  # missing template, undefined value, a raise in a user template
        raise SiteBuildError(f"template {template}: {exc.message or exc}") from None


@dataclass(frozen=True)
class MkdocsConfig:
    site_name: str
    site_url: str
    description: str
    copyright: str
    logo: str
    primary: str
    accent: str
    nav: list[dict]

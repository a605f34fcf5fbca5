"""The DR plan site: page contexts (data) → Jinja Markdown → mkdocs-material, built atomically."""

from trondocs.render.website.build import SiteResult, build_site
from trondocs.render.website.data import SiteData
from trondocs.render.website.errors import SiteBuildError

__all__ = ["SiteBuildError", "SiteData", "SiteResult", "build_site"]

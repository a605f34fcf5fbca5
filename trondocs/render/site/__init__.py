"""The DR plan site: page contexts (data) → Jinja Markdown → mkdocs-material, built atomically."""

from trondocs.render.site.build import SiteResult, build_site
from trondocs.render.site.data import SiteData
from trondocs.render.site.errors import SiteBuildError

__all__ = ["SiteBuildError", "SiteData", "SiteResult", "build_site"]

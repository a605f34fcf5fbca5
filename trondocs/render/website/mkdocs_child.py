"""The child process of ``mkdocs_process``: runs ``run_mkdocs`` with the page cache and answers
with one JSON line on stdout (the pages kept, or the strict-mode problems)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from trondocs.render.website.build import run_mkdocs
from trondocs.render.website.errors import SiteBuildError
from trondocs.render.website.page_cache import PageCache


def main(argv: list[str]) -> int:
    config_file, site_dir, previous_cache, versions = argv
    cache = PageCache(previous=Path(previous_cache), versions=versions)
    try:
        run_mkdocs(Path(config_file), Path(site_dir), cache)
    except SiteBuildError as exc:
        print(json.dumps({"error": str(exc), "problems": exc.problems}))
        return 1
    print(json.dumps({"kept": len(cache.reused)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``mkdocs build`` in a child process, for ``trondocs build``.

mkdocs only needs the Markdown folder on disk, and what it builds for a large site (pages,
navigation, search index: ~1 GB at 5,000 nodes) is not all given back to the system by
Python's allocator when the build ends — the PDF laid out afterwards would start from that.
A child process returns all of it when it exits. Its result travels back as one JSON line
on stdout: the pages kept from the previous build, or the strict-mode problems, which the
parent raises as the same ``SiteBuildError`` an in-process build raises. The child's side is
``mkdocs_child``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import trondocs
from trondocs.render.website.errors import SiteBuildError

_MODULE = "trondocs.render.website.mkdocs_child"  # the child's side, apart so that neither imports the other


def run_mkdocs_apart(config_file: Path, site_dir: Path, previous_cache: Path, versions: str) -> int:
    """``run_mkdocs`` with the page cache in a child process; returns how many pages were kept."""
    package_root = str(Path(trondocs.__file__).resolve().parent.parent)
    paths = [package_root, os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    child = subprocess.run([sys.executable, "-m", _MODULE, str(config_file), str(site_dir),
                            str(previous_cache), versions],
                           env=env, capture_output=True, check=False)
    lines = child.stdout.decode(errors="replace").strip().splitlines()
    try:
        result = json.loads(lines[-1]) if lines else None
    except ValueError:
        result = None
    if child.returncode == 0 and isinstance(result, dict) and isinstance(result.get("kept"), int):
        return result["kept"]
    if isinstance(result, dict) and isinstance(result.get("error"), str):
        raise SiteBuildError(result["error"], [str(p) for p in result.get("problems") or []])
    # Not our answer (a crash, a signal, out of memory): the child's last words name it; the
    # traceback before them is not shown (errors never print one).
    said = child.stderr.decode(errors="replace").strip().splitlines()
    reason = said[-1] if said else f"exit status {child.returncode}"
    raise SiteBuildError(f"mkdocs stopped without building the site: {reason}", [reason])


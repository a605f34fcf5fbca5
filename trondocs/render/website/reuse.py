"""Reuse the built site when nothing it is built from changed.

The site is a function of the generated docs folder (Markdown, SVGs, assets, state.json,
findings.json), mkdocs.yml and the versions of trondocs, mkdocs and the theme. Their digest is
recorded in the built site (``INPUTS_FILE``); a build whose digest matches the site already in
the output keeps it untouched instead of running mkdocs again (82% of a warm build at 500
nodes). After a change mkdocs runs again, and every page is laid into the theme again (each
carries the navigation), but only the pages whose Markdown changed are converted and indexed
again: ``page_cache.py`` keeps the others' HTML.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from trondocs import __version__
from trondocs.fsutil import OWNED_MARKER

INPUTS_FILE = ".trondocs-site-inputs"
_PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def software() -> str:
    """trondocs' version and those of the packages that turn the Markdown into the site."""
    return " ".join([__version__, *(f"{package}={_version(package)}" for package in _PACKAGES)])


def inputs_digest(folder: Path) -> str:
    """SHA-256 over every file under ``folder`` (paths and bytes) and the building software."""
    digest = hashlib.sha256(f"trondocs-site/1 {__version__}".encode())
    for package in _PACKAGES:
        digest.update(f"\0{package}={_version(package)}".encode())
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        digest.update(b"\0" + path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _built_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in Path(site).rglob("*")
                  if p.is_file() and p.name not in (INPUTS_FILE, OWNED_MARKER))


def reusable(output: Path, digest: str, keep: tuple[str, ...] = ()) -> bool:
    """The site in ``output`` was built from exactly these inputs and still holds every file it
    was built with (``keep``: files a later step adds, such as report.pdf, which do not count)."""
    marker = Path(output) / INPUTS_FILE
    try:
        recorded = marker.read_text(encoding="utf-8").split()
    except OSError:
        return False
    if len(recorded) != 2 or recorded[0] != digest or not (Path(output) / OWNED_MARKER).is_file():
        return False
    files = [f for f in _built_files(output) if f not in keep]
    return hashlib.sha256("\n".join(files).encode()).hexdigest() == recorded[1]


def record(site: Path, digest: str, keep: tuple[str, ...] = ()) -> None:
    """Write the marker into a freshly built site (before ``keep`` files are carried over)."""
    files = [f for f in _built_files(site) if f not in keep]
    listing = hashlib.sha256("\n".join(files).encode()).hexdigest()
    (Path(site) / INPUTS_FILE).write_text(f"{digest} {listing}\n", encoding="utf-8")

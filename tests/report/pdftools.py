"""Reading a report back for tests: outline, page texts, attachments, pages as PNG (poppler)."""

from __future__ import annotations

import functools
import re
import subprocess
from pathlib import Path

from PIL import Image, ImageStat
from pypdf import PdfReader, PdfWriter


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(depth, title, page number from 1) of every bookmark, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


def page_texts(path: Path) -> list[str]:
    return list(_page_texts(str(path), Path(path).stat().st_mtime_ns))


@functools.lru_cache(maxsize=8)
def _page_texts(path: str, mtime_ns: int) -> tuple[str, ...]:  # extraction is slow: once per file version
    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render_pngs(path: Path, folder: Path, *, dpi: int = 40) -> list[Path]:
    """Every page as PNG with poppler's pdftoppm (Debian poppler-utils)."""
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(folder.glob("page-*.png"))


def pixel_stddev(png: Path) -> float:
    with Image.open(png) as image:
        return ImageStat.Stat(image.convert("L")).stddev[0]


def rewrite_attachments(src: Path, dst: Path, edit) -> None:
    """Copy a PDF, letting ``edit(dict name → bytes)`` return the attachments it should carry."""
    writer = PdfWriter(clone_from=PdfReader(src))
    current = {ef.name: ef for ef in writer.attachment_list}
    wanted = edit({name: ef.content for name, ef in current.items()})
    for name, ef in current.items():
        if name not in wanted:
            ef.delete()
        elif wanted[name] != ef.content:
            ef.content = wanted[name]
    for name in wanted.keys() - current.keys():
        writer.add_attachment(name, wanted[name])
    with open(dst, "wb") as handle:
        writer.write(handle)

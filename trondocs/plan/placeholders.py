"""Values ``trondocs init`` marked ``CHANGE ME`` and nobody changed yet: warnings, not errors.

A starter plan is valid on purpose (so ``validate`` can guide the first edits), but a plan
still naming "My SR" or the starter's example address is not a plan of anyone's SR.
"""

from __future__ import annotations

import re
from pathlib import Path

from trondocs.diagnostics import Diagnostic, Level, Location, PlanError
from trondocs.userfiles import read_text

MARKER = re.compile(r"#\s*CHANGE ME\b", re.IGNORECASE)
VALUE = re.compile(r"^\s*(?:-\s+)?(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>[^#]*?)\s*#")


def placeholder_warnings(files: list[Path], display=str) -> list[Diagnostic]:
    """A warning at every line still carrying the starter's ``# CHANGE ME`` marker."""
    found: list[Diagnostic] = []
    for path in files:
        shown = display(path)
        try:
            text = read_text(path, what="plan file", display=shown)
        except PlanError:
            continue  # the loader reports unreadable files
        for number, line in enumerate(text.splitlines(), start=1):
            marker = MARKER.search(line)
            if not marker or line.lstrip().startswith("#"):
                continue
            match = VALUE.match(line)
            what = f"'{match['key']}: {match['value']}'"[:120] if match else "this value"
            found.append(Diagnostic(
                level=Level.WARNING, code="placeholder",
                message=f"{what} is still the placeholder 'trondocs init' wrote (marked CHANGE ME)",
                hint="put in your own value, then delete the '# CHANGE ME' comment",
                location=Location(file=shown, line=number, column=marker.start() + 1)))
    return found

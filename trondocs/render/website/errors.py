"""The one error the site build raises: a single line saying what to fix."""

from __future__ import annotations


class SiteBuildError(Exception):
    """A template failed, or mkdocs refused the generated site (a broken link in strict mode)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]

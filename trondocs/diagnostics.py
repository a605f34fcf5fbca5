"""Problems found in user input, each pointing at a place in a file and saying how to fix it."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str
    line: int  # 1-based
    column: int  # 1-based

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Diagnostic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    level: Level
    code: str  # stable, e.g. "unknown-key", "dependency-cycle"
    message: str
    hint: str = ""
    location: Location | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.level.value}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


class PlanError(Exception):
    """Raised when a plan (or another user file) cannot be used; carries every problem at once."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``did you mean 'x'?`` hint, or an empty string when nothing is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""

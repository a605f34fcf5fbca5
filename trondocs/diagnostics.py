"""Problems found in user input, each pointing at a place in a file and saying how to fix it."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


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


def by_place(diagnostic: Diagnostic) -> tuple:
    """Sort key: file, line, column; problems without a place (a missing folder) first."""
    where = diagnostic.location
    return (0, "", 0, 0) if where is None else (1, where.file, where.line, where.column)


def from_validation_error(exc: ValidationError, *, model: type[BaseModel], document: Any,
                          locate: Callable[[tuple], Location | None], subject: str = "",
                          fallback_hint: str = "see 'trondocs schema' for the expected format",
                          ) -> list[Diagnostic]:
    """One diagnostic per pydantic error of validating ``document`` (a YAML mapping) as ``model``.

    ``locate`` turns an error's path in the document into its place in the file; ``subject``
    names what the document is where that helps ("source 'vcenter'"); our own validators
    phrase their fix after a '; ', which becomes the hint (else ``fallback_hint``).
    """
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        where = ", ".join(part for part in (subject, dotted(loc)) if part)
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            parent = dotted(loc[:-1])
            message = (f"{subject}: " if subject else "") + f"unknown key '{loc[-1]}'" + (
                f" in {parent}" if parent else "")
            hint = did_you_mean(str(loc[-1]), allowed) or (
                "allowed keys: " + ", ".join(sorted(allowed)) if allowed else "remove it")
        elif kind == "missing":
            owner = ", ".join(part for part in (subject, dotted(loc[:-1])) if part) or "the file"
            message = f"{owner} is missing required key '{loc[-1]}'"
            hint = f"add '{loc[-1]}: ...'"
        elif kind == "enum":
            expected = error.get("ctx", {}).get("expected", "")
            value = _value_at(document, loc)
            choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",") if c.strip()]
            message = f"{where}: {value!r} is not one of {expected}"
            hint = did_you_mean(str(value), choices) or f"use one of {expected}"
        elif kind.endswith("_type") or kind in ("model_type", "dataclass_type"):
            value = _value_at(document, loc)
            message = f"{where}: {message} (got {type(value).__name__} {value!r})"[:300]
            hint = "check the value's type: quote text, use a list '- item' or a mapping 'key: value'"
        else:
            message = f"{where}: {message}" if where else message
            hint = message.split("; ", 1)[1] if "; " in message else fallback_hint
        out.append(Diagnostic(level=Level.ERROR, code=kind.replace("_", "-"), message=message,
                              hint=hint, location=locate(loc)))
    return out


def dotted(loc: tuple) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _value_at(document: Any, loc: tuple) -> Any:
    for part in loc:
        try:
            document = document[part]
        except (KeyError, IndexError, TypeError):
            return None
    return document


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names of the model found by following ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(str(part))
        if info is None:
            return []
        current = _model_in(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[X]``, ``X | None``, ``Annotated[X, …]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None

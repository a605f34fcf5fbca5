"""``sources.yaml``: which sources to read and how to reach them (never secrets)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from trondocs.collectors.base import SourceConfig
from trondocs.collectors.registry import SOURCE_TYPES, source_module
from trondocs.diagnostics import Diagnostic, Level, PlanError, did_you_mean
from trondocs.plan.yamlsource import read_yaml

SOURCES_FILE = "sources.yaml"
# Keys that would hold a secret: refused, so nobody commits a password by mistake.
SECRET_KEYS = {"password", "secret", "api_key", "apikey", "token", "access_key", "secret_key"}


@dataclass
class ConfiguredSource:
    config: SourceConfig

    @property
    def name(self) -> str:
        return self.config.name


def sources_path(inventory: Path) -> Path:
    inventory = Path(inventory)
    return inventory / SOURCES_FILE if inventory.is_dir() else inventory.parent / SOURCES_FILE


def load_sources(inventory: Path) -> list[ConfiguredSource]:
    """Read the inventory's sources.yaml; no file means no sources."""
    path = sources_path(inventory)
    if not path.exists():
        return []
    document, source_map = read_yaml(path)
    problems: list[Diagnostic] = []

    def problem(loc: tuple, code: str, message: str, hint: str) -> None:
        problems.append(Diagnostic(level=Level.ERROR, code=code, message=message, hint=hint,
                                   location=source_map.locate(loc)))

    if document is None:
        return []
    if not isinstance(document, dict) or set(document) - {"sources"}:
        problem((), "bad-sources", "sources.yaml holds one key, 'sources:', a list of sources",
                "see 'trondocs init' for an example")
        raise PlanError(problems)
    entries = document.get("sources") or []
    if not isinstance(entries, list):
        problem(("sources",), "bad-sources", "'sources' must be a list", "write '- name: …' items")
        raise PlanError(problems)
    configured: list[ConfiguredSource] = []
    names: set[str] = set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            problem(("sources", index), "bad-source", "a source is a mapping with name and type",
                    "write '- {name: vcenter, type: vsphere, host: …}'")
            continue
        for key in entry:
            if str(key).lower() in SECRET_KEYS:
                problem(("sources", index, key), "secret-in-yaml",
                        f"'{key}' would put a secret in sources.yaml",
                        f"remove it; set the environment variable named by '{key}_env' instead")
        kind = entry.get("type")
        if kind not in SOURCE_TYPES:
            problem(("sources", index, "type"), "unknown-source-type",
                    f"unknown source type {kind!r}",
                    did_you_mean(str(kind), SOURCE_TYPES)
                    or f"use one of: {', '.join(sorted(SOURCE_TYPES))}")
            continue
        if any(str(k).lower() in SECRET_KEYS for k in entry):
            continue
        config_class = source_module(kind).Config
        try:
            config = config_class.model_validate(entry)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                problem(("sources", index, *error["loc"]), error["type"].replace("_", "-"),
                        *_config_error(error, config_class, entry.get("name") or f"#{index + 1}"))
            continue
        if config.name in names:
            problem(("sources", index, "name"), "duplicate-source",
                    f"source '{config.name}' is declared twice", "give each source its own name")
        names.add(config.name)
        configured.append(ConfiguredSource(config))
    if problems:
        raise PlanError(problems)
    return configured


def _config_error(error: dict, config_class: type[SourceConfig], source: str) -> tuple[str, str]:
    """Message and hint for one validation error of a source's settings (its loc is in the entry)."""
    loc = ".".join(str(p) for p in error["loc"])
    where = f"source '{source}'" + (f", {loc}" if loc else "")
    if error["type"] == "extra_forbidden":
        allowed = sorted(config_class.model_fields)
        return (f"source '{source}': unknown key '{loc}'",
                did_you_mean(loc, allowed) or f"allowed keys: {', '.join(allowed)}")
    if error["type"] == "missing":
        return f"source '{source}' is missing required key '{loc}'", f"add '{loc}: …'"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{where}: {message}", "see the source's settings in 'trondocs init' (sources.yaml)"

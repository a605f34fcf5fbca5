"""``sources.yaml``: which sources to read and how to reach them (never secrets)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from trondocs.collectors.base import SourceConfig
from trondocs.collectors.registry import SOURCE_TYPES, source_module
from trondocs.credentials import is_env_name, paths_with_userinfo
from trondocs.diagnostics import Diagnostic, Level, PlanError, did_you_mean, from_validation_error
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
    if not os.path.lexists(path):  # lexists: a dangling link or a loop is reported, not ignored
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
        withheld: set = set()  # keys refused above: left out of the validation of the rest
        leaked = False
        for key in entry:
            if str(key).lower() in SECRET_KEYS:
                withheld.add(key)
                problem(("sources", index, key), "secret-in-yaml",
                        f"'{key}' would put a secret in sources.yaml",
                        f"remove it; set the environment variable named by '{key}_env' instead")
            elif str(key).endswith("_env") and not is_env_name(entry[key]):
                withheld.add(key)  # the value is never echoed: it may well be the secret itself
                problem(("sources", index, key), "not-a-variable-name",
                        f"'{key}' must name an environment variable; its value is not a variable "
                        "name (it was not shown, in case it is the secret itself)",
                        f"write '{key}: A_VARIABLE_NAME' and export the secret in that variable")
        for where in paths_with_userinfo(entry, ("sources", index)):
            leaked = True  # never echoed (nor validated, whose messages may quote it): it holds a password
            problem(where, "credentials-in-url",
                    f"a URL in '{'.'.join(str(p) for p in where[2:])}' carries a user name or "
                    "password (user:…@host); it was not shown, and credentials never go in sources.yaml",
                    "remove the 'user:password@' part; the source reads them from the environment "
                    "variables its *_env settings name")
        kind = entry.get("type")
        if not isinstance(kind, str) or kind not in SOURCE_TYPES:
            shown = repr(kind) if isinstance(kind, str | int | float | bool) or kind is None \
                else f"a {type(kind).__name__}"
            problem(("sources", index, "type"), "unknown-source-type",
                    f"unknown source type {shown}"[:200],
                    (did_you_mean(kind, SOURCE_TYPES) if isinstance(kind, str) else "")
                    or f"use one of: {', '.join(sorted(SOURCE_TYPES))}")
            continue
        if leaked:
            continue
        config_class = source_module(kind).Config
        checked = {key: value for key, value in entry.items() if key not in withheld}
        try:
            config = config_class.model_validate(checked)
        except ValidationError as exc:
            problems.extend(from_validation_error(
                exc, model=config_class, document=checked,
                locate=lambda loc, index=index: source_map.locate(("sources", index, *loc)),
                subject=f"source '{entry.get('name') or f'#{index + 1}'}'",
                fallback_hint="see 'trondocs schema --sources' for each source type's settings"))
            continue
        if withheld:
            continue
        if config.name in names:
            problem(("sources", index, "name"), "duplicate-source",
                    f"source '{config.name}' is declared twice", "give each source its own name")
        names.add(config.name)
        configured.append(ConfiguredSource(config))
    if problems:
        raise PlanError(problems)
    return configured

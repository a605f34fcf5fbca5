"""``trondocs init``: a commented starter inventory, and with ``ci`` the CI workflows for it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from trondocs.workflow.outcome import ExitCode, UsageError


class CiProvider(StrEnum):
    """Whose CI ``trondocs init --ci`` writes workflows for (cli/choices.py offers these)."""

    GITHUB = "github"  # GitHub Actions: trondocs/starter/github.py


@dataclass(frozen=True)
class InitRequest:
    directory: Path
    force: bool = False  # overwrite files that already exist
    ci: CiProvider | None = None  # also that CI's workflows (GITHUB: GitHub Actions)
    repo: Path = Path(".")  # the repository root the workflows go in
    action: str | None = None  # OWNER/REPO@TAG of the action; None: this release's
    install_from: str | None = None  # a pip requirement the action installs trondocs from instead


@dataclass(frozen=True)
class InitOutcome:
    written: list[Path]
    exit_code: ExitCode = ExitCode.OK


def run(request: InitRequest) -> InitOutcome:
    from trondocs.starter.github import write_workflows
    from trondocs.starter.inventory import write_starter

    inventory = None
    if request.ci is CiProvider.GITHUB:  # checked before anything is written
        inventory = os.path.relpath(request.directory.resolve(), request.repo.resolve())
        if inventory.startswith(".."):
            raise UsageError(f"{request.directory} is not inside the repository {request.repo}; pass --repo")
    written = write_starter(request.directory, force=request.force)
    if inventory is not None:
        written += write_workflows(request.repo, inventory=inventory, action=request.action,
                                   install_from=request.install_from)
    return InitOutcome(written=written)

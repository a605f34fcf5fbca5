"""`trondocs init`: starter inventories and CI workflows for a new SR."""

from enum import StrEnum


class CiProvider(StrEnum):
    """Whose CI ``trondocs init --ci`` writes workflows for."""

    GITHUB = "github"  # GitHub Actions: trondocs/starter/github.py

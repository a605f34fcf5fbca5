"""Report fixtures: the example plan and state, a hand-built assessment, keys, a rendered report."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import example_state
from tests.report.builders import example_assessment
from trondocs.plan import load_plan


@pytest.fixture(scope="session")
def loaded():
    return load_plan(EXAMPLE_INVENTORY)


@pytest.fixture(scope="session")
def state():
    return example_state()


@pytest.fixture(scope="session")
def assessment():
    return example_assessment()


def write_key(folder: Path, name: str = "sign") -> tuple[Path, Path]:
    """An Ed25519 key pair as PEM files: (private, public)."""
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    public = folder / f"{name}.pub"
    private.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    public.write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, public


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> tuple[Path, Path]:
    return write_key(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="session")
def signed_report(tmp_path_factory, loaded, state, assessment, keys) -> Path:
    """The example report, signed, rendered once for every read-back test."""
    from trondocs.workflow.report import build_report

    return build_report(
        loaded, state, assessment, tmp_path_factory.mktemp("report") / "report.pdf", sign_key=keys[0]
    )

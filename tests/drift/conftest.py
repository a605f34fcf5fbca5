"""Fixtures of the drift tests; the builders live in tests/drift/builders.py."""

from __future__ import annotations

import json

import pytest

from tests.drift.builders import SARIF_SCHEMA, clean_assessment, mixed_assessment
from trondocs.evaluate.models import Assessment


@pytest.fixture
def mixed() -> Assessment:
    return mixed_assessment()


@pytest.fixture
def clean() -> Assessment:
    return clean_assessment()


@pytest.fixture
def sarif_schema() -> dict:
    return json.loads(SARIF_SCHEMA.read_text())

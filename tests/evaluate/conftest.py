"""Fixtures of the evaluation tests: the example plan, loaded once."""

from __future__ import annotations

import pytest

from tests.evaluate.cases import example_loaded
from trondocs.plan.loader import LoadedPlan


@pytest.fixture(scope="session")
def loaded() -> LoadedPlan:
    return example_loaded()

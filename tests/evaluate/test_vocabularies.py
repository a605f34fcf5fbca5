"""The Assessment's vocabularies that extend the state's stay in step with it."""

from __future__ import annotations

from trondocs.evaluate.models import CopyKind
from trondocs.state.models import RestorePointKind


def test_a_copy_is_the_production_data_or_restore_points_of_any_kind():
    assert {k.value for k in CopyKind} == {"primary"} | {k.value for k in RestorePointKind}
    assert CopyKind(RestorePointKind.REPLICA.value) is CopyKind.REPLICA

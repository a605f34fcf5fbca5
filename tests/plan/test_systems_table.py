"""The systems table (trondocs/systems.py) agrees with the vocabularies and collectors it describes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from trondocs import systems
from trondocs.collectors.registry import SOURCE_TYPES as REGISTERED
from trondocs.collectors.registry import source_module
from trondocs.plan.models import Platform, ProtectionKind, ProtectionSystem
from trondocs.render.website.runbooks import RECOVERY_SCENARIOS
from trondocs.systems import PROTECTION_SYSTEMS, SOURCE_TYPES, ProtectionSystemInfo, Recovery


def test_the_plan_vocabulary_is_the_table_in_its_order():
    assert [(m.name, m.value) for m in ProtectionSystem] == [(r.member, r.name) for r in PROTECTION_SYSTEMS]
    assert ProtectionSystem("dlm") is ProtectionSystem.DLM


@pytest.mark.parametrize("row", PROTECTION_SYSTEMS, ids=lambda r: r.name)
def test_each_system_names_known_kinds_platforms_and_sources(row):
    assert row.platform in set(Platform)
    assert set(row.kinds) <= set(ProtectionKind)
    known = {s.name for s in SOURCE_TYPES}
    assert row.source in known
    assert row.job_source.split("/", 1)[0] in known
    assert set(row.failover_sources) <= known


def test_every_platform_has_the_source_that_discovers_it():
    assert sorted(r.platform for r in SOURCE_TYPES if r.platform) == sorted(Platform)
    assert systems.unprotected_point_source("vsphere") == "veeam"
    assert systems.unprotected_point_source("aws") == "aws"


def test_the_table_describes_each_registered_collector_and_no_other():
    assert sorted(r.name for r in SOURCE_TYPES) == sorted(REGISTERED)


@pytest.mark.parametrize("row", SOURCE_TYPES, ids=lambda r: r.name)
def test_credentials_are_the_collectors_settings_and_defaults(row):
    """The About page's variables are what each collector really reads by default."""
    fields = source_module(row.name).Config.model_fields
    declared = {name: f.default for name, f in fields.items() if name.endswith("_env")}
    assert declared == {c.setting: c.default for c in row.credentials}


def test_every_recovery_family_has_runbooks():
    assert set(RECOVERY_SCENARIOS) == set(Recovery)


def test_a_row_must_spell_the_console_steps_its_runbooks_name():
    with pytest.raises(ValueError, match=r"'x': its runbooks need the console steps \['failover_plans', "):
        ProtectionSystemInfo(name="x", member="X", product="X", source="veeam", platform="vsphere",
                             kinds=("replication",), recovery={"replication": Recovery.REPLICA_FAILOVER})
    with pytest.raises(ValueError, match=r"'x': recovery for kinds it has no jobs of: \['backup'\]"):
        ProtectionSystemInfo(name="x", member="X", product="X", source="aws", platform="aws",
                             kinds=("snapshot",), recovery={"backup": Recovery.SNAPSHOT_RESTORE})


@pytest.mark.parametrize("row", [r for r in SOURCE_TYPES if r.credentials], ids=lambda r: r.name)
def test_a_credential_setting_must_name_a_variable(row):
    config = source_module(row.name).Config
    settings = {"name": row.name, "type": row.name, **row.starter}
    assert config.model_validate(settings)
    for credential in row.credentials:
        with pytest.raises(ValidationError, match=credential.setting):
            config.model_validate({**settings, credential.setting: ""})

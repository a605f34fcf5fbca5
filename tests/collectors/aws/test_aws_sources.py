"""The aws source as an operator configures it: sources.yaml → load_sources → collect_state."""

from __future__ import annotations

import pytest

from tests.collectors.aws.aws_estate import AMBIENT, COPY, EAST, HOME, PROD, ROLE
from trondocs.collectors.aws import Config
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import load_sources
from trondocs.diagnostics import PlanError


def write_sources(tmp_path, body: str):
    (tmp_path / "sources.yaml").write_text(body)
    return tmp_path


def test_sources_yaml_reads_the_estate_into_a_state(tmp_path, moto_url, gap, estate, ctx):
    inventory = write_sources(tmp_path, f"""\
sources:
  - name: aws-prod
    type: aws
    regions: [{HOME}, {EAST}]
    copy_regions: [{COPY}]
    accounts:
      - {{name: tron-prod, role_arn: "{ROLE}", external_id: trondocs}}
    endpoint_url: {moto_url}
    dlm_endpoint_url: {gap.url}
    backup_endpoint_url: {gap.url}
    max_workers: 3
    max_attempts: 2
    timeout: 5
""")
    [source] = load_sources(inventory)
    assert isinstance(source.config, Config) and source.config.max_workers == 3
    state = collect_state([source], ctx)
    [run] = state.collection.sources
    assert (run.name, run.type, run.ok, run.error) == ("aws-prod", "aws", True, None)
    assert sorted({s.scope.rsplit("/", 1)[0] for s in run.scopes}) == [
        f"{PROD}/{r}" for r in sorted((HOME, EAST, COPY))]
    assert {a.account for a in state.assets} == {PROD}
    assert {a.id for a in state.assets} == {estate.instances[k] for k in ("full", "solidity", "east")}
    assert run.objects == (len(state.assets) + len(state.restore_points) + len(state.jobs)
                           + len(state.repositories) + len(state.recovery_runs))
    assert state.restore_points and all(p.source == "aws-prod" for p in state.restore_points)


def test_a_profile_account_uses_that_profile(tmp_path, aws_env, moto_url, gap, ctx, monkeypatch):
    config = tmp_path / "aws-config"
    config.write_text("[profile tron-ro]\naws_access_key_id = profilekey\naws_secret_access_key = x\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    inventory = write_sources(tmp_path, f"""\
sources:
  - {{name: aws, type: aws, regions: [{HOME}], accounts: [{{profile: tron-ro}}], endpoint_url: {moto_url},
      dlm_endpoint_url: {gap.url}, backup_endpoint_url: {gap.url}, services: [ec2]}}
""")
    state = collect_state(load_sources(inventory), ctx)
    [run] = state.collection.sources
    # moto gives keys it does not know to its default account: the ambient account's bastion
    assert run.ok and {s.scope.rsplit("/", 1)[0] for s in run.scopes} == {f"{AMBIENT}/{HOME}"}
    assert [a.name for a in state.assets] == ["bastion"]


@pytest.mark.parametrize(("entry", "message"), [
    ("regions: [Frankfurt]", "String should match pattern"),
    ("regions: []", "at least 1 item"),
    ("regions: [eu-central-1], accounts: [{role_arn: 'admin'}]", "String should match pattern"),
    ("regions: [eu-central-1], max_workers: 0", "greater than or equal to 1"),
    ("regions: [eu-central-1], services: [s3]", "'ec2', 'dlm' or 'backup'"),
    ("regions: [eu-central-1], secret_key: abc", "would put a secret in sources.yaml"),
    ("regions: [eu-central-1], regoins: [x]", "regoins"),
])
def test_bad_settings_are_plan_errors_naming_the_file(tmp_path, entry, message):
    inventory = write_sources(tmp_path, f"sources:\n  - {{name: aws, type: aws, {entry}}}\n")
    with pytest.raises(PlanError) as caught:
        load_sources(inventory)
    [diagnostic] = caught.value.diagnostics
    assert message in str(diagnostic.message) + str(diagnostic.hint)
    assert diagnostic.location.file.endswith("sources.yaml")

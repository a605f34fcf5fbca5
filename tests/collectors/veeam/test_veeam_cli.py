"""`trondocs collect` with a Veeam source in sources.yaml, end to end against the fake server."""

from __future__ import annotations

import shutil

from tests.collectors.veeam.conftest import USER
from trondocs.state.io import load_state

PASSWORD = "cli-Secret-Pw-5512"


def _inventory(tmp_path, example_inventory, url: str):
    inventory = tmp_path / "inventory"
    shutil.copytree(example_inventory, inventory)
    (inventory / "sources.yaml").write_text(
        "sources:\n"
        "  - name: vbr\n"
        "    type: veeam\n"
        f"    url: {url}\n"
        "    api_version: 1.3-rev2\n"
        "    page_size: 4\n"
        "    retries: 1\n"
        "    retry_backoff: 0\n")
    return inventory


def test_collect_command_reads_veeam(veeam_server, tmp_path, example_inventory, run_cli):
    server = veeam_server("1.3-rev2", password=PASSWORD, token_prefix="CLI-TOKEN-77")
    inventory = _inventory(tmp_path, example_inventory, server.url)
    output = tmp_path / "state.json"
    env = {"TRONDOCS_VEEAM_USER": USER, "TRONDOCS_VEEAM_PASSWORD": PASSWORD}
    result = run_cli("collect", "-i", inventory, "-o", output, "--no-history", "-vv", env=env)
    assert result.exit_code == 0, result.output
    state = load_state(output)
    assert {j.name for j in state.jobs} == {"Backup TRON nodes", "Replicate TRON nodes"}
    assert len(state.restore_points) == 28 and len(state.recovery_runs) == 6
    (run,) = state.collection.sources
    assert run.ok and run.type == "veeam" and run.api_calls == len(server.hits)
    for text in (result.output, output.read_text()):
        assert PASSWORD not in text and "CLI-TOKEN-77" not in text


def test_collect_command_with_a_failing_part_exits_3_and_keeps_the_rest(
        veeam_server, tmp_path, example_inventory, run_cli):
    server = veeam_server("1.3-rev2", password=PASSWORD, fail_always={"/api/v1/replicaPoints"})
    inventory = _inventory(tmp_path, example_inventory, server.url)
    output = tmp_path / "state.json"
    env = {"TRONDOCS_VEEAM_USER": USER, "TRONDOCS_VEEAM_PASSWORD": PASSWORD}
    result = run_cli("collect", "-i", inventory, "-o", output, "--no-history", env=env)
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert "replicas: Veeam at" in result.output and "GET /api/v1/replicaPoints failed (HTTP 500)" in \
        result.output
    state = load_state(output)
    assert len(state.restore_points) == 16 and len(state.jobs) == 2  # the backups kept


def test_collect_command_without_the_password_is_one_clear_line(
        veeam_server, tmp_path, example_inventory, run_cli):
    server = veeam_server("1.3-rev2")
    inventory = _inventory(tmp_path, example_inventory, server.url)
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "s.json", "--no-history",
                     env={"TRONDOCS_VEEAM_USER": USER, "TRONDOCS_VEEAM_PASSWORD": ""})
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "Veeam password is not set: export TRONDOCS_VEEAM_PASSWORD=… (never put it in YAML)" in \
        result.output
    assert server.hits == []

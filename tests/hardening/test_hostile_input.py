"""Hostile input ends as a plan or usage error (exit 2) naming the file, never a traceback or a hang.

One regression test per input the outside probe of issue 15 reported (item 1).
"""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.factories import example_state
from trondocs.starter.inventory import write_starter
from trondocs.state.io import save_state

BILLION_LAUGHS = "\n".join(
    [f"{chr(97)}: &a [{', '.join(['lol'] * 9)}]"]
    + [f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join(['*' + chr(96 + i)] * 9)}]" for i in range(1, 9)]
) + "\n"


def plain_result(result) -> str:
    """Both streams; and the assertion every test shares: no traceback, no stray exception."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return output


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    write_starter(folder, force=True)
    return folder


@pytest.fixture
def state_file(tmp_path: Path) -> Path:
    path = tmp_path / "state.json"
    save_state(example_state(), path)
    return path


def test_billion_laughs_in_a_plan_file_ends_fast_with_a_plan_error(run_cli, inventory: Path):
    (inventory / "nodes.yaml").write_text(BILLION_LAUGHS)
    began = time.monotonic()
    result = run_cli("validate", "-i", inventory)
    assert time.monotonic() - began < 15
    output = plain_result(result)
    assert result.exit_code == 2
    assert "nodes.yaml:" in output and "billion laughs" in output


def test_billion_laughs_in_sources_yaml_ends_fast_with_a_plan_error(run_cli, inventory: Path):
    (inventory / "sources.yaml").write_text(BILLION_LAUGHS)
    began = time.monotonic()
    result = run_cli("collect", "-i", inventory, "--no-history")
    assert time.monotonic() - began < 15
    assert result.exit_code == 2 and "sources.yaml:" in plain_result(result)
    assert "billion laughs" in result.stderr


@pytest.mark.timeout(30)
def test_a_fifo_as_nodes_yaml_is_refused_without_blocking(run_cli, inventory: Path):
    os.mkfifo(inventory / "nodes.yaml")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "nodes.yaml:1:1: error: the YAML file is a FIFO (named pipe)" in plain_result(result)


@pytest.mark.timeout(30)
def test_a_fifo_as_the_state_is_refused_without_blocking(run_cli, inventory: Path, tmp_path: Path):
    os.mkfifo(tmp_path / "state.json")
    result = run_cli("drift", "-i", inventory, "--state", tmp_path / "state.json", "--no-baseline")
    assert result.exit_code == 2
    assert "state.json:1:1: error: the state file is a FIFO (named pipe)" in plain_result(result)


@pytest.mark.timeout(30)
def test_dev_zero_as_a_plan_file_is_refused(run_cli, inventory: Path):
    (inventory / "nodes.yaml").symlink_to("/dev/zero")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "nodes.yaml:1:1: error: the YAML file is a device" in plain_result(result)


def test_a_plan_file_beyond_the_size_limit_is_refused(run_cli, inventory: Path, monkeypatch):
    monkeypatch.setattr("trondocs.plan.yamlsource.MAX_YAML_BYTES", 1024)
    (inventory / "nodes.yaml").write_text("# padding\n" * 200)
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "nodes.yaml:1:1: error: the YAML file is larger than 1 KiB" in plain_result(result)


def test_a_symlink_loop_is_a_plan_error(run_cli, inventory: Path):
    (inventory / "nodes.yaml").symlink_to("nodes.yaml")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "nodes.yaml:1:1: error: the YAML file is a symbolic link that leads back to itself" \
        in plain_result(result)
    result = run_cli("validate", "-i", inventory / "nodes.yaml")
    assert result.exit_code == 2 and "symlink loop" in plain_result(result)


def test_a_symlink_loop_as_sources_yaml_is_reported_not_ignored(run_cli, inventory: Path):
    (inventory / "sources.yaml").unlink()
    (inventory / "sources.yaml").symlink_to("sources.yaml")
    result = run_cli("collect", "-i", inventory, "--no-history")
    assert result.exit_code == 2 and "symlink loop" in plain_result(result)


def test_an_absurd_duration_is_a_plan_error_at_its_line(run_cli, inventory: Path):
    (inventory / "extra.yaml").write_text("\n".join([
        "waivers: []",
        "drills: []",
    ]) + "\n")
    plan = (inventory / "plan.yaml").read_text()
    assert "rpo:" in plan
    lines = plan.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip().startswith("rpo:"))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = f"{indent}rpo: 99999999999999999999999999d"
    (inventory / "plan.yaml").write_text("\n".join(lines) + "\n")
    result = run_cli("validate", "-i", inventory)
    output = plain_result(result)
    assert result.exit_code == 2
    assert f"plan.yaml:{index + 1}:" in output and "longer than 100 years" in output


def test_a_list_as_a_source_type_is_a_plan_error(run_cli, tmp_path: Path):
    inventory = inventory_with_sources(tmp_path / "inventory", [{"name": "x", "type": ["list"]}])
    result = run_cli("collect", "-i", inventory, "--no-history")
    output = plain_result(result)
    assert result.exit_code == 2
    assert "sources.yaml:" in output and "unknown source type a list" in output


def test_deeply_nested_json_in_a_state_file_is_a_clear_error(run_cli, inventory: Path, tmp_path: Path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "deeper.json").write_text('{"schema_version": 1, "x": ' + "[" * 40 + "]" * 40 + "}")
    for name in ("deep.json", "deeper.json"):
        result = run_cli("drift", "-i", inventory, "--state", tmp_path / name, "--no-baseline")
        assert result.exit_code == 2
        assert f"{name}:1:1: error: not a trondocs state: JSON nested more than" in plain_result(result)


def test_a_gzip_bomb_state_stops_at_the_decompressed_limit(run_cli, inventory: Path, tmp_path: Path,
                                                           monkeypatch):
    monkeypatch.setattr("trondocs.state.io.MAX_STATE_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.state.json.gz"
    bomb.write_bytes(gzip.compress(b'{"x": "' + b"0" * (20 * 1024 * 1024) + b'"}'))
    assert bomb.stat().st_size < 100_000
    result = run_cli("drift", "-i", inventory, "--state", bomb, "--no-baseline")
    assert result.exit_code == 2
    assert "bomb.state.json.gz:1:1: error: the state file decompresses to more than 1.0 MiB" \
        in plain_result(result)


def test_a_damaged_or_truncated_gzip_state_is_a_clear_error(run_cli, inventory: Path, tmp_path: Path,
                                                            state_file: Path):
    data = gzip.compress(state_file.read_bytes())
    (tmp_path / "cut.json.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "bad.json.gz").write_bytes(data[:10] + b"\xff" * 50)
    for name, message in (("cut.json.gz", "truncated gzip"), ("bad.json.gz", "not valid gzip")):
        result = run_cli("drift", "-i", inventory, "--state", tmp_path / name, "--no-baseline")
        assert result.exit_code == 2 and message in plain_result(result), result.stderr


def test_a_huge_integer_in_a_state_file_is_a_clear_error(run_cli, inventory: Path, tmp_path: Path):
    (tmp_path / "big.json").write_text('{"schema_version": ' + "9" * 5000 + "}")
    result = run_cli("drift", "-i", inventory, "--state", tmp_path / "big.json", "--no-baseline")
    assert result.exit_code == 2 and "big.json:1:1: error:" in plain_result(result)


@pytest.mark.timeout(30)
def test_a_fifo_as_a_snapshot_source_or_signing_key_does_not_block(run_cli, tmp_path: Path,
                                                                   state_file: Path):
    os.mkfifo(tmp_path / "fifo.json")
    inventory = inventory_with_sources(tmp_path / "inventory",
                                       [{"name": "snap", "type": "snapshot", "path": "../fifo.json"}])
    result = run_cli("collect", "-i", inventory, "--no-history", "-o", tmp_path / "out.json")
    assert result.exit_code == 3 and "FIFO" in plain_result(result)
    os.mkfifo(tmp_path / "key.pem")
    result = run_cli("report", "-i", inventory, "--state", state_file, "-o", tmp_path / "r.pdf",
                     "--sign-key", tmp_path / "key.pem")
    assert result.exit_code == 2 and "cannot read the signing key" in plain_result(result)
    assert "FIFO" in result.stderr
    result = run_cli("verify", tmp_path / "fifo.json")
    assert result.exit_code == 2 and "FIFO" in plain_result(result)


def test_a_state_file_that_is_a_folder_or_missing(run_cli, inventory: Path, tmp_path: Path):
    (tmp_path / "folder.json").mkdir()
    result = run_cli("drift", "-i", inventory, "--state", tmp_path / "folder.json", "--no-baseline")
    assert result.exit_code == 2 and "is a folder" in plain_result(result)
    result = run_cli("drift", "-i", inventory, "--state", tmp_path / "none.json", "--no-baseline")
    assert result.exit_code == 2 and "does not exist" in plain_result(result)


def test_sources_yaml_json_is_read_like_yaml(tmp_path: Path):
    # the helper writes JSON: keep it so (the fuzz test relies on it)
    folder = inventory_with_sources(tmp_path / "inv", [{"name": "a", "type": "snapshot", "path": "x"}])
    assert json.loads((folder / "sources.yaml").read_text())["sources"][0]["name"] == "a"


def test_deeply_nested_yaml_is_a_plan_error(run_cli, inventory: Path):
    (inventory / "deep.yaml").write_text("nodes: " + "[" * 50_000 + "]" * 50_000 + "\n")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "deep.yaml:1:1: error: the document is nested too deeply" in plain_result(result)

"""trondocs drift / rules through the click runner: usage errors are one clear line and exit 2."""

from __future__ import annotations

import json

import pytest

from tests.factories import example_state
from trondocs.state.io import save_state


@pytest.fixture
def state_file(tmp_path):
    path = tmp_path / "state.json"
    save_state(example_state(), path)
    return path


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_as_of_garbage_is_one_line_and_exit_2(run_cli, example_inventory, state_file):
    result = run_cli("drift", "-i", example_inventory, "--state", state_file, "--as-of", "garbage")
    assert result.exit_code == 2
    assert _one_line(result.stderr) == ("error: --as-of 'garbage' is not a time; write ISO 8601 like "
                                        "2026-11-20T06:00:00Z, a date like 2026-11-20, or 'now'")
    assert result.stdout == ""


@pytest.mark.parametrize(("args", "fragment"), [
    (("--format", "sarrif"), "unknown format; did you mean 'sarif'?"),
    (("--format", "json", "--format", "text"), "only one format can go to standard output"),
    (("--baseline", "old.json", "--no-baseline"), "give either --baseline FILE or --no-baseline"),
])
def test_usage_mistakes_are_one_line_and_exit_2(run_cli, example_inventory, state_file, args, fragment):
    result = run_cli("drift", "-i", example_inventory, "--state", state_file, *args)
    assert result.exit_code == 2
    assert fragment in _one_line(result.stderr)


def test_missing_state_names_the_file_and_the_fix(run_cli, example_inventory, tmp_path):
    missing = tmp_path / "nope.json"
    result = run_cli("drift", "-i", example_inventory, "--state", missing)
    assert result.exit_code == 2
    assert f"{missing}:1:1: error: the state file does not exist" in result.stderr
    assert "hint: check the path, or write one with 'trondocs collect -o FILE'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_damaged_state_is_exit_2_not_a_traceback(run_cli, example_inventory, tmp_path):
    broken = tmp_path / "state.json"
    broken.write_text('{"schema_version": 1, "collection": ')
    result = run_cli("drift", "-i", example_inventory, "--state", broken)
    assert result.exit_code == 2
    assert "not JSON" in result.stderr and "Traceback" not in result.stderr


def test_bad_fail_on_is_refused(run_cli, example_inventory, state_file):
    result = run_cli("drift", "-i", example_inventory, "--state", state_file, "--fail-on", "severe")
    assert result.exit_code == 2
    assert "'severe' is not one of 'low', 'medium', 'high', 'critical', 'never'" in result.stderr


def test_no_output_is_written_on_a_usage_error(run_cli, example_inventory, state_file, tmp_path):
    target = tmp_path / "drift.sarif"
    result = run_cli("drift", "-i", example_inventory, "--state", state_file, "--as-of", "soon",
                     "--format", f"sarif={target}")
    assert result.exit_code == 2 and not target.exists()


def test_as_of_before_the_collection_is_judged_but_warned_about(run_cli, example_inventory, state_file):
    result = run_cli("drift", "-i", example_inventory, "--state", state_file, "--as-of", "2026-01-01",
                     "--fail-on", "never")
    assert result.exit_code == 0
    assert "warning: --as-of 2026-01-01T00:00Z is before the state was collected" in result.stderr
    on_time = run_cli("drift", "-i", example_inventory, "--state", state_file, "--fail-on", "never")
    assert "before the state was collected" not in on_time.stderr


def test_a_missing_baseline_names_the_file(run_cli, example_inventory, state_file, tmp_path):
    result = run_cli("drift", "-i", example_inventory, "--state", state_file,
                     "--baseline", tmp_path / "nope.json")
    assert result.exit_code == 2
    assert "nope.json:1:1: error: the state file does not exist" in result.stderr
    assert "--state" not in result.stderr


def test_files_are_written_whole_or_not_at_all(run_cli, example_inventory, state_file, tmp_path, monkeypatch):
    from trondocs.render.drift import json as drift_json

    out = tmp_path / "out"
    report, sarif = out / "drift.json", out / "drift.sarif"
    args = ("drift", "-i", example_inventory, "--state", state_file, "--fail-on", "never",
            "--format", f"sarif={sarif}", "--format", f"json={report}")
    assert run_cli(*args).exit_code == 0
    written = report.read_text(encoding="utf-8"), sarif.read_text(encoding="utf-8")
    assert json.loads(written[0])["findings"] and json.loads(written[1])["runs"]

    def fails_halfway(assessment, options):
        yield "{"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(drift_json, "render_pieces", fails_halfway)
    assert run_cli(*args).exit_code != 0
    assert (report.read_text(encoding="utf-8"), sarif.read_text(encoding="utf-8")) == written
    assert sorted(p.name for p in out.iterdir()) == ["drift.json", "drift.sarif"]  # no temporary left

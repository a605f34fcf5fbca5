"""``trondocs site`` and ``trondocs build`` from the command line: outputs, progress, exit codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_INVENTORY
from tests.factories import example_state
from trondocs.state.io import save_state


@pytest.fixture(scope="module")
def state_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("state") / "state.json"
    save_state(example_state(), path)
    return path


def test_site_publishes_from_a_saved_state(run_cli, tmp_path, state_file):
    out = tmp_path / "site"
    result = run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", state_file, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert f"site: {out}/index.html (20 pages)" in result.stdout
    assert "verdict: not-ready" in result.stderr and "building 20 pages with mkdocs" in result.stderr
    assert "NOT READY" in (out / "index.html").read_text()
    assert (out / "state.json").read_text() == state_file.read_text()


def test_site_judges_at_as_of_and_compares_with_a_baseline(run_cli, tmp_path, state_file):
    baseline = tmp_path / "baseline.json"
    save_state(example_state(failed_sources=("aws",)), baseline)
    out = tmp_path / "site"
    result = run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", state_file, "--baseline", baseline,
                     "--as-of", "2026-11-21T06:00:00Z", "-o", out, "-q")
    assert result.exit_code == 0, result.stderr
    index = (out / "index.html").read_text()
    assert "Evidence as of <strong>2026-11-21 06:00 UTC</strong>" in index
    assert "Compared with the snapshot of 2026-11-20 06:00 UTC" in index
    assert result.stderr.count("\n") <= 2  # -q: the verdict line only, no progress


@pytest.mark.parametrize("args, message", [
    (["--state", "missing.json"], "the state file does not exist"),
    (["--state", "{state}", "--as-of", "yesterday"], "--as-of 'yesterday' is not a time"),
])
def test_site_usage_errors_are_one_line_and_exit_2(run_cli, tmp_path, state_file, args, message):
    args = [a.replace("{state}", str(state_file)) for a in args]
    result = run_cli("site", "-i", EXAMPLE_INVENTORY, *args, "-o", tmp_path / "site")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_broken_user_template_fails_the_build_and_keeps_the_old_site(run_cli, tmp_path, state_file):
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    out = tmp_path / "site"
    assert run_cli("site", "-i", inventory, "--state", state_file, "-o", out, "-q").exit_code == 0
    before = (out / "index.html").read_bytes()
    (tmp_path / "templates" / "site").mkdir(parents=True)  # templates/ beside the inventory
    (tmp_path / "templates" / "site" / "index.md.j2").write_text("# Home\n\n[gone](nowhere.md)\n")
    result = run_cli("site", "-i", inventory, "--state", state_file, "-o", out, "-q")
    assert result.exit_code == 2
    assert "nowhere.md" in result.stderr and "the previous site was left as it was" in result.stderr
    assert "Traceback" not in result.stderr and (out / "index.html").read_bytes() == before


def test_build_collects_checks_publishes_and_writes_the_report(run_cli, tmp_path, state_file):
    inventory = tmp_path / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    # Collect live through the snapshot source, so the collect step really runs.
    (inventory / "sources.yaml").write_text(f"sources:\n  - name: capture\n    type: snapshot\n"
                                            f"    path: {state_file}\n")
    out, history = tmp_path / "site", tmp_path / "evidence"
    result = run_cli("build", "-i", inventory, "-o", out, "--history", history,
                     "--as-of", "2026-11-20T06:00:00Z")
    assert result.exit_code == 0, result.stderr  # built; without --fail-on the findings do not decide
    steps = [line for line in result.stderr.splitlines() if line[:4] in ("1/4 ", "2/4 ", "3/4 ", "4/4 ")]
    assert [s[:3] for s in steps] == ["1/4", "2/4", "3/4", "4/4"]
    assert "collecting from the sources" in steps[0] and "writing the PDF report" in steps[3]
    assert f"site: {out}/index.html" in result.stdout and f"report: {out}/report.pdf" in result.stdout
    assert (out / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert 'href="report.pdf"' in (out / "downloads.html").read_text()
    assert list(history.rglob("*.json*")), "the collected snapshot is appended to the history"


def test_a_killed_site_build_leaves_the_site_and_the_next_run_cleans_up(run_cli, tmp_path, state_file):
    """SIGKILL a real `trondocs site` while mkdocs builds into its staging folder."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT
    from trondocs.render.website.reuse import INPUTS_FILE

    def listing():
        return sorted(p.relative_to(out) for p in out.rglob("*") if p.name != INPUTS_FILE)

    out = tmp_path / "site"
    assert run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", state_file, "-o", out, "-q").exit_code == 0
    (out / INPUTS_FILE).unlink()  # else the same inputs keep the site and mkdocs never runs
    before = listing()
    build = subprocess.Popen([sys.executable, "-m", "trondocs", "site", "-i", str(EXAMPLE_INVENTORY),
                              "--state", str(state_file), "-o", str(out), "-q"],
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not any((p / "index.html").exists() for p in tmp_path.glob(".site.build.*")):
        assert build.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
        time.sleep(0.005)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert listing() == before  # the site is whole
    assert [p.name for p in tmp_path.glob(".site.build.*")]  # what the killed build left
    assert run_cli("site", "-i", EXAMPLE_INVENTORY, "--state", state_file, "-o", out, "-q").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert listing() == before


def test_build_fail_on_exits_as_drift_decides(run_cli, tmp_path, state_file):
    """One contract: ``build --fail-on X`` ends with the exit code ``drift --fail-on X`` gives."""
    common = ["-i", EXAMPLE_INVENTORY, "--state", state_file, "--as-of", "2026-11-20T06:00:00Z"]
    drift = run_cli("drift", *common, "--no-baseline", "--fail-on", "critical", "-q")
    built = run_cli("build", *common, "--no-history", "-o", tmp_path / "site", "--fail-on", "critical")
    assert drift.exit_code in (1, 3), drift.stderr  # the demo has UNKNOWN checks: never a clean 0
    assert built.exit_code == drift.exit_code, built.stderr
    assert (tmp_path / "site" / "report.pdf").is_file(), "published before the exit code is decided"

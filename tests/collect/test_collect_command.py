"""`trondocs collect`: round trip through a snapshot, failing sources, --source, evidence history."""

from __future__ import annotations

import gzip
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.factories import example_state
from tests.vcsim.harness import PASSWORD, Vcsim, running
from trondocs.state.io import load_state, save_state

KINDS = ("assets", "hosts", "restore_points", "jobs", "repositories", "failover_plans", "recovery_runs",
         "node_status", "witness")


@pytest.fixture(scope="module")
def lab() -> Iterator[Vcsim]:
    with running("-snapshots", "2") as sim:
        yield sim


@pytest.fixture
def inventory(tmp_path: Path, lab: Vcsim) -> Path:
    """A live vSphere source, a captured state, and a (disabled) replay of what collect wrote."""
    save_state(example_state(), tmp_path / "capture.state.json")
    return inventory_with_sources(tmp_path / "inventory", [
        {"name": "lab-vcenter", "type": "vsphere", "host": lab.host, "port": lab.port, "protocol": "http",
         "page_size": 5},
        {"name": "capture", "type": "snapshot", "path": "../capture.state.json"},
        {"name": "snapshot", "type": "snapshot", "path": "../state.json", "enabled": False},
    ])


def test_round_trip_through_a_snapshot_source(run_cli, inventory: Path, tmp_path: Path, lab: Vcsim):
    first = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history", env=lab.env)
    assert first.exit_code == 0, first.stderr
    assert first.stdout == f"wrote {tmp_path / 'state.json'}\n"
    assert re.search(r"^lab-vcenter \(vsphere\): ok — 17 objects, \d+ API calls$", first.stderr, re.M)
    written = load_state(tmp_path / "state.json")
    assert len([a for a in written.assets if a.source == "lab-vcenter"]) == 4
    assert len([p for p in written.restore_points if p.source == "lab-vcenter"]) == 8
    assert written.jobs == example_state().jobs and written.jobs

    again = run_cli("collect", "-i", inventory, "--source", "snapshot", "-o", tmp_path / "again.json",
                    "--no-history", env=lab.env)
    assert again.exit_code == 0, again.stderr
    replayed = load_state(tmp_path / "again.json")
    for kind in KINDS:
        assert getattr(replayed, kind) == getattr(written, kind), kind
    assert replayed.collection == written.collection
    assert (tmp_path / "again.json").read_text() == (tmp_path / "state.json").read_text()


def test_a_failing_source_gives_exit_3_and_the_state_keeps_its_error(run_cli, tmp_path: Path, lab: Vcsim):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    inventory = inventory_with_sources(tmp_path / "inventory", [
        {"name": "lab-vcenter", "type": "vsphere", "host": lab.host, "port": lab.port, "protocol": "http"},
        {"name": "dr-vcenter", "type": "vsphere", "host": "127.0.0.1", "port": dead_port, "protocol": "http"},
    ])
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history", env=lab.env)
    assert result.exit_code == 3
    error = (f"cannot connect to vSphere at http://127.0.0.1:{dead_port}: connection refused "
             "(check host and port)")
    assert f"dr-vcenter (vsphere): FAILED — 0 objects, 0 API calls — {error}" in result.stderr.splitlines()
    state = load_state(tmp_path / "state.json")
    runs = {r.name: r for r in state.collection.sources}
    assert (runs["dr-vcenter"].ok, runs["dr-vcenter"].error) == (False, error)
    assert runs["lab-vcenter"].ok and runs["lab-vcenter"].objects == 4 + 8 + 5
    assert not state.collection.complete
    assert {a.source for a in state.assets} == {"lab-vcenter"}  # the other source was still read
    assert PASSWORD not in (tmp_path / "state.json").read_text() + result.output


def test_unknown_source_name_is_a_usage_error_with_a_hint(run_cli, inventory: Path, tmp_path: Path):
    result = run_cli("collect", "-i", inventory, "--source", "lab-vcentre", "-o", tmp_path / "s.json")
    assert result.exit_code == 2
    assert "error: no source named 'lab-vcentre' in sources.yaml" in result.stderr
    assert "hint: did you mean 'lab-vcenter'?" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "s.json").exists()


def test_quiet_prints_only_warnings_on_success(run_cli, inventory: Path, tmp_path: Path, lab: Vcsim):
    result = run_cli("collect", "-q", "-i", inventory, "--source", "lab-vcenter", "-o", tmp_path / "s.json",
                     "--no-history", env=lab.env)
    assert (result.exit_code, result.stdout) == (0, "")
    # TLS/plain-http warnings are security warnings: shown on every run, even with -q
    assert result.stderr == (f"warning: lab-vcenter: http://{lab.host}:{lab.port} uses plain http: the "
                             "password crosses the network unencrypted "
                             "(meant for the vcsim simulator only)\n")
    assert load_state(tmp_path / "s.json").assets


def test_progress_is_shown_on_stderr(run_cli, inventory: Path, tmp_path: Path, lab: Vcsim):
    result = run_cli("collect", "-i", inventory, "--source", "lab-vcenter", "-o", tmp_path / "s.json",
                     "--no-history", env=lab.env)
    assert result.exit_code == 0
    assert re.search(r"^lab-vcenter: \d+ objects$", result.stderr, re.M), result.stderr


def test_history_is_appended_and_never_overwritten(run_cli, inventory: Path, tmp_path: Path):
    save_state(example_state(), tmp_path / "state.json")  # what the replay source reads
    history = tmp_path / "evidence"
    kept: dict[str, bytes] = {}
    for run in range(3):
        result = run_cli("collect", "-i", inventory, "--source", "snapshot", "-o", tmp_path / "out.json",
                         "--history", history)
        assert result.exit_code == 0, result.stderr
        files = sorted(p.name for p in history.iterdir())
        assert len(files) == run + 1
        for name, data in kept.items():  # earlier snapshots are untouched
            assert (history / name).read_bytes() == data
        kept = {name: (history / name).read_bytes() for name in files}
    # A replay ends when the replayed runs ended: same second, so the names count up.
    base = example_state().collection.finished.strftime("%Y%m%dT%H%M%SZ")
    # In name order = in time order (what `ls | tail -n 1` in the PR workflow relies on).
    assert sorted(kept) == [f"{base}.state.json.gz", f"{base}_1.state.json.gz", f"{base}_2.state.json.gz"]
    for data in kept.values():
        assert json.loads(gzip.decompress(data)) == json.loads((tmp_path / "out.json").read_text())
    assert "appended" in result.stdout and str(history) in result.stdout


def test_an_insecure_source_is_warned_about_even_when_it_fails(run_cli, tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    inventory = inventory_with_sources(tmp_path / "inventory", [
        {"name": "vbr", "type": "veeam", "url": f"https://127.0.0.1:{dead_port}", "insecure": True},
    ])
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history",
                     env={"TRONDOCS_VEEAM_USER": "viewer", "TRONDOCS_VEEAM_PASSWORD": "s3cret-for-test"})
    assert result.exit_code == 3
    assert "warning: vbr: TLS certificate verification is OFF (insecure: true)" in result.stderr
    [run] = load_state(tmp_path / "state.json").collection.sources
    assert not run.ok and run.warnings and "insecure: true" in run.warnings[0]


def test_no_source_at_all_is_incomplete_evidence_not_success(run_cli, tmp_path: Path):
    inventory = inventory_with_sources(tmp_path / "inventory", [])
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json", "--no-history")
    assert result.exit_code == 3
    assert "no source is configured" in result.stderr and "UNKNOWN" in result.stderr
    assert not load_state(tmp_path / "state.json").collection.complete

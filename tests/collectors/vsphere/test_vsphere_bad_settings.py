"""Bad connection settings: one clear line, exit 3, no traceback, no secret — through the real CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.vcsim.harness import PASSWORD, Vcsim
from trondocs.collectors.connection import INSECURE_WARNING

ROOT = Path(__file__).resolve().parents[3]


def trondocs_collect(tmp_path: Path, source: dict, env: dict[str, str]) -> tuple[int, str, str, dict]:
    """Run `trondocs collect` as a user would (a subprocess); return code, stdout, stderr, state."""
    inventory = inventory_with_sources(tmp_path / "inventory", [{"name": "vc", "type": "vsphere", **source}])
    state = tmp_path / "state.json"
    done = subprocess.run(
        [sys.executable, "-m", "trondocs", "collect", "-i", str(inventory), "-o", str(state),
         "--no-history"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env})
    return done.returncode, done.stdout, done.stderr, json.loads(state.read_text())


def assert_one_clear_failure(code: int, stdout: str, stderr: str, state: dict, expected: str) -> None:
    assert code == 3, stderr
    assert "Traceback" not in stdout + stderr
    assert PASSWORD not in stdout + stderr + json.dumps(state)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, lines  # the one line that says what failed and why
    assert lines[0].startswith("vc (vsphere): FAILED — 0 objects, 0 API calls — ")
    assert expected in lines[0], lines[0]
    (run,) = state["collection"]["sources"]
    assert (run["name"], run["ok"]) == ("vc", False)
    assert expected in run["error"] and "\n" not in run["error"]
    assert state["assets"] == [] and state["restore_points"] == []


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield server.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when we return: nothing listens there


def test_wrong_port(tmp_path, vcsim: Vcsim):
    port = closed_port()
    result = trondocs_collect(tmp_path, {"host": "127.0.0.1", "port": port, "protocol": "http"}, vcsim.env)
    assert_one_clear_failure(*result, f"cannot connect to vSphere at http://127.0.0.1:{port}: "
                                      "connection refused (check host and port)")


def test_wrong_host(tmp_path, vcsim: Vcsim):
    result = trondocs_collect(tmp_path, {"host": "vcenter.invalid"}, vcsim.env)
    assert_one_clear_failure(*result, "cannot resolve vSphere host 'vcenter.invalid': check 'host'")


def test_wrong_password(tmp_path, vcsim: Vcsim):
    env = {**vcsim.env, "TRONDOCS_VSPHERE_PASSWORD": PASSWORD + "-typo"}
    result = trondocs_collect(tmp_path, {"host": vcsim.host, "port": vcsim.port, "protocol": "http"}, env)
    assert_one_clear_failure(*result, f"vSphere login to http://{vcsim.host}:{vcsim.port} failed: wrong "
                             "user name or password "
                             "(from $TRONDOCS_VSPHERE_USER / $TRONDOCS_VSPHERE_PASSWORD)")


def test_password_not_set(tmp_path, vcsim: Vcsim):
    env = {**vcsim.env, "VC_PASS": ""}
    result = trondocs_collect(tmp_path, {"host": vcsim.host, "port": vcsim.port, "protocol": "http",
                                         "password_env": "VC_PASS"}, env)
    assert_one_clear_failure(*result, "vSphere password is not set: export VC_PASS=… (never put it in YAML)")


def test_self_signed_certificate_is_refused_without_insecure(tmp_path, vcsim_tls: Vcsim):
    result = trondocs_collect(tmp_path, {"host": vcsim_tls.host, "port": vcsim_tls.port}, vcsim_tls.env)
    assert_one_clear_failure(*result, f"TLS certificate of https://{vcsim_tls.host}:{vcsim_tls.port} is not "
                             "trusted (self-signed certificate): set ca_bundle to the CA that signed it "
                             "(or insecure: true, not recommended)")


def test_https_to_a_plain_http_server(tmp_path, vcsim: Vcsim):
    result = trondocs_collect(tmp_path, {"host": vcsim.host, "port": vcsim.port}, vcsim.env)
    assert_one_clear_failure(*result, f"TLS handshake with https://{vcsim.host}:{vcsim.port} failed "
                                      "(WRONG_VERSION_NUMBER) — is it plain http?")


def test_http_to_a_tls_server(tmp_path, vcsim_tls: Vcsim):
    result = trondocs_collect(tmp_path, {"host": vcsim_tls.host, "port": vcsim_tls.port, "protocol": "http"},
                              vcsim_tls.env)
    assert_one_clear_failure(*result, f"http://{vcsim_tls.host}:{vcsim_tls.port} is not a vSphere SDK "
                             "endpoint (HTTP 400 for /sdk/vimServiceVersions.xml): check host, port and "
                             "protocol")


def test_timeout(tmp_path, silent_port: int, vcsim: Vcsim):
    result = trondocs_collect(tmp_path, {"host": "127.0.0.1", "port": silent_port, "timeout": 0.5},
                              vcsim.env)
    assert_one_clear_failure(*result, f"vSphere at https://127.0.0.1:{silent_port} did not answer "
                                      "within 0.5 s")


def test_ca_bundle_makes_the_certificate_trusted(tmp_path, vcsim_tls: Vcsim):
    code, _, stderr, state = trondocs_collect(
        tmp_path, {"host": vcsim_tls.host, "port": vcsim_tls.port, "ca_bundle": str(vcsim_tls.cert)},
        vcsim_tls.env)
    assert code == 0, stderr
    assert "warning" not in stderr
    assert len(state["assets"]) == 4 and state["collection"]["sources"][0]["warnings"] == []


def test_insecure_works_and_is_warned_about_on_every_run(tmp_path, vcsim_tls: Vcsim):
    warning = INSECURE_WARNING
    for run in range(2):
        code, _, stderr, state = trondocs_collect(
            tmp_path / str(run), {"host": vcsim_tls.host, "port": vcsim_tls.port, "insecure": True},
            vcsim_tls.env)
        assert code == 0, stderr
        assert f"warning: vc: {warning}" in stderr.splitlines()
        assert state["collection"]["sources"][0]["warnings"] == [warning]
        assert len(state["assets"]) == 4


def test_missing_ca_bundle(tmp_path, vcsim_tls: Vcsim):
    result = trondocs_collect(tmp_path, {"host": vcsim_tls.host, "port": vcsim_tls.port,
                                         "ca_bundle": "certs/vcenter-ca.pem"}, vcsim_tls.env)
    missing = tmp_path / "inventory" / "certs" / "vcenter-ca.pem"
    assert_one_clear_failure(*result, f"ca_bundle {missing} does not exist: point it at the PEM file of "
                                      "the CA that signed the server's certificate")

"""vsphere settings in sources.yaml: defaults, and mistakes as file:line errors with exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from trondocs.collectors.sources import load_sources


def test_defaults(tmp_path: Path):
    inventory = inventory_with_sources(tmp_path, [{"name": "vc", "type": "vsphere", "host": "vc.example"}])
    (source,) = load_sources(inventory)
    config = source.config
    assert (config.port, config.protocol, config.insecure, config.ca_bundle) == (443, "https", False, None)
    assert (config.username_env, config.password_env) == (
        "TRONDOCS_VSPHERE_USER", "TRONDOCS_VSPHERE_PASSWORD")
    assert (config.replica_suffix, config.page_size, config.timeout) == ("_replica", 500, 30.0)


@pytest.mark.parametrize(("line", "where", "message", "hint"), [
    ("protocol: ftp", "5:5", "source 'vc', protocol: 'ftp' is not one of 'https' or 'http'",
     "use one of 'https' or 'http'"),
    ("pasword_env: VC_PW", "5:5", "source 'vc': unknown key 'pasword_env'", "did you mean 'password_env'?"),
    ("insecure: true\n    ca_bundle: ca.pem", "2:5", "source 'vc': set either ca_bundle or insecure: true, "
                                                   "not both", ""),
    ("page_size: 0", "5:5", "source 'vc', page_size: Input should be greater than or equal to 1", ""),
    ("password: hunter2", "5:5", "'password' would put a secret in sources.yaml",
     "remove it; set the environment variable named by 'password_env' instead"),
])
def test_mistakes_are_usage_errors_with_file_line_and_hint(run_cli, tmp_path: Path, line, where, message,
                                                           hint):
    inventory = inventory_with_sources(tmp_path / "inventory", [])
    sources = inventory / "sources.yaml"
    sources.write_text(f"sources:\n  - name: vc\n    type: vsphere\n    host: vc.example\n    {line}\n")
    result = run_cli("collect", "-i", inventory, "-o", tmp_path / "state.json")
    assert result.exit_code == 2
    assert f"{sources}:{where}: error: {message}\n" in result.stderr
    if hint:
        assert f"    hint: {hint}\n" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "state.json").exists()

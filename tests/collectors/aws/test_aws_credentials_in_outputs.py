"""No credential leaves the process, at any verbosity (issue 15, item 3).

The CLI runs as a real process, so its log handlers are the ones users get (in-process,
pytest's own handlers would swallow the records). Every file it wrote and both streams are
searched for the secrets: the temporary credentials moto's STS gave the collector for the
assumed role (read back from moto's own data dump) and the ambient secret key.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.collect.helpers import inventory_with_sources
from tests.collectors.aws.aws_estate import HOME, ROLE
from tests.conftest import ROOT

VERBOSITY = ([], ["-q"], ["-v"], ["-vv"])


def trondocs(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "trondocs", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def written(folder: Path) -> str:
    """Every file trondocs wrote under ``folder`` (not the inventory) as text, gzip decompressed."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "inventory" not in path.relative_to(folder).parts:
            data = path.read_bytes()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            texts.append(data.decode("utf-8", "replace"))
    return "\n".join(texts)


def assumed_credentials(moto_url: str) -> list[str]:
    with urllib.request.urlopen(f"{moto_url}/moto-api/data.json") as answer:
        data = json.load(answer)
    roles = [r for r in data.get("sts", {}).get("AssumedRole", []) if r["session_name"] == "trondocs-collect"]
    return [value for role in roles for value in (role["session_token"], role["secret_access_key"])]


@pytest.mark.slow
def test_no_session_token_nor_secret_key_in_any_output(moto_url: str, tmp_path: Path):
    inventory = inventory_with_sources(tmp_path / "inventory", [{
        "name": "aws", "type": "aws", "regions": [HOME], "services": ["ec2"], "endpoint_url": moto_url,
        "accounts": [{"name": "tron-prod", "role_arn": ROLE}], "timeout": 5, "max_attempts": 2}])
    streams = []
    for flags in VERBOSITY:
        result = trondocs("collect", "-i", inventory, "-o", "state.json", "--history", "evidence", *flags,
                          cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        streams.append(result.stdout + result.stderr)
    drift = trondocs("drift", "-i", inventory, "--state", "state.json", "--no-baseline", "--fail-on", "never",
                     *(f"--format={f}={f}.out" for f in ("json", "markdown", "sarif", "junit", "github",
                                                         "prometheus")), cwd=tmp_path)
    assert drift.returncode == 0, drift.stderr
    streams.append(drift.stdout + drift.stderr)
    secrets = assumed_credentials(moto_url)
    assert len(secrets) >= 2 * len(VERBOSITY), "each run assumed the role"
    debug = streams[VERBOSITY.index(["-vv"])]
    # the -vv run did log the signed requests and the STS answer, scrubbed
    assert "X-Amz-Security-Token" in debug and "<SessionToken>***</SessionToken>" in debug
    everything = "\n".join(streams) + written(tmp_path)
    for secret in [*secrets, os.environ["AWS_SECRET_ACCESS_KEY"]]:
        assert secret not in everything
    assert "FQoGZXIvYXdzEBYaD" not in everything  # the prefix of every moto session token


PASSWORD = "Hunter2Secret"


@pytest.mark.parametrize("where", ["sources", "plan", "env-name"])
def test_a_password_in_a_url_or_in_place_of_a_variable_name_is_refused_unechoed(tmp_path: Path, where):
    sources = [{"name": "vbr", "type": "veeam", "url": "https://vbr.example:9419"}]
    if where == "sources":
        sources[0]["url"] = f"https://admin:{PASSWORD}@vbr.example:9419"
    if where == "env-name":
        sources[0]["password_env"] = f"{PASSWORD}!"
    inventory = inventory_with_sources(tmp_path / "inventory", sources)
    if where == "plan":
        plan = inventory / "plan.yaml"
        plan.write_text(plan.read_text().replace("http://10.0.0.11:8090", f"http://tron:{PASSWORD}@10.0.0.11:8090"))
    streams = []
    for flags in VERBOSITY:
        for command in (["collect", "-o", "state.json", "--history", "evidence"], ["validate"],
                        ["build", "-o", "site", "--no-history"]):
            result = trondocs(command[0], "-i", inventory, *command[1:],
                              *(flags if command[0] == "collect" else []), cwd=tmp_path)
            if command[0] != "validate" or where == "plan":
                assert result.returncode == 2, (command, result.stderr)
            assert "Traceback" not in result.stderr
            streams.append(result.stdout + result.stderr)
    errors = "\n".join(streams)
    file = "plan.yaml" if where == "plan" else "sources.yaml"
    assert f"inventory/{file}:" in errors
    expected = ("must name an environment variable" if where == "env-name"
                else "carries a user name or password")
    assert expected in errors
    assert PASSWORD not in errors
    assert PASSWORD not in written(tmp_path)
    assert not (tmp_path / "state.json").exists() and not (tmp_path / "site").exists()

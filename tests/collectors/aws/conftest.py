"""moto as a server (one per test session), the gap fake in front of it, the seeded estate."""

from __future__ import annotations

from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from tests.collectors.aws.aws_estate import COPY, EAST, HOME, ROLE, Estate, seed
from tests.collectors.aws.aws_fakes import GapServer
from tests.conftest import free_port
from trondocs.collectors.aws import Config, collect
from trondocs.collectors.aws.session import CallLog
from trondocs.collectors.base import CollectContext, Collected


@pytest.fixture(scope="session")
def aws_env(tmp_path_factory):
    """Ambient credentials for moto, and no ~/.aws or instance metadata leaking in."""
    home = tmp_path_factory.mktemp("aws")
    (home / "config").write_text("")
    with pytest.MonkeyPatch.context() as mp:
        for key in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION",
                    "AWS_REGION", "AWS_ENDPOINT_URL"):
            mp.delenv(key, raising=False)
        mp.setenv("AWS_ACCESS_KEY_ID", "testing")
        mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        mp.setenv("AWS_CONFIG_FILE", str(home / "config"))
        mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "config"))
        mp.setenv("AWS_EC2_METADATA_DISABLED", "true")
        mp.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")  # moto's 1,300 public AMI snapshots per region
        yield home


@pytest.fixture(scope="session")
def moto_url(aws_env):
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def gap(moto_url):
    server = GapServer(moto_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def estate(moto_url, gap) -> Estate:
    return seed(moto_url, gap)


@pytest.fixture(scope="session")
def aws_settings(moto_url, gap, estate) -> dict:
    """The source as an operator would write it in sources.yaml, pointed at moto and the gap fake."""
    return {
        "name": "aws", "type": "aws", "regions": [HOME, EAST], "copy_regions": [COPY],
        "accounts": [{"name": "tron-prod", "role_arn": ROLE, "external_id": "trondocs"}, {}],
        "endpoint_url": moto_url, "dlm_endpoint_url": gap.url, "backup_endpoint_url": gap.url,
        "timeout": 5, "max_attempts": 2,
    }


@pytest.fixture
def aws_config(aws_settings):
    def make(**overrides) -> Config:
        return Config.model_validate(aws_settings | overrides)

    return make


@pytest.fixture
def ctx(tmp_path: Path) -> CollectContext:
    return CollectContext(base_dir=tmp_path, env={})


@pytest.fixture(scope="session")
def full_run(aws_settings, tmp_path_factory) -> tuple[Collected, CallLog]:
    """One complete collection of the estate (both accounts, three regions), shared by the tests."""
    calls = CallLog()
    ctx = CollectContext(base_dir=tmp_path_factory.mktemp("inv"), env={})
    return collect(Config.model_validate(aws_settings), ctx, calls=calls), calls

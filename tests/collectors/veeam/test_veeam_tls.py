"""TLS is verified by default: a self-signed VBR certificate is refused unless its CA is configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.collectors.runs import source_run
from tests.collectors.veeam.conftest import collect, config, make_ctx
from tests.fakes.certs import self_signed
from trondocs.collectors import veeam
from trondocs.collectors.base import CollectContext, SourceError
from trondocs.collectors.connection import INSECURE_WARNING


@pytest.fixture
def https_server(veeam_server, tmp_path):
    cert, key = self_signed(tmp_path, "vbr")
    server = veeam_server(tls=(cert, key))
    assert server.url.startswith("https://")
    return server, cert


def test_self_signed_certificate_is_refused_by_default(https_server):
    server, _ = https_server
    with pytest.raises(SourceError) as caught:
        collect(server)
    assert str(caught.value) == (f"Veeam at {server.url.split('//')[1]}: TLS certificate not trusted; set "
                                 "ca_bundle to the CA that signed it (or insecure: true, not recommended)")
    assert server.hits == []  # nothing, not even the password, went to the untrusted server


def test_ca_bundle_makes_it_trusted_without_warnings(https_server, tmp_path):
    server, cert = https_server
    ctx = CollectContext(env=make_ctx().env, now=make_ctx().now, base_dir=tmp_path)
    out = collect(server, ctx, ca_bundle=Path(cert).name)  # relative to the inventory directory
    assert out.warnings == [] and all(s.ok for s in out.scopes) and len(out.restore_points) == 28


@pytest.mark.filterwarnings("error::urllib3.exceptions.InsecureRequestWarning")  # ours once, not urllib3's
def test_insecure_works_and_warns_on_every_run(https_server):
    server, _ = https_server
    for _ in range(2):
        run = source_run(config(server, insecure=True), make_ctx())
        assert run.ok and run.warnings == [INSECURE_WARNING]


def test_missing_ca_bundle_and_contradictory_settings_are_clear(https_server, tmp_path):
    server, cert = https_server
    with pytest.raises(SourceError, match=r"ca_bundle .*nope\.pem does not exist"):
        collect(server, ca_bundle=str(tmp_path / "nope.pem"))
    with pytest.raises(ValidationError, match="set either ca_bundle or insecure: true, not both"):
        veeam.Config(name="vbr", url=server.url, ca_bundle=cert, insecure=True)

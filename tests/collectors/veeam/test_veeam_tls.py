"""TLS is verified by default: a self-signed VBR certificate is refused unless its CA is configured."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError

from tests.collectors.veeam.conftest import collect, make_ctx
from trondocs.collectors import veeam
from trondocs.collectors.base import CollectContext, SourceError


def self_signed(directory: Path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "vbr.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "vbr.pem", directory / "vbr.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def https_server(veeam_server, tmp_path):
    cert, key = self_signed(tmp_path)
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
    assert out.warnings == [] and all(s.ok for s in out.scopes) and len(out.restore_points) == 44


@pytest.mark.filterwarnings("error::urllib3.exceptions.InsecureRequestWarning")  # ours once, not urllib3's
def test_insecure_works_and_warns_on_every_run(https_server):
    server, _ = https_server
    for _ in range(2):
        out = collect(server, insecure=True)
        assert out.warnings == [
            f"TLS certificate of {server.url} is NOT verified (insecure: true): anyone on "
            "the network path can impersonate the backup server; set ca_bundle instead"]
        assert len(out.jobs) == 2


def test_missing_ca_bundle_and_contradictory_settings_are_clear(https_server, tmp_path):
    server, cert = https_server
    with pytest.raises(SourceError, match=r"ca_bundle .*nope\.pem does not exist"):
        collect(server, ca_bundle=str(tmp_path / "nope.pem"))
    with pytest.raises(ValidationError, match="set either ca_bundle or insecure: true, not both"):
        veeam.Config(name="vbr", url=server.url, ca_bundle=cert, insecure=True)

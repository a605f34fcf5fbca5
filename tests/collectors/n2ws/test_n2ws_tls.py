"""TLS is verified unless the user says otherwise: an HTTPS fake N2WS with its own private CA."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.collectors.n2ws.estate import config_for, context
from tests.collectors.runs import source_run
from trondocs.collectors import n2ws as collector
from trondocs.collectors.base import SourceError
from trondocs.collectors.connection import INSECURE_WARNING


def _pem_pair(tmp_path):
    """A private CA and a server certificate for 127.0.0.1 signed by it; returns (ca.pem, server ctx)."""
    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "trondocs test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(1)
          .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "server.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "server.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(tmp_path / "server.pem", tmp_path / "server.key")
    return server


@pytest.fixture
def https_n2ws(fake_n2ws, tmp_path):
    return fake_n2ws(tls=_pem_pair(tmp_path))


def test_an_unknown_ca_is_refused_by_default(https_n2ws):
    assert https_n2ws.url.startswith("https://")
    with pytest.raises(SourceError) as caught:
        collector.collect(config_for(https_n2ws), context())
    host = https_n2ws.url.split("/")[2]
    assert str(caught.value) == (f"N2WS n2ws: cannot reach {host}: TLS certificate not trusted "
                                 "(set ca_bundle to the CA's PEM file)")
    assert https_n2ws.seen == []  # the API key never left the client


def test_ca_bundle_relative_to_the_inventory_is_trusted(https_n2ws, tmp_path):
    out = collector.collect(config_for(https_n2ws, ca_bundle="ca.pem"), context(base_dir=tmp_path))
    assert len(out.jobs) == 2 and out.warnings == []


def test_insecure_connects_and_warns(https_n2ws, recwarn):
    run = source_run(config_for(https_n2ws, insecure=True), context())
    assert [str(w.message) for w in recwarn] == []  # our one warning, not urllib3's per request
    assert run.ok and run.objects > 0
    assert run.warnings == [INSECURE_WARNING]


def test_a_missing_ca_bundle_is_named(https_n2ws, tmp_path):
    with pytest.raises(SourceError, match=r"nowhere\.pem does not exist: point it at the PEM file"):
        collector.collect(config_for(https_n2ws, ca_bundle="nowhere.pem"), context(base_dir=tmp_path))

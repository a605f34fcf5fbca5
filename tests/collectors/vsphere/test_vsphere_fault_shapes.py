"""Every shape a broken or impostor vSphere server answers in becomes one clear line in the state.

A real local HTTP server stands where vCenter should be and answers the version probe and the
first SOAP call with HTML error pages, garbage, truncated XML, HTTP 5xx, a 500 that is no SOAP
fault, a closed connection, a non-HTTP status line or a corrupt gzip body.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest

from tests.collectors.vsphere.test_vsphere_bad_settings import trondocs_collect
from trondocs.collectors.base import CollectContext
from trondocs.collectors.run import collect_state
from trondocs.collectors.sources import ConfiguredSource
from trondocs.collectors.vsphere import Config

ENV = {"TRONDOCS_VSPHERE_USER": "reader", "TRONDOCS_VSPHERE_PASSWORD": "Fault-Shapes-S3cret"}
SERVICE_CONTENT = (
    b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope '
    b'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>'
    b'<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1'
    b'</rootFolder></returnval></RetrieveServiceContentResponse></soapenv:Body></soapenv:Envelope>')
HTML = b"<html><head><title>502</title></head><body><p>Bad gateway<br></body></html>"


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def _send(self, status: int, body: bytes, kind: str = "text/xml", length: int | None = None,
              **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)
        if length is not None:
            self.close_connection = True

    def _answer(self, shape: str) -> None:
        if shape == "ok-probe":
            self._send(404, b"")  # no version list: the collector falls back to a known version
        elif shape == "html-200":
            self._send(200, HTML, "text/html")
        elif shape == "xhtml-200":
            self._send(200, b"<html><body><p>Please log in</p></body></html>", "text/html")
        elif shape == "garbage-200":
            self._send(200, b"\x00\xff\x13garbage", "application/octet-stream")
        elif shape == "empty-200":
            self._send(200, b"")
        elif shape == "html-500":
            self._send(500, HTML, "text/html")
        elif shape == "not-a-fault-500":
            self._send(500, SERVICE_CONTENT)
        elif shape == "truncated-xml":
            self._send(200, SERVICE_CONTENT[:150])
        elif shape == "cut-short":
            self._send(200, SERVICE_CONTENT[:150], length=len(SERVICE_CONTENT))
        elif shape == "503":
            self._send(503, b"<html>Service Unavailable</html>", "text/html", Retry_After="120")
        elif shape == "closed":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif shape == "not-http":
            self.wfile.write(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
            self.close_connection = True
        elif shape == "bad-gzip":
            self._send(200, b"not gzip at all", Content_Encoding="gzip")
        else:
            raise AssertionError(shape)

    def do_GET(self) -> None:
        self._answer(self.server.probe)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._answer(self.server.soap)


@pytest.fixture(scope="module")
def server() -> Iterator[http.server.ThreadingHTTPServer]:
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler) as httpd:
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield httpd
        httpd.shutdown()


def _error(server, probe: str, soap: str) -> str:
    server.probe, server.soap = probe, soap
    config = Config(name="vc", host="127.0.0.1", port=server.server_address[1], protocol="http", timeout=10)
    state = collect_state([ConfiguredSource(config)], CollectContext(env=ENV))
    (run,) = state.collection.sources
    assert not run.ok and run.error
    return run.error


SOAP_SHAPES = {
    "html-200": "answered with something that is not SOAP XML (mismatched tag at line 1",
    "xhtml-200": "answered, but not as a vSphere service (no service content)",
    "garbage-200": "answered with something that is not SOAP XML (not well-formed (invalid token)",
    "empty-200": "answered with something that is not SOAP XML (no element found",
    "html-500": "answered with something that is not SOAP XML",
    "not-a-fault-500": "answered an error (HTTP 500) that is not a SOAP fault",
    "truncated-xml": "answered with something that is not SOAP XML (unclosed token",
    "cut-short": "not SOAP XML",
    "503": "answered HTTP 503 Service Unavailable: vCenter (or a proxy in front of it) is down",
    "closed": "closed the connection without answering",
    "not-http": "does not speak HTTP (it answered 'SSH-2.0-OpenSSH_9.2')",
    "bad-gzip": "sent a compressed answer that does not decompress",
}
PROBE_SHAPES = {
    "html-200": "is not a vSphere SDK endpoint (HTTP 200 for /sdk/vimServiceVersions.xml)",
    "503": "answered HTTP 503 Service Unavailable: vCenter (or a proxy in front of it) is down",
    "closed": "closed the connection without answering",
    "not-http": "does not speak HTTP",
    "cut-short": "was cut short (150 bytes read, ",
}


def _assert_one_clear_line(error: str, expected: str) -> None:
    assert expected in error, error
    assert "\n" not in error and len(error) < 300, error
    for vague in ("Raising a non-exception object", "ExpatError", "Traceback", "Hierarchy",
                  "IncompleteRead", "RemoteDisconnected", ENV["TRONDOCS_VSPHERE_PASSWORD"]):
        assert vague not in error, error


@pytest.mark.parametrize("shape", sorted(SOAP_SHAPES))
def test_every_answer_shape_of_the_soap_endpoint_is_one_clear_line(server, shape):
    _assert_one_clear_line(_error(server, "ok-probe", shape), SOAP_SHAPES[shape])


@pytest.mark.parametrize("shape", sorted(PROBE_SHAPES))
def test_every_answer_shape_of_the_version_probe_is_one_clear_line(server, shape):
    _assert_one_clear_line(_error(server, shape, "html-200"), PROBE_SHAPES[shape])


def test_the_cli_prints_one_line_and_stores_it(tmp_path, server):
    server.probe, server.soap = "ok-probe", "not-a-fault-500"
    code, stdout, stderr, state = trondocs_collect(
        tmp_path, {"host": "127.0.0.1", "port": server.server_address[1], "protocol": "http"}, ENV)
    assert code == 3 and "Traceback" not in stdout + stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith("vc (vsphere): FAILED — ") and "is not a SOAP fault" in line
    assert state["collection"]["sources"][0]["error"] in line

"""A counted, verified, always-logged-out vSphere SDK session, and the one place errors become lines.

Every request to the server (the version probe and each SOAP call) goes through here, so
``Session.calls`` is the true number of API calls a collection made.
"""

from __future__ import annotations

import contextlib
import gzip
import http.client
import logging
import socket
import ssl
import xml.etree.ElementTree as ElementTree
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.parsers.expat import ErrorString, ExpatError

from pyVmomi import SoapStubAdapter, VmomiSupport, vim, vmodl

from trondocs.collectors.base import CollectContext, SourceError
from trondocs.collectors.deadline import NO_DEADLINE, Deadline
from trondocs.collectors.vsphere.config import Scheme

if TYPE_CHECKING:
    from trondocs.collectors.vsphere.config import Config

log = logging.getLogger("trondocs.collect.vsphere")
SDK_PATH = "/sdk"
# Used when the server publishes no version list: every property we read exists since 5.5.
FALLBACK_VERSION = "vim.version.version9"


class CountingStub(SoapStubAdapter):
    """pyVmomi's SOAP stub, counting every request it sends (accessors go through InvokeMethod too).

    It also holds the source to its deadline: no call starts after it, each socket read waits
    at most until it, and its connections are shut down when it passes.
    """

    def __init__(self, *args, deadline: Deadline = NO_DEADLINE, where: str = "vSphere", **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0
        self.deadline, self.where = deadline, where
        self.read_timeout = kwargs.get("httpConnectionTimeout") or 30.0

    def GetConnection(self):
        conn = super().GetConnection()
        if conn.sock is not None:
            conn.sock.settimeout(self.deadline.timeout(self.read_timeout))
        self.deadline.register(conn.sock)
        return conn

    def InvokeMethod(self, mo, info, args, outerStub=None):
        self.deadline.check(f"vSphere at {self.where}")
        self.calls += 1
        try:
            return super().InvokeMethod(mo, info, args, outerStub)
        except Exception:
            if self.deadline.expired:  # it shut the connection down mid-answer
                raise self.deadline.error(f"vSphere at {self.where}") from None
            raise


@dataclass
class Session:
    content: vim.ServiceInstanceContent
    stub: CountingStub
    probes: int = 1  # the vimServiceVersions.xml request
    warnings: list[str] = field(default_factory=list)

    @property
    def calls(self) -> int:
        return self.probes + self.stub.calls


@contextlib.contextmanager
def open_session(config: Config, ctx: CollectContext) -> Iterator[Session]:
    """Log in, yield the session, log out whatever happens in between."""
    where = f"{config.protocol}://{_netloc(config)}"
    user = ctx.env.get(config.username_env)
    if not user:
        raise SourceError(f"vSphere user name is not set: export {config.username_env}=…")
    password = ctx.secret(config.password_env, "vSphere password")
    tls = tls_context(config, ctx)
    warnings = []
    if config.protocol is Scheme.HTTP:
        warnings.append(f"{where} uses plain http: the password crosses the network unencrypted "
                        "(meant for the vcsim simulator only)")
    with translate_errors(config, where):
        version = negotiate_version(config, tls, ctx.limit)
        stub = CountingStub(url=f"{where}{SDK_PATH}", version=version, sslContext=tls,
                            httpConnectionTimeout=ctx.limit.timeout(config.timeout), poolSize=1,
                            deadline=ctx.limit, where=where)
        content = vim.ServiceInstance("ServiceInstance", stub).RetrieveContent()
        if content is None or content.sessionManager is None:
            raise SourceError(f"{where}{SDK_PATH} answered, but not as a vSphere service (no service "
                              "content): check host, port and protocol")
        session = Session(content=content, stub=stub, warnings=warnings)
        content.sessionManager.Login(user, password)
    try:
        with translate_errors(config, where):
            yield session
    finally:
        with contextlib.suppress(Exception):  # logging out must never hide the real outcome
            content.sessionManager.Logout()


def tls_context(config: Config, ctx: CollectContext) -> ssl.SSLContext | None:
    return None if config.protocol is Scheme.HTTP else config.ssl_context(ctx)


def negotiate_version(config: Config, tls: ssl.SSLContext | None,
                      deadline: Deadline = NO_DEADLINE) -> str:
    """The newest API version both pyVmomi and the server speak (one GET of vimServiceVersions.xml)."""
    timeout = deadline.timeout(config.timeout)
    if config.protocol is Scheme.HTTPS:
        conn = http.client.HTTPSConnection(config.host, config.port, timeout=timeout, context=tls)
    else:
        conn = http.client.HTTPConnection(config.host, config.port, timeout=timeout)
    try:
        deadline.check(f"vSphere at {config.protocol}://{_netloc(config)}")
        conn.connect()
        deadline.register(conn.sock)
        conn.request("GET", f"{SDK_PATH}/vimServiceVersions.xml")
        response = conn.getresponse()
        body = response.read()
    except (OSError, http.client.HTTPException):
        if deadline.expired:
            raise deadline.error(f"vSphere at {config.protocol}://{_netloc(config)}") from None
        raise
    finally:
        conn.close()
    if response.status == 404:
        return FALLBACK_VERSION
    try:
        root = ElementTree.fromstring(body) if response.status == 200 else None
    except ElementTree.ParseError:
        root = None
    if response.status in (502, 503, 504):
        raise SourceError(_http_status(f"{config.protocol}://{_netloc(config)}",
                                       f"{response.status} {response.reason}"))
    if root is None or root.tag != "namespaces":
        raise SourceError(f"{config.protocol}://{_netloc(config)} is not a vSphere SDK endpoint "
                          f"(HTTP {response.status} for {SDK_PATH}/vimServiceVersions.xml): "
                          "check host, port and protocol")
    offered = {v.text for ns in root.iter("namespace") if ns.findtext("name") == "urn:vim25"
               for v in ns.iter("version")}
    for version in VmomiSupport.GetServiceVersions("vim25"):
        if VmomiSupport.versionIdMap.get(version) in offered:
            return version
    raise SourceError(f"{config.protocol}://{_netloc(config)} offers vSphere API versions "
                      f"{', '.join(sorted(offered))}, none of which this pyVmomi speaks")


@contextlib.contextmanager
def translate_errors(config: Config, where: str) -> Iterator[None]:
    """Turn what pyVmomi, ssl, sockets and a misbehaving server raise into one clear SourceError line."""
    try:
        yield
    except SourceError:
        raise
    except vim.fault.InvalidLogin:
        raise SourceError(f"vSphere login to {where} failed: wrong user name or password "
                          f"(from ${config.username_env} / ${config.password_env})") from None
    except vim.fault.NoPermission as exc:
        raise SourceError(f"vSphere user has no read permission on {where}: {_fault(exc)}") from None
    except vmodl.MethodFault as exc:
        raise SourceError(f"vSphere at {where} refused the request: {_fault(exc)}") from None
    except ssl.SSLCertVerificationError as exc:
        raise SourceError(f"TLS certificate of {where} is not trusted ({exc.verify_message}): set "
                          "ca_bundle to the CA that signed it (or insecure: true, not recommended)"
                          ) from None
    except ssl.SSLError as exc:
        hint = " — is it plain http?" if "WRONG_VERSION_NUMBER" in str(exc) else ""
        raise SourceError(f"TLS handshake with {where} failed ({exc.reason}){hint}") from None
    except TimeoutError:
        raise SourceError(f"vSphere at {where} did not answer within {config.timeout:g} s") from None
    except socket.gaierror:
        raise SourceError(f"cannot resolve vSphere host {config.host!r}: check 'host'") from None
    except ConnectionRefusedError:
        raise SourceError(f"cannot connect to vSphere at {where}: connection refused "
                          "(check host and port)") from None
    except http.client.RemoteDisconnected:
        raise SourceError(f"vSphere at {where} closed the connection without answering: is it "
                          "overloaded, restarting, or not a vSphere SDK endpoint?") from None
    except http.client.IncompleteRead as exc:
        raise SourceError(f"the answer of vSphere at {where} was cut short ({len(exc.partial)} bytes "
                          f"read{_more(exc)}): the connection broke mid-answer") from None
    except OSError as exc:
        raise SourceError(f"cannot connect to vSphere at {where}: "
                          f"{exc.strerror or type(exc).__name__}") from None
    except http.client.BadStatusLine as exc:
        raise SourceError(f"{where} does not speak HTTP (it answered {_quoted(str(exc))}): check "
                          "host, port and protocol") from None
    except http.client.HTTPException as exc:
        raise SourceError(_http_status(where, str(exc))) from None
    except ExpatError as exc:
        raise SourceError(f"vSphere at {where} answered with something that is not SOAP XML "
                          f"({ErrorString(exc.code)} at line {exc.lineno}, column {exc.offset}; "
                          "an HTML error page, a proxy, or a truncated answer?)") from None
    except (zlib.error, EOFError, gzip.BadGzipFile):
        raise SourceError(f"vSphere at {where} sent a compressed answer that does not decompress "
                          "(corrupted or cut short)") from None
    except Exception as exc:  # pyVmomi's 'non-exception object', or an answer it could not map
        log.debug("vSphere at %s: unexpected answer", where, exc_info=True)
        if str(exc).startswith("Raising a non-exception object"):
            raise SourceError(f"vSphere at {where} answered an error (HTTP 500) that is not a SOAP "
                              "fault: the server failed without saying why") from None
        raise SourceError(f"vSphere at {where} gave an answer trondocs cannot read: "
                          f"{type(exc).__name__}: {_one_line(str(exc))}") from None


def _http_status(where: str, status: str) -> str:
    """``503 Service Unavailable`` (as pyVmomi raises it) as one line with what it likely means."""
    code = status.split(" ", 1)[0]
    if code in ("502", "503", "504"):
        return (f"vSphere at {where} answered HTTP {_one_line(status)}: vCenter (or a proxy in front "
                "of it) is down, starting or overloaded; try again later")
    if code.isdigit():
        return (f"vSphere at {where} answered HTTP {_one_line(status)} instead of SOAP: is it a "
                "vSphere SDK endpoint?")
    return f"vSphere at {where} broke the HTTP exchange: {_one_line(status)}"


def _more(exc: http.client.IncompleteRead) -> str:
    return f", {exc.expected} more expected" if exc.expected else ""


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quoted(text: str) -> str:
    return repr(_one_line(text.strip(), 60))


def _fault(exc: vmodl.MethodFault) -> str:
    return (exc.msg or type(exc).__name__).splitlines()[0]


def _netloc(config: Config) -> str:
    host = f"[{config.host}]" if ":" in config.host else config.host
    return f"{host}:{config.port}"

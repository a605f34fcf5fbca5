"""How a source reaches its server: TLS trust, retries and their backoff, checked against its deadline.

One model per layer, shared by every collector that needs it, so a setting is spelled,
validated, resolved and warned about in one place:

- ``TlsSourceConfig``: ``ca_bundle`` / ``insecure`` (vSphere, and every HTTP source);
- ``HttpSourceConfig``: adds ``retries`` / ``retry_backoff`` (Veeam, Veeam EM, N2WS, java-tron).

``timeout`` and ``deadline`` are every source's (``SourceConfig``); so is the warning when one
unanswered request does not fit in the deadline, fed by ``worst_request`` below.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from trondocs.collectors.base import CollectContext, SourceConfig, SourceError

# A wait between tries never exceeds this, whatever retry_backoff doubles to or a server's
# Retry-After asks for (a server asking for longer is treated as down).
MAX_RETRY_WAIT = 30.0
INSECURE_WARNING = ("TLS certificate verification is OFF (insecure: true): anyone on the network path "
                    "can impersonate the server and read the traffic; set ca_bundle instead")
# Spellings sources.yaml once accepted, refused with the key that replaced them.
RENAMED_KEYS = {"backoff": "retry_backoff"}


def server_address(description: str) -> Any:
    """The field of a server's REST address: scheme, host and port only (the collector adds the
    API's paths)."""
    return Field(pattern=r"^https?://[^/\s?#]+/?$", description=description)


def retry_wait(backoff: float, attempt: int) -> float:
    """The wait before retry number ``attempt + 1``: ``backoff`` doubling, capped."""
    return min(MAX_RETRY_WAIT, backoff * 2 ** attempt)


class TlsSourceConfig(SourceConfig):
    """A source that speaks TLS: whom to trust. Verified against the system store by default."""

    ca_bundle: str | None = Field(None, description="PEM file of the CA that signed the server's "
                                  "certificate (relative to the inventory); default: the system's CAs")
    insecure: bool = Field(False, description="skip TLS verification (lab only; warned about on every "
                           "run); not together with ca_bundle")

    @model_validator(mode="after")
    def _one_trust_setting(self) -> TlsSourceConfig:
        if self.insecure and self.ca_bundle:
            raise ValueError("set either ca_bundle or insecure: true, not both")
        return self

    def ca_file(self, ctx: CollectContext) -> Path | None:
        """The CA bundle as a path (relative ones resolve against the inventory), or None."""
        if not self.ca_bundle:
            return None
        path = Path(self.ca_bundle)
        path = path if path.is_absolute() else ctx.base_dir / path
        if not path.is_file():
            raise SourceError(f"ca_bundle {path} does not exist: point it at the PEM file of the CA "
                              "that signed the server's certificate")
        return path

    def requests_verify(self, ctx: CollectContext) -> bool | str:
        """What ``requests`` verifies against: the system store (True), the CA bundle, or nothing."""
        if self.insecure:
            return False
        ca_file = self.ca_file(ctx)
        return str(ca_file) if ca_file else True

    def ssl_context(self, ctx: CollectContext) -> ssl.SSLContext:
        """The same trust as an ``ssl`` context, for clients that take one (pyVmomi)."""
        if self.insecure:
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            return context
        ca_file = self.ca_file(ctx)
        try:
            return ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        except ssl.SSLError as exc:
            raise SourceError(f"ca_bundle {ca_file} is not a PEM certificate bundle ({exc.reason})") from None

    def setting_warnings(self) -> list[str]:
        # every run, failed or not, so nobody forgets verification is off
        return [*super().setting_warnings(), *([INSECURE_WARNING] if self.insecure else [])]


class HttpSourceConfig(TlsSourceConfig):
    """A source read over HTTP(S) with bounded retries on 429, 5xx and network errors."""

    retries: int = Field(3, ge=0, le=10, description="retries of one request on HTTP 429/5xx and network "
                         "errors (default 3, so at most 4 tries)")
    retry_backoff: float = Field(0.5, ge=0, le=MAX_RETRY_WAIT, allow_inf_nan=False,
                                 description="seconds before the first retry, doubling for each next one "
                                 f"and at most {MAX_RETRY_WAIT:g} s each (default 0.5: waits 0.5, 1, 2 s); "
                                 "a server's Retry-After is followed instead, up to the same cap")

    @model_validator(mode="before")
    @classmethod
    def _renamed_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for old, new in RENAMED_KEYS.items():
                if old in data:
                    raise PydanticCustomError(
                        "renamed_key", "'{old}' is now called '{new}' (same meaning, in seconds): "
                        "rename the key", {"old": old, "new": new})
        return data

    def retry_waits(self) -> list[float]:
        """The waits before each retry of one request (without a Retry-After)."""
        return [retry_wait(self.retry_backoff, attempt) for attempt in range(self.retries)]

    def worst_request(self) -> tuple[float, str]:
        tries = self.retries + 1
        waits = sum(self.retry_waits())
        return (tries * self.timeout + waits,
                f"{tries} tries × timeout {self.timeout:g} s + {waits:g} s of waits between them")

"""Source ``vsphere``'s part of sources.yaml.

Its own module so the session (session.py) can name it without importing the package that
imports it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import credential_setting
from trondocs.collectors.connection import TlsSourceConfig
from trondocs.systems import SourceType


class Scheme(StrEnum):
    """How vCenter is reached."""

    HTTPS = "https"
    HTTP = "http"  # the vcsim simulator only: no TLS at all


class Config(TlsSourceConfig):
    type: Literal["vsphere"] = "vsphere"
    host: str = Field(min_length=1, description="vCenter host name or address")
    port: int = Field(443, ge=1, le=65535)
    protocol: Scheme = Field(Scheme.HTTPS, description="https; http only for the vcsim simulator")
    username_env: str = credential_setting(SourceType.VSPHERE, "username_env")
    password_env: str = credential_setting(SourceType.VSPHERE, "password_env")
    replica_suffix: str = Field("_replica", description="Veeam replica VM name suffix")
    page_size: int = Field(500, ge=1, le=10_000, description="objects per PropertyCollector page")

    @field_validator("host")
    @classmethod
    def _bare_host(cls, value: str) -> str:
        # Labels are built from the host: a 'user:password@' here would reach every output.
        if any(c in value for c in "@/?# \t"):
            raise ValueError("write a host name or address only, without 'user@', a path or spaces "
                             "(the user name and password come from the *_env variables)")
        return value

"""Source ``vsphere``: VMs, their snapshot trees, hosts and datastores from vCenter (pyVmomi).

Read-only: one PropertyCollector pass, no writes. Veeam replica VMs (``<source VM><suffix>``)
become replica assets whose snapshots are replica restore points of their source VM.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import CollectContext, Collected, credential_setting
from trondocs.collectors.connection import TlsSourceConfig
from trondocs.collectors.vsphere import convert
from trondocs.collectors.vsphere.inventory import retrieve
from trondocs.collectors.vsphere.session import Scheme, open_session
from trondocs.systems import SourceType


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


def collect(config: Config, ctx: CollectContext) -> Collected:
    with open_session(config, ctx) as session:
        inventory = retrieve(session, config.page_size,
                             lambda objects: ctx.progress(config.name, objects))
    assets, points = convert.assets_and_snapshots(inventory, config.name, config.replica_suffix)
    out = Collected(assets=assets, restore_points=points,
                    hosts=convert.hosts(inventory, config.name),
                    warnings=list(session.warnings), api_calls=session.calls)
    ctx.progress(config.name, out.objects)
    return out

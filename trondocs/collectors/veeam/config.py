"""Source ``veeam``'s part of sources.yaml.

Its own module so the readers (read.py) can name it without importing the package that
imports them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator

from trondocs.collectors.base import credential_setting
from trondocs.collectors.connection import HttpSourceConfig, server_address
from trondocs.collectors.veeam.values import revision
from trondocs.plan.types import Duration
from trondocs.systems import SourceType


class Config(HttpSourceConfig):
    type: Literal["veeam"] = "veeam"
    url: str = server_address("the backup server's REST address, e.g. https://vbr.example:9419")
    username_env: str = credential_setting(SourceType.VEEAM, "username_env")
    password_env: str = credential_setting(SourceType.VEEAM, "password_env")
    api_version: str = Field("1.2-rev1", description="x-api-version to send: 1.0-rev1 (v11) … 1.3-rev2 (v13)")
    page_size: int = Field(200, ge=1, le=1000, description="items per page (skip/limit)")
    session_window: Duration = Field(dt.timedelta(days=14), description="how far back to read sessions")
    max_logins: int = Field(50, ge=1, le=10_000, description="logins + token refreshes allowed in one run")
    max_pages: int = Field(2000, ge=1, le=1_000_000, description="pages read of one list before giving up")

    @field_validator("api_version")
    @classmethod
    def _revision(cls, value: str) -> str:
        revision(value)  # raises ValueError with a hint
        return value

"""The N2WS Backup & Recovery REST API as the ``n2ws`` collector uses it: tokens and paging.

Auth is an API key traded for a JWT access token and a refresh token
(``POST token/obtain/api_key/``, ``POST token/refresh/``). Lists come either as a plain JSON
list (N2WS 4.x examples) or as a DRF page ``{"count", "next", "results"}``; both are read here.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from trondocs.collectors.base import CollectContext, SourceError
from trondocs.collectors.httpjson import HttpClient, one_line, parse_json

MAX_PAGES = 10_000
REFRESH_MARGIN = dt.timedelta(seconds=60)  # renew an access token this long before it expires


class N2wsApi:
    def __init__(self, *, base_url: str, api_key: str, api_key_env: str, http: HttpClient,
                 page_size: int, ctx: CollectContext) -> None:
        self.base = base_url if base_url.endswith("/") else base_url + "/"
        self.host = urlsplit(self.base).netloc
        self._api_key = api_key
        self._api_key_env = api_key_env
        self.http = http
        self.page_size = page_size
        self.ctx = ctx
        self._access: str | None = None
        self._refresh: str | None = None

    # --- tokens -------------------------------------------------------------------------
    def login(self) -> None:
        response = self.http.request("POST", self.base + "token/obtain/api_key/",
                                     json_body={"api_key": self._api_key})
        if response.status_code in (400, 401, 403):
            raise SourceError(f"N2WS at {self.host} refused the API key from ${self._api_key_env} "
                              f"(HTTP {response.status_code}): check the key and that its user is active")
        body = self._ok_json(response, "token/obtain/api_key/")
        self._take_tokens(body, need_refresh=True)

    def _renew(self) -> None:
        """Refresh the access token; when the refresh token is no good either, log in again."""
        if self._refresh:
            response = self.http.request("POST", self.base + "token/refresh/",
                                         json_body={"refresh": self._refresh})
            if response.status_code == 200:
                self._take_tokens(self._ok_json(response, "token/refresh/"), need_refresh=False)
                return
        self.login()

    def _take_tokens(self, body: Any, *, need_refresh: bool) -> None:
        access = body.get("access") if isinstance(body, dict) else None
        refresh = body.get("refresh") if isinstance(body, dict) else None
        if not isinstance(access, str) or (need_refresh and not isinstance(refresh, str)):
            raise SourceError(f"N2WS at {self.host}: the token answer has no access/refresh token")
        self._access = access
        self.ctx.remember_secret(access)  # so no error message can ever show it
        if isinstance(refresh, str):
            self._refresh = refresh
            self.ctx.remember_secret(refresh)

    def _expiring(self) -> bool:
        expires = _jwt_expiry(self._access or "")
        return expires is not None and self.ctx.now() >= expires - REFRESH_MARGIN

    # --- requests -----------------------------------------------------------------------
    def _get(self, url: str, params: dict | None, what: str):
        if self._access is None:
            self.login()
        elif self._expiring():
            self._renew()
        response = self._send(url, params)
        if response.status_code == 401:  # expired or revoked early: renew once, then give up
            self._renew()
            response = self._send(url, params)
            if response.status_code == 401:
                raise SourceError(f"N2WS at {self.host}: {what} is refused (HTTP 401) even with "
                                  "a fresh token: the API key's user may lack permission")
        return response

    def _send(self, url: str, params: dict | None):
        return self.http.request("GET", url, params=params,
                                 headers={"Authorization": f"Bearer {self._access}"})

    def _ok_json(self, response, what: str) -> Any:
        if response.status_code >= 400:
            detail = ""
            try:
                body = response.json()
                if isinstance(body, dict) and body.get("detail"):
                    detail = f": {one_line(body['detail'], 100)}"
            except ValueError:
                pass
            tries = f" after {self.http.retries + 1} attempts" if response.status_code >= 500 else ""
            raise SourceError(f"N2WS at {self.host}: GET {what} failed with HTTP "
                              f"{response.status_code}{tries}{detail}")
        return parse_json(response, f"N2WS at {self.host}: {what}")

    def items(self, path: str, params: dict | None = None) -> Iterator[dict]:
        """Every item of a list endpoint, following DRF ``next`` links or ``page`` numbers."""
        url = self.base + path
        query: dict | None = {**(params or {}), "page_size": self.page_size, "page": 1}
        seen: set = set()
        for _ in range(MAX_PAGES):
            response = self._get(url, query, path)
            if response.status_code == 404 and query and query.get("page", 1) > 1:
                return  # DRF answers 404 "Invalid page." past the last page
            body = self._ok_json(response, path)
            if isinstance(body, dict) and isinstance(body.get("results"), list):
                yield from _dicts(body["results"], path)
                if not body.get("next"):
                    return
                url, query = self._same_server(body["next"]), None
                continue
            if not isinstance(body, list):
                raise SourceError(f"N2WS at {self.host}: {path} answered {type(body).__name__}, "
                                  "expected a list")
            keys = [json.dumps(item, sort_keys=True) for item in body]
            if not body or all(k in seen for k in keys):
                return  # an empty page, or a server that ignores ``page`` and repeats itself
            seen.update(keys)
            yield from _dicts(body, path)
            if len(body) < self.page_size or query is None:
                return
            query = {**query, "page": query["page"] + 1}
        raise SourceError(f"N2WS at {self.host}: {path} has more than {MAX_PAGES} pages")

    def _same_server(self, link: str) -> str:
        """A ``next`` link, forced onto the configured server: the token goes nowhere else."""
        parts = urlsplit(urljoin(self.base, link))
        base = urlsplit(self.base)
        return f"{base.scheme}://{base.netloc}{parts.path}" + (f"?{parts.query}" if parts.query else "")


def _dicts(items: list, path: str) -> Iterator[dict]:
    for item in items:
        if not isinstance(item, dict):
            raise SourceError(f"N2WS: {path} holds {type(item).__name__} items, expected objects")
        yield item


def _jwt_expiry(token: str) -> dt.datetime | None:
    """The ``exp`` claim of a JWT, read without verifying (we only decide when to refresh)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        return dt.datetime.fromtimestamp(float(payload["exp"]), dt.UTC)
    except (ValueError, KeyError, TypeError):
        return None

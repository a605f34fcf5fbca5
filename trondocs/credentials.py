"""Keeping credentials inside the process: what input is refused, and what every output is scrubbed of.

Two lines of defence:

- input: a URL carrying ``user:password@`` and a ``*_env`` setting that is not a variable
  name (someone pasted the secret itself) are refused where they are read, without echoing
  them;
- output: a ``Scrubber`` knows every secret value the run has seen (passwords and API keys
  from the environment, tokens servers gave us, AWS temporary credentials) and removes them
  from error lines and log records; log records are also scrubbed by shape (Authorization
  headers, ``x-amz-security-token``, STS answers), since HTTP libraries log at debug level
  values we never see.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import traceback
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, quote_plus

ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# scheme://[anything without / ? # or space]@ — the user-info part of a URL.
_USERINFO = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s@]*@")
MASK = "***"
# A secret shorter than this is masked only where it stands as a whole token: masking "pass"
# inside every "password" would make messages unreadable and tell the secret anyway.
SHORT_SECRET = 8


def has_userinfo(text: str) -> bool:
    """Whether ``text`` contains a URL with a user name or password (``https://u:p@host``)."""
    return bool(_USERINFO.search(text))


def paths_with_userinfo(value: Any, path: tuple = ()) -> list[tuple]:
    """Paths (keys and list indexes from ``path``) of every string in a YAML document that
    holds a URL with user info: the plan and sources.yaml refuse them without echoing them."""
    if isinstance(value, str):
        return [path] if has_userinfo(value) else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in paths_with_userinfo(item, (*path, key))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in paths_with_userinfo(item, (*path, i))]
    return []


def is_env_name(value: object) -> bool:
    return isinstance(value, str) and bool(ENV_NAME.match(value))


# Shapes of credentials in what HTTP libraries log: header dicts (botocore prints
# {'Authorization': b'AWS4-HMAC-SHA256 …', 'X-Amz-Security-Token': b'…'}), raw header lines,
# query strings and form bodies, STS's XML and JSON answers.
_HEADER_NAMES = (r"authorization|proxy-authorization|x-amz-security-token|x-amz-credential|"
                 r"x-amz-signature|x-api-key|api[_-]?key|cookie|set-cookie|x-auth-token")
_FIELD_NAMES = (r"password|passwd|secret|client_secret|api_key|apikey|access_token|refresh_token|"
                r"refresh|access|token|session_token|security_token|aws_secret_access_key|"
                r"aws_session_token|SecretAccessKey|SessionToken|secretAccessKey|sessionToken")
_PATTERNS = [re.compile(p) for p in (
    # 'Authorization': b'…' / "x-amz-security-token": "…" / "SessionToken": "…" (quoted key and value)
    r"""(?i)(?P<pre>['"](?:""" + _HEADER_NAMES + "|" + _FIELD_NAMES
    + r""")['"]\s*:\s*b?(?P<q>['"]))(?P<val>.*?)(?P<post>(?P=q))""",
    # Authorization: Bearer …  (a raw header line, up to its end)
    r"(?im)(?P<pre>^\s*(?:" + _HEADER_NAMES + r")\s*:\s*)(?P<val>\S.*)$(?P<post>)",
    # X-Amz-Security-Token=…&  password=…  (query strings, form bodies)
    r"(?i)(?P<pre>\b(?:" + _HEADER_NAMES + "|" + _FIELD_NAMES + r")=)(?P<val>[^&\s'\"]+)(?P<post>)",
    # <SessionToken>…</SessionToken>  (STS's XML answer)
    r"(?s)(?P<pre><(?P<tag>SecretAccessKey|SessionToken)>)(?P<val>.*?)(?P<post></(?P=tag)>)",
    r"(?i)(?P<pre>\bBearer\s+)(?P<val>[A-Za-z0-9._~+/=-]+)(?P<post>)",
)]


def _mask_shapes(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m["pre"] + MASK + m["post"], text)
    return text


class Scrubber:
    """The secret values of one run, and the means to remove them from any text."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def remember(self, value: str | None) -> None:
        if not value:
            return
        with self._lock:
            # the value as it may appear in a URL or a form body, too
            new = {value, quote(value, safe=""), quote_plus(value)} - self._values
            if new:
                self._values |= new
                self._pattern = None

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._values:
                parts = []
                for value in sorted(self._values, key=len, reverse=True):
                    if len(value) >= SHORT_SECRET:
                        parts.append(re.escape(value))
                    else:  # only as a whole token: not inside a longer word
                        parts.append(r"(?<![A-Za-z0-9])" + re.escape(value) + r"(?![A-Za-z0-9])")
                self._pattern = re.compile("|".join(parts))
            return self._pattern

    def scrub(self, text: str) -> str:
        """``text`` without any remembered secret (long ones anywhere, short ones as whole tokens)."""
        pattern = self._compiled()
        return pattern.sub(MASK, text) if pattern is not None else text

    def scrub_log(self, text: str) -> str:
        """For log records: remembered secrets and credentials recognised by their shape."""
        return _mask_shapes(self.scrub(text))


class ScrubbingFilter(logging.Filter):
    """Scrubs every record a handler emits, whoever logged it (botocore, urllib3, us).

    Installed on handlers, not loggers: a logger's filter does not see records that propagate
    up from child loggers. The message is formatted here, then scrubbed, so arguments and
    tracebacks cannot carry a secret past it.
    """

    def __init__(self, scrubber: Scrubber) -> None:
        super().__init__()
        self.scrubber = scrubber

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw template, never the arguments
            message = str(record.msg)
        if record.exc_info:
            message += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
            record.exc_info = None
        if record.exc_text:
            message += "\n" + record.exc_text
            record.exc_text = None
        if record.stack_info:
            message += "\n" + record.stack_info
            record.stack_info = None
        record.msg, record.args = self.scrubber.scrub_log(message), ()
        return True


@contextlib.contextmanager
def scrubbing_logs(scrubber: Scrubber) -> Iterator[ScrubbingFilter]:
    """While collecting: every record any handler emits is scrubbed with ``scrubber``.

    On every handler of the root logger (the CLI's -v/-vv handler) and on logging's last
    resort handler (what prints warnings when nothing was configured).
    """
    log_filter = ScrubbingFilter(scrubber)
    handlers = [*logging.getLogger().handlers, *([logging.lastResort] if logging.lastResort else [])]
    for handler in handlers:
        handler.addFilter(log_filter)
    try:
        yield log_filter
    finally:
        for handler in handlers:
            handler.removeFilter(log_filter)

"""How a source reports trouble: its one error type and the log it writes to.

A leaf below base.py and deadline.py: both raise SourceError and log, and base's context
holds a Deadline, so neither may be where the other finds these.
"""

from __future__ import annotations

import logging

log = logging.getLogger("trondocs.collect")


class SourceError(Exception):
    """A source could not be read. The message is one clear line, safe to show (no secrets)."""

"""One YAML scalar as plain Python: ruamel's scalar types (ScalarFloat, TimeStamp, …) → int,
float, bool, None, datetime, date or str.

Both readers need it — ruamel's path (yamlsource) for every scalar of a document, libyaml's
path (fastyaml) for the scalars ruamel's constructor builds — so it lives in neither, as does
the bound both put on how many values a document may expand to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

# Aliases share one parsed node, but turning the document into plain values expands each use:
# nine nested aliases of nine items ("billion laughs") would be 10^9 values. No plan comes near
# this many values; past it the file is refused.
MAX_VALUES = 200_000


def plain_scalar(node: Any) -> Any:
    """The plain value of a constructed scalar (anything else becomes its text)."""
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime(
            node.year, node.month, node.day, node.hour, node.minute, node.second,
            node.microsecond, tzinfo=node.tzinfo,
        )
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    return str(node)

"""One YAML scalar as plain Python: ruamel's scalar types (ScalarFloat, TimeStamp, …) → int,
float, bool, None, datetime, date or str.

Both readers need it — ruamel's path (yamlsource) for every scalar of a document, libyaml's
path (fastyaml) for the scalars ruamel's constructor builds — so it lives in neither.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


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

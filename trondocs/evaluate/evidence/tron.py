"""TRON impact: blocks an elected SR misses while its producing witness is down.

Without a standby the outage is the node's RTO; with a standby witness in java-tron backup
mode it is the takeover time (keep-alive timeout + INIT), whatever the RTO.
"""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.models import TronImpact
from trondocs.tron import BACKUP_TAKEOVER_SECONDS, blocks_at_risk


def tron_impact(outage: dt.timedelta, *, elected: bool, has_standby: bool) -> TronImpact:
    seconds = outage.total_seconds()
    with_standby = None
    if has_standby:
        with_standby = blocks_at_risk(min(seconds, BACKUP_TAKEOVER_SECONDS), elected)
    return TronImpact(elected=elected, outage=outage, blocks_at_risk=blocks_at_risk(seconds, elected),
                      blocks_at_risk_with_standby=with_standby)

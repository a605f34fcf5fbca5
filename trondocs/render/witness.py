"""The SR's witness evidence in plain words, for the PDF and the site alike (read, never re-judged)."""

from __future__ import annotations

import datetime as dt

from trondocs.evaluate.models import Assessment, ElectedBasis, Status


def seconds(value: dt.timedelta | None) -> str:
    return "—" if value is None else f"{int(value.total_seconds())} seconds"


def standby_sentence(assessment: Assessment, producer: str) -> str:
    """The evaluation's standby verdict (TRD503) with java-tron's takeover window."""
    standby = assessment.witness.standby if assessment.witness else None
    if standby is None:
        return f"There is no standby witness: block production stops until {producer} is restored."
    timing = (f"java-tron's backup mode hands production over {seconds(standby.takeover_shortest)} to "
              f"{seconds(standby.takeover_longest)} after {producer} goes quiet (11 to 14 keep-alive "
              f"intervals of {standby.keep_alive.total_seconds():g} s, {standby.keep_alive_basis})")
    if standby.status is Status.PASS:
        return f"A standby witness ({standby.node}) is ready: {timing}."
    if standby.status is Status.FAIL:
        return (f"The standby witness ({standby.node}) would not take over as planned: "
                f"{standby.reasons[0]}.")
    return (f"Whether the standby witness ({standby.node}) would take over is not known: "
            f"{standby.reasons[0] if standby.reasons else 'evidence is missing'}.")


def record_rows(assessment: Assessment) -> list[tuple[str, str]]:
    """The SR's production record as the chain lists it, as label/value pairs."""
    record = assessment.witness.record if assessment.witness else None
    if record is None or record.elected_basis is not ElectedBasis.CHAIN:
        return []
    producing = {True: "yes", False: "no", None: "unknown"}[record.producing]
    if record.slots_behind is not None:
        producing += f" (last block #{record.latest_block:,}, {record.slots_behind} slots before the head)"
    rows = [
        ("Elected (chain)", "yes" if record.elected else "no"),
        ("Rank by votes", str(record.rank) if record.rank else "—"),
        ("Votes", f"{record.votes:,}" if record.votes is not None else "—"),
        ("Blocks produced", f"{record.produced:,}" if record.produced is not None else "—"),
        ("Blocks missed", f"{record.missed_in_period:,} ({record.missed_basis})"
         if record.missed_in_period is not None else "—"),
        ("Producing now", producing),
    ]
    if record.elected != record.plan_elected:
        rows.append(("Plan says elected", "yes" if record.plan_elected else "no (the chain's word is used)"))
    return rows

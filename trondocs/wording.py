"""Small wording helpers every layer shares: counts with the right plural."""

from __future__ import annotations

# Plurals that adding an "s" gets wrong.
_PLURALS = {"copy": "copies", "medium": "media", "independent copy": "independent copies",
            "off-site copy": "off-site copies", "immutable copy": "immutable copies",
            "failover plan": "failover plans", "policy": "policies"}


def count_noun(count: int, noun: str, plural: str | None = None) -> str:
    """``1 copy``, ``2 copies``, ``1 failover plan``, ``3 media``."""
    if count == 1:
        return f"{count} {noun}"
    return f"{count} {plural or _PLURALS.get(noun) or noun + 's'}"


_ROLES = {"platform": "the vSphere or AWS source (VMs, instances, replica VMs)",
          "protection": "the backup systems' sources (jobs, restore points, recoveries)",
          "java-tron": "the java-tron nodes"}


def evidence_sentence(needs: list[str], monotone_in: list[str]) -> str:
    """What a rule judges from, and where missing data could not overturn its PASS."""
    if not needs:
        return "Judges from the plan alone: never UNKNOWN."
    judged = "; ".join(_ROLES.get(str(n), str(n)) for n in needs)
    doubtful = [str(n) for n in needs if n not in monotone_in]
    if not doubtful:
        tail = "more data from them could only keep a PASS passing."
    else:
        tail = ("a PASS is UNKNOWN while " + " or ".join(_ROLES.get(d, d).split(" (")[0] for d in doubtful)
                + " failed or is not configured.")
    return f"Judges from {judged}; {tail}"

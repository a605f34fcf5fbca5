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


LOSS_ASSUMPTION = "assuming the copies fail independently"
_ONE_IN_WORDS = {10**6: "a million", 10**7: "10 million", 10**8: "100 million", 10**9: "a billion"}


def loss_chance(probability: float | None) -> str:
    """The yearly chance of losing every copy, rounded as far as its inputs deserve.

    The inputs are per-medium failure rates (estimates to one figure at best) multiplied as
    if failures were independent, so the result gets one significant figure, odds under
    one in a million are "less than 1 in a million", and the assumption is always written:
    correlated failures (one fire, one bad firmware, one stolen key) make it far likelier.
    ``None`` (a medium without a rate) is "unknown".
    """
    if probability is None:
        return "unknown (a copy's medium has no failure rate)"
    if probability <= 0:
        return "none (a medium is rated as never failing)"
    if probability < 1e-6:
        return f"less than 1 in a million a year, {LOSS_ASSUMPTION}"
    if probability >= 0.01:
        return f"about {float(f'{probability * 100:.1g}'):g}% a year, {LOSS_ASSUMPTION}"
    odds = int(float(f"{1 / probability:.1g}"))
    return f"about 1 in {_ONE_IN_WORDS.get(odds, f'{odds:,}')} a year, {LOSS_ASSUMPTION}"

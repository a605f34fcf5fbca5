"""Plural forms: one of a thing is never written as many ("1 blocks behind", "1 failover plans")."""

from __future__ import annotations

import re

import pytest

from tests.conftest import EXAMPLE_INVENTORY, ROOT
from trondocs.wording import count_noun

# "1" then a plural noun, not as the end of "3-2-1" or of a larger number.
ONE_OF_MANY = re.compile(r"(?<![-\d.,])\b1 (?:[a-z-]+ )?(?:blocks|copies|checks|nodes|sources|plans|findings|"
                         r"media|policies|warnings|errors|points|jobs|snapshots|controls|rules)\b")


@pytest.mark.parametrize("word", ["block", "copy", "independent copy", "failover plan", "medium", "check"])
def test_count_noun(word):
    assert count_noun(1, word) == f"1 {word}"
    assert not ONE_OF_MANY.search(count_noun(1, word))
    assert count_noun(2, word) != f"2 {word}"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_demo_drift_says_one_of_a_thing_in_the_singular(run_cli, fmt):
    result = run_cli("drift", "-i", EXAMPLE_INVENTORY, "--state", ROOT / "examples" / "capture.state.json",
                     "--no-baseline", "--fail-on", "never", "--format", fmt,
                     *(["--compliance", "iso27001"] if fmt != "json" else []))
    assert result.exit_code == 0, result.stderr
    found = ONE_OF_MANY.findall(result.stdout + result.stderr)
    assert not found, found


def test_the_pattern_catches_what_was_written():
    assert ONE_OF_MANY.search("1 blocks behind the reference (limit 20)")
    assert ONE_OF_MANY.search("1 failover plans")
    assert not ONE_OF_MANY.search("the 3-2-1 checks stay UNKNOWN; 11 checks; 1.1 blocks")

"""The loss probability is written with its assumption and only as precise as its inputs."""

import pytest

from trondocs.wording import loss_chance


@pytest.mark.parametrize(("probability", "words"), [
    (1e-7, "less than 1 in a million a year"),
    (1e-6, "about 1 in a million a year"),
    (1.4e-4, "about 1 in 7,000 a year"),
    (1e-5, "about 1 in 100,000 a year"),
    (0.0071, "about 1 in 100 a year"),
    (0.05, "about 5% a year"),
    (0.153, "about 20% a year"),
])
def test_rounded_to_one_figure_with_the_independence_assumption(probability, words):
    text = loss_chance(probability)
    assert text == f"{words}, assuming the copies fail independently"


def test_no_false_precision():
    assert "10,000,000" not in loss_chance(1e-7)
    assert "7,142" not in loss_chance(1.4e-4)


def test_unknown_and_zero_say_why():
    assert loss_chance(None).startswith("unknown")
    assert loss_chance(0).startswith("none")

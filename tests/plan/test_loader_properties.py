"""Property tests: whatever YAML the loader is fed, it never raises anything but PlanError."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from trondocs.diagnostics import PlanError
from trondocs.plan import LoadedPlan, load_plan

EXAMPLE = Path(__file__).resolve().parents[2] / "inventory"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLE.glob("*.yaml") if p.name != "sources.yaml")
KEYS = ["organization", "nodes", "sites", "protection", "name", "role", "runs_on", "every", "keep",
        "covers", "boot", "node", "delay", "rpo", "waivers", "expires", "priority", "depends_on"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.text(max_size=20), st.sampled_from(["15m", "PT15M", "witness", "2027-01-01", "T" * 34, "veeam"]),
    st.dates(min_value=dt.date(1990, 1, 1)),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=8)), children,
                        max_size=5),
    ),
    max_leaves=25,
)


def _outcome(inventory: Path) -> LoadedPlan | PlanError:
    try:
        return load_plan(inventory, today=dt.date(2026, 11, 1))
    except PlanError as exc:
        assert exc.diagnostics, "a PlanError must carry at least one diagnostic"
        for diagnostic in exc.diagnostics:
            assert diagnostic.message
        return exc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents)
def test_arbitrary_yaml_documents(document):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.yaml"
        with path.open("w") as handle:
            YAML(typ="safe").dump(document, handle)
        _outcome(Path(tmp))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text(text):
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "plan.yaml").write_text(text)
        assert isinstance(_outcome(Path(tmp)), PlanError | LoadedPlan)


mutations = st.lists(
    st.tuples(st.sampled_from(["delete", "duplicate", "insert", "swap", "indent"]),
              st.integers(0, 10_000), st.text(alphabet=" :-[]{}#&*!|>'\"\nabcT0129", max_size=6)),
    min_size=1, max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(file=st.sampled_from(EXAMPLE_FILES), edits=mutations)
def test_mutated_copies_of_the_example(file, edits):
    with tempfile.TemporaryDirectory() as tmp:
        inventory = Path(tmp) / "inventory"
        shutil.copytree(EXAMPLE, inventory)
        lines = (inventory / file).read_text().splitlines(keepends=True)
        for op, where, token in edits:
            if not lines:
                break
            i = where % len(lines)
            if op == "delete":
                del lines[i]
            elif op == "duplicate":
                lines.insert(i, lines[i])
            elif op == "insert":
                pos = where % (len(lines[i]) + 1)
                lines[i] = lines[i][:pos] + token + lines[i][pos:]
            elif op == "swap":
                j = (where // 7) % len(lines)
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = "  " + lines[i]
        (inventory / file).write_text("".join(lines))
        outcome = _outcome(inventory)
        if isinstance(outcome, PlanError):
            located = [d for d in outcome.diagnostics if d.location is not None]
            assert located, "errors in a plan file must point at a place in it"


def test_recursive_alias_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "plan.yaml").write_text("nodes: &a\n  - *a\n")
    outcome = _outcome(tmp_path)
    assert isinstance(outcome, PlanError)

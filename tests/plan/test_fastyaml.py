"""The libyaml fast path gives exactly what ruamel gives — values and every key's location — or
steps aside; and merged plans keep every location, whatever the number of files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trondocs.diagnostics import PlanError
from trondocs.plan import yamlsource
from trondocs.plan.fastyaml import fast_parse
from trondocs.plan.loader import load_plan
from trondocs.plan.yamlscalar import MAX_VALUES
from trondocs.plan.yamlsource import SourceMap, read_yaml

ROOT = Path(__file__).resolve().parents[2]

TRICKY = [
    "a: 1\nb: 1_000\nc: 0o14\nd: 0x1f\ne: 010\nf: +12\ng: -0\n",
    "a: 1.5\nb: .inf\nc: -.inf\nd: .nan\ne: 1e3\nf: 6.\n",
    "a: true\nb: yes\nc: on\nd: No\ne: null\nf: ~\ng:\nh: Null\n",
    "time: 02:00\nsexagesimal: 1:30:00\nevery: 6h\nrpo: 15m\n",
    "started: 2026-10-01T08:00:00Z\nday: 2026-10-01\nlocal: 2026-10-01 08:00:00\n"
    "zoned: 2026-10-01T08:00:00+02:00\n",
    "q: '02:00'\nd: \"yes\"\nlit: |\n  line one\n  line two\nfold: >\n  a\n  b\n",
    "list:\n- a\n- b: 1\n  c: [x, y]\n- - nested\n  - list\nflow: {k: v, n: 2}\n",
    "nodes:\n  - name: w\n    # a comment\n    role: witness   # trailing\n\n  - {name: x, role: full}\n",
    "text: plain text over\n  two lines\nurl: http://10.0.0.1:8090\nhash: a # b\n",
    "",
    "# only a comment\n",
    "- top\n- level\n- list\n",
    "just a scalar\n",
    "unicode: Bucureşti — Cluj\n",
    # aliases stand for their anchor's values and locations (yaml.dump writes them for shared lists)
    "a:\n  covers: &tron [w1, w2]\nb:\n  covers: *tron\nc:\n- &n {name: x}\n- *n\n",
    "schedule: cron(0 4 ? * SUN *)\nnote: a * b & c\n",
]

FALLBACK = [
    # aliases past the values bound (a billion laughs): ruamel's path refuses them in words
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
    "base: &b {x: [1, *b]}\n",  # a recursive alias
    "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n",  # merge key
    "a: !!str 12\n",  # tag
    "%YAML 1.1\n---\na: yes\n",  # directive
    "a: 1\na: 2\n",  # duplicate key
    "1: one\n",  # a key that is not text
    "a: [1, 2\n",  # syntax error: ruamel words it
    "---\na: 1\n---\nb: 2\n",  # two documents
]


def _ruamel(text: str, name: str = "t.yaml"):
    source = SourceMap()
    document = yamlsource._yaml().load(text)
    budget = yamlsource._Budget(MAX_VALUES)
    plain = yamlsource._plain(document, name, (), source, set(), budget)
    return plain, source.entries


def _repo_yaml() -> list[Path]:
    found = []
    for folder in ("inventory", "templates", "tests", "examples"):
        found += sorted((ROOT / folder).rglob("*.yaml")) + sorted((ROOT / folder).rglob("*.yml"))
    return [p for p in found if ".cache" not in p.parts]


@pytest.mark.parametrize("text", TRICKY)
def test_same_values_and_locations_as_ruamel(text):
    fast = fast_parse(text, "t.yaml")
    assert fast is not None
    assert fast == _ruamel(text)
    assert [type(v) for v in _leaves(fast[0])] == [type(v) for v in _leaves(_ruamel(text)[0])]


def test_a_document_without_aliases_is_not_bounded_by_the_alias_budget():
    items = "".join(f"- {{name: n{i}, role: full}}\n" for i in range(MAX_VALUES // 2))
    parsed = fast_parse(items, "t.yaml")
    assert parsed is not None and len(parsed[0]) == MAX_VALUES // 2


@pytest.mark.parametrize("text", FALLBACK)
def test_steps_aside_for_what_only_ruamel_decides(text):
    assert fast_parse(text, "t.yaml") is None


def test_every_yaml_file_of_the_repository_parses_the_same():
    compared = 0
    for path in _repo_yaml():
        text = path.read_text(encoding="utf-8")
        fast = fast_parse(text, "f.yaml")
        if fast is None:
            continue
        try:
            expected = _ruamel(text, "f.yaml")
        except Exception:  # a deliberately broken fixture: libyaml must have refused it too
            pytest.fail(f"{path}: the fast path accepted what ruamel refuses")
        assert fast == expected, path
        compared += 1
    assert compared >= 5


def test_errors_still_come_from_ruamel(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("nodes:\n  - name: a\n  - name: a\n    name: b\n", encoding="utf-8")
    with pytest.raises(Exception) as raised:
        read_yaml(bad, "bad.yaml")
    assert "twice" in str(raised.value.diagnostics[0].message)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-11-01 25:00:00"])
def test_a_date_with_no_such_day_is_a_plan_error_at_its_place(tmp_path, value):
    # YAML reads the plain scalar as a timestamp, and constructing it raised a bare ValueError
    # (a traceback from `trondocs validate`; hardening's fuzz test found it).
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"nodes:\n  - name: a\n    since: {value}\n", encoding="utf-8")
    with pytest.raises(PlanError) as raised:
        read_yaml(bad, "bad.yaml")
    (problem,) = raised.value.diagnostics
    assert (problem.location.line, problem.location.column) == (3, 12)
    assert problem.message.startswith(f"cannot read {value!r}: ") and "quote it" in problem.hint


def test_a_plan_split_over_files_keeps_every_location(tmp_path):
    """The merge moves each file's items to their place in the joined lists, nothing else."""
    (tmp_path / "a.yaml").write_text(
        "organization: {name: Split SR, sr_address: TMtQsxH2PfkkuitP1UNKehvp8SJ8wJ3sGt}\n"
        "sites:\n  - {name: prod, role: primary, media: disk}\n"
        "nodes:\n"
        "  - name: n1\n    role: witness\n    priority: 1\n"
        "    runs_on: {source: vsphere, vm: vm1, site: prod}\n",
        encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "nodes:\n"
        "  - name: n2\n    role: full\n    runs_on: {source: vsphere, vm: vm2, site: prod}\n"
        "  - name: n3\n    role: full\n    runs_on:\n"
        "      source: vsphere\n      vm: vm3\n      site: prod\n",
        encoding="utf-8")
    loaded = load_plan(tmp_path, today=dt.date(2026, 11, 20))
    assert [n.name for n in loaded.plan.nodes] == ["n1", "n2", "n3"]
    assert str(loaded.locate("nodes", "n1", "runs_on")).endswith("a.yaml:8:5")
    assert str(loaded.locate("nodes", "n2")).endswith("b.yaml:2:5")
    assert str(loaded.locate("nodes", "n3", "runs_on", "vm")).endswith("b.yaml:9:7")
    assert str(loaded.locate("organization")).endswith("a.yaml:1:1")
    assert str(loaded.locate("sites", "prod", "media")).endswith("a.yaml:3:33")


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value

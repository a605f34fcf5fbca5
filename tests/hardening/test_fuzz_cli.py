"""Property-based fuzzing of the real CLI over plan files, sources.yaml and state files (issue 15).

Whatever is fed in — mutated plan YAML, generated sources.yaml, mutated (or gzipped, cut,
nested) state files — the command ends with one of its documented exit codes (0 ok,
1 findings, 2 usage or plan error, 3 evidence incomplete) and never with a traceback.
Bounded: a few dozen examples per input kind and no network (sources are only loaded),
so the whole module runs in well under a minute.
"""

from __future__ import annotations

import gzip
import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLE_INVENTORY, ROOT
from trondocs.cli import cli
from trondocs.collectors.registry import SOURCE_TYPES, source_module

CAPTURE = ROOT / "examples" / "capture.state.json"
PLAN_FILES = sorted(p for p in EXAMPLE_INVENTORY.glob("*.yaml") if p.name != "sources.yaml")
EXIT_CODES = {0, 1, 2, 3}


def fuzz(examples: int) -> settings:
    # deadline=None: an example's time varies with the machine; max_examples bounds the whole.
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Hostile YAML fragments the outside probe used, and their neighbours.
YAML_TOKENS = [
    "&a ", "*a", "*b", "<<: *a\n", "{", "}", "[", "]", "- ", ": ", "\n  ", "\n", "\t", "? ", "'", '"',
    "99999999999999999999999999d", "1e999", "-.inf", ".nan", "9" * 5000, "0x7fffffffffffffffffff",
    "!!binary AAAA", "!!python/object/apply:os.system ['true']", "!!set {a}", "%YAML 1.1\n", "---\n",
    "...\n", "https://user:pass@host:1/", "2026-02-30", "2026-11-01T25:00:00Z", "PT99999999999999H",
    "\x00", "\ufeff", "\u202e", "<script>x</script>", "~", "null", "[*a, *a, *a, *a]",
]
fragments = st.one_of(st.sampled_from(YAML_TOKENS), st.text(max_size=12))


def mutated(text: str) -> st.SearchStrategy[str]:
    """``text`` with a few insertions, deletions or line replacements at random places."""
    edit = st.tuples(st.sampled_from(["insert", "delete", "replace-line"]), st.floats(0, 1),
                     st.integers(0, 40), fragments)

    def apply(edits: list) -> str:
        out = text
        for op, where, length, fragment in edits:
            at = int(where * len(out))
            if op == "insert":
                out = out[:at] + fragment + out[at:]
            elif op == "delete":
                out = out[:at] + out[at + length:]
            else:
                start = out.rfind("\n", 0, at) + 1
                end = out.find("\n", at)
                line = out[start: end if end >= 0 else len(out)]
                key = line.split(":", 1)[0] + ": " if ":" in line else ""
                out = out[:start] + key + fragment + (out[end:] if end >= 0 else "")
        return out

    return st.lists(edit, min_size=1, max_size=4).map(apply)


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="trondocs-fuzz-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def run(*args: object):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{type(result.exception).__name__}: {result.exception}\n{output[-2000:]}"
    assert result.exit_code in EXIT_CODES, (result.exit_code, output[-2000:])
    assert "Traceback" not in output
    return result


@fuzz(40)
@given(st.data())
def test_mutated_plan_files(data):
    victim = data.draw(st.sampled_from(PLAN_FILES), label="file")
    text = data.draw(mutated(victim.read_text()), label="text")
    with folder() as tmp:
        inventory = tmp / "inventory"
        shutil.copytree(EXAMPLE_INVENTORY, inventory)
        (inventory / victim.name).write_text(text, encoding="utf-8", errors="surrogateescape")
        run("validate", "-i", inventory)


# Every key some source's settings have, plus a few it must refuse.
SOURCE_KEYS = sorted({key for kind in SOURCE_TYPES for key in source_module(kind).Config.model_fields}
                     | {"password", "token", "api_key", "bogus"})
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=16),
    st.sampled_from(["https://u:p@h:1/", "http://127.0.0.1:9", "5m", "99999999999999999999999999d",
                     "not a var!", "TRONDOCS_X", "eu-central-1", "../x.json", "1e999", ""]))
json_values = st.recursive(json_scalars, lambda children: st.one_of(
    st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)),
    max_leaves=8)
source_entries = st.one_of(
    st.fixed_dictionaries(
        {"name": st.one_of(st.text(max_size=10), json_values),
         "type": st.one_of(st.sampled_from(sorted(SOURCE_TYPES)), json_values)},
        optional={key: json_values for key in SOURCE_KEYS if key not in ("name", "type")}),
    json_values)


@fuzz(60)
@given(st.one_of(
    st.fixed_dictionaries({"sources": st.lists(source_entries, max_size=3)}).map(json.dumps),
    json_values.map(json.dumps),
    mutated("sources:\n  - name: vbr\n    type: veeam\n    url: https://vbr.example:9419\n"
            "    password_env: TRONDOCS_VEEAM_PASSWORD\n    deadline: 5m\n"),
))
def test_generated_sources_yaml(text):
    with folder() as tmp:
        inventory = tmp / "inventory"
        shutil.copytree(EXAMPLE_INVENTORY, inventory)
        (inventory / "sources.yaml").write_text(text, encoding="utf-8", errors="surrogateescape")
        # -s of a source nobody has: sources.yaml is read and checked in full, nothing is contacted.
        result = run("collect", "-i", inventory, "-s", "no-such-source", "--no-history",
                     "-o", tmp / "state.json")
        assert result.exit_code == 2


def _mutate_json(document, data, depth: int = 0):
    """Replace one value somewhere in ``document`` by a generated JSON value."""
    if depth > 12 or not isinstance(document, dict | list) or not document \
            or data.draw(st.integers(0, 4), label="stop") == 0:
        return data.draw(json_values, label="value")
    if isinstance(document, dict):
        key = data.draw(st.sampled_from(sorted(document)), label="key")
        return {**document, key: _mutate_json(document[key], data, depth + 1)}
    index = data.draw(st.integers(0, len(document) - 1), label="index")
    return [*document[:index], _mutate_json(document[index], data, depth + 1), *document[index + 1:]]


@fuzz(25)
@given(st.data())
def test_mutated_state_files(data):
    original = CAPTURE.read_text()
    how = data.draw(st.sampled_from(["structure", "text", "nested", "gzip-cut"]), label="how")
    if how == "structure":
        document = json.loads(original)
        for _ in range(data.draw(st.integers(1, 3), label="edits")):
            document = _mutate_json(document, data)
        content = json.dumps(document).encode()
    elif how == "text":
        content = data.draw(mutated(original[:4000]), label="text").encode("utf-8", "surrogateescape") \
            + original[4000:].encode()
    elif how == "nested":
        depth = data.draw(st.integers(1, 50_000), label="depth")
        content = ('{"schema_version": 1, "collection": ' + "[" * depth + "]" * depth + "}").encode()
    else:
        packed = gzip.compress(original.encode())
        content = packed[: data.draw(st.integers(0, len(packed)), label="cut")]
    with folder() as tmp:
        state = tmp / ("state.json.gz" if how == "gzip-cut" else "state.json")
        state.write_bytes(content)
        run("drift", "-i", EXAMPLE_INVENTORY, "--state", state, "--no-baseline", "--fail-on", "never",
            "--format", f"json={tmp / 'drift.json'}")

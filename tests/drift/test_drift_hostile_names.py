"""Names carrying markup, javascript: links, line breaks and workflow commands, from the plan and
from the sources, come out of every drift format as text: no live link or element in Markdown,
no workflow command in text or JUnit, no control character anywhere, valid XML and JSON."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown as python_markdown
import pytest
from click.testing import CliRunner

from tests.hostile import JOB, ORG, SOURCE, VM, hostile_inventory, injected
from trondocs.cli import cli
from trondocs.render.escape import CONTROLS

FORMATS = ("text", "json", "markdown", "sarif", "junit", "github", "prometheus")
COMMANDS = re.compile(r"^\s*::", re.M)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hostile-drift")
    inventory, state = hostile_inventory(folder)
    args = ["drift", "-i", str(inventory), "--state", str(state), "--no-baseline", "--fail-on", "never"]
    files = {name: folder / f"drift.{name}" for name in FORMATS}
    result = CliRunner().invoke(cli, [*args, *(f"--format={n}={p}" for n, p in files.items())],
                                catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output
    found = {name: Path(path).read_bytes().decode() for name, path in files.items()}  # \r kept
    stdout = CliRunner().invoke(cli, args, catch_exceptions=False)
    found["stdout"], found["stderr"] = stdout.stdout, stdout.stderr
    return found


def _controls(text: str) -> list[str]:
    return sorted({repr(c) for c in CONTROLS.findall(text) if c != "\n"})


@pytest.mark.parametrize("name", ["text", "markdown", "junit", "github", "stdout", "stderr"])
def test_no_control_character_in_any_output(outputs, name):  # JSON, SARIF, Prometheus: data, escaped
    assert _controls(outputs[name]) == []


@pytest.mark.parametrize("name", ["text", "stdout", "stderr", "markdown", "prometheus", "junit"])
def test_no_line_starts_a_workflow_command(outputs, name):
    assert COMMANDS.findall(outputs[name]) == []


def test_text_shows_the_names_on_one_row_each(outputs):
    text = outputs["stdout"]
    assert text == outputs["text"]
    rows = [line for line in text.splitlines() if "VMNAME" in line]
    assert rows and all(line.startswith(("FAIL ", "UNKNOWN ", "WAIVED ")) for line in rows)
    assert "VMCMD one ::error title=pwned-VMCMD::injected by VMCMD ::add-mask::VMCMD" in text
    assert ORG in text and "SRCNAME one ::error" in text


def test_github_annotations_are_only_the_ones_trondocs_writes(outputs):
    lines = outputs["github"].splitlines()
    assert all(re.match(r"::(error|warning|notice)( [^:]+)?::", line) for line in lines), lines
    assert not [line for line in lines if "title=pwned" in line.split("::", 2)[1]]
    assert any("VMCMD one%0A: :error title=pwned-VMCMD" in line for line in lines)


def test_markdown_has_no_live_link_element_or_script(outputs):
    text = outputs["markdown"]
    assert not re.search(r"(?<!\\)\]\((?i:javascript):", text)
    assert not re.search(r"<(?!/?(details|summary|br)\b)[a-z]", text, re.I)
    rendered = python_markdown.markdown(text, extensions=["tables"])
    assert injected(rendered) == [] and "javascript:" not in re.sub(r">[^<]*<", "><", rendered)
    assert "VMNAME&lt;script>" in text and "\\[VMNAME link\\](javascript:" in text


def test_json_keeps_the_names_exactly(outputs):
    document = json.loads(outputs["json"])
    text = json.dumps(document, ensure_ascii=False)
    for name in (ORG, VM, JOB, SOURCE):
        assert json.dumps(name, ensure_ascii=False)[1:-1] in text


def test_sarif_messages_are_one_line_with_no_embedded_link(outputs):
    run = json.loads(outputs["sarif"])["runs"][0]
    texts = [r["message"]["text"] for r in run["results"]]
    texts += [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert any("VMNAME" in t for t in texts) and any("SRCNAME" in t for t in texts)
    for text in texts:
        assert "\n" not in text and _controls(text) == []
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", text), text


def test_junit_is_valid_xml_with_flattened_names(outputs):
    root = ET.fromstring(outputs["junit"])
    names = [case.get("name") for case in root.iter("testcase")]
    messages = [e.get("message") for e in root.iter() if e.get("message")]
    texts = [e.text for e in root.iter("failure") if e.text]
    assert any("PROTNAME" in n for n in names) and any("VMNAME" in m for m in messages)
    for value in names + messages + texts:
        assert _controls(value) == [] and COMMANDS.findall(value) == []


def test_prometheus_lines_are_comments_or_samples(outputs):  # its parsers split lines at \n only
    sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-z_]+="([^"\\\n]|\\.)*",?)*\})? [-+0-9.eEInfa]+$')
    for line in outputs["prometheus"].split("\n")[:-1]:
        assert line.startswith("# ") or sample.match(line), line

"""A hostile SR: names from the plan and from the sources that carry markup, links and commands.

Used by the site, report and drift tests: every such name must come out as text, never as
markup, a live link, a script or a GitHub workflow command. ``hostile_inventory`` writes the
example inventory with names replaced (and the example capture with VM and job names replaced);
``MARK`` makes each payload findable in any output.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

from tests.conftest import EXAMPLE_INVENTORY, ROOT

CAPTURE = ROOT / "examples" / "capture.state.json"


def markup(tag: str) -> str:
    """A one-line name that would run a script, inject an element or a javascript: link."""
    return (f"{tag}<script>window.tdPwned='{tag}'</script><img src=x onerror=\"window.tdPwned='{tag}'\">"
            f"[{tag} link](javascript:window.tdPwned='{tag}') *{tag}* `{tag}` | {tag} & co")


def command(tag: str) -> str:
    """Text with line breaks and control characters that would start a GitHub workflow command."""
    return (f"{tag} one\n::error title=pwned-{tag}::injected by {tag}\r\n::add-mask::{tag}"
            f"\x1b[31m{tag}-red\x1b[0m\x07\x00\u2028::warning::{tag}-ls\x85::notice::{tag}-nel "
            f"<b>{tag}</b>[{tag}](javascript:alert(1))")


# Plan names (one line: names refuse control characters) and free text (which may hold them).
ORG = markup("ORGNAME")
SITE = markup("SITENAME")
PROTECTION = markup("PROTNAME")
FAILOVER = markup("FONAME")
DESCRIPTION = markup("DESCTEXT") + "\n" + command("DESCCMD")
LOCATION = markup("LOCTEXT")
NOTES = command("NOTESCMD")
WAIVER = markup("WAIVERTXT")  # one line, like every name
# Source names, as a state file or a collector brings them.
VM = markup("VMNAME") + command("VMCMD")
JOB = markup("JOBNAME")
SOURCE = "n2ws-b" + command("SRCNAME")
SOURCE_ERROR = command("SRCERR")
# Each payload's tag: markup() payloads show "<script>…", command() ones "<b>…</b>" as text.
MARKUP_TAGS = ("ORGNAME", "SITENAME", "PROTNAME", "FONAME", "DESCTEXT", "LOCTEXT", "VMNAME", "JOBNAME",
               "WAIVERTXT")
COMMAND_TAGS = ("DESCCMD", "VMCMD", "SRCERR", "SRCNAME")
NODE = markup("NODENAME")  # only where the plan's own check is bypassed (escape regardless)


def _yaml(text: str) -> str:
    return json.dumps(text)  # a JSON string (ASCII, escaped) is a YAML double-quoted scalar


def _replace_word(text: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", lambda _m: new, text)


def hostile_inventory(folder: Path, *, node: str | None = None) -> tuple[Path, Path]:
    """The example inventory and capture with hostile names; returns (inventory, state file).

    ``node``, when given, also renames witness-b to it (its plan check must be bypassed then).
    """
    inventory = folder / "inventory"
    shutil.copytree(EXAMPLE_INVENTORY, inventory)
    (inventory / "sources.yaml").unlink()
    for path in inventory.glob("*.yaml"):
        text = path.read_text()
        text = text.replace("name: Carpathian Nodes\n", f"name: {_yaml(ORG)}\n")
        text = _replace_word(text, "cluj-dr", _yaml(SITE))
        text = text.replace("name: TRON replication", f"name: {_yaml(PROTECTION)}")
        text = text.replace("TRON site failover", _yaml(FAILOVER))
        text = text.replace("job: Replicate TRON nodes", f"job: {_yaml(JOB)}")
        text = text.replace("description: producing witness", f"description: {_yaml(DESCRIPTION)}")
        text = text.replace("location: Bucharest, Romania (colocation, rack B14)",
                            f"location: {_yaml(LOCATION)}")
        text = re.sub(r"notes: planned failover.*", lambda _m: f"notes: {_yaml(NOTES)}", text)
        text = re.sub(r"reason: chain data is public.*", lambda _m: f"reason: {_yaml(WAIVER)}", text)
        if node is not None:
            text = _replace_word(text, "witness-b", _yaml(node))
        path.write_text(text)
    state = json.loads(CAPTURE.read_text())
    raw = json.dumps(state, ensure_ascii=False)
    raw = raw.replace('"Replicate TRON nodes"', json.dumps(JOB, ensure_ascii=False))
    raw = raw.replace('"tron-full-02"', json.dumps(VM, ensure_ascii=False))
    raw = raw.replace('"tron-full-02_replica"', json.dumps(VM + "_replica", ensure_ascii=False))
    state = json.loads(raw)
    failed = dict(state["collection"]["sources"][0])
    failed.update(name=SOURCE, type="n2ws", ok=False, error=SOURCE_ERROR, api_calls=0, objects=0)
    state["collection"]["sources"].append(failed)
    state_file = folder / "hostile.state.json"
    state_file.write_text(json.dumps(state, indent=2, ensure_ascii=False))
    return inventory, state_file


class Injected(HTMLParser):
    """Every element or attribute of a page that came from a hostile name instead of its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = self._bold = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or "tdPwned" in name:
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                    ("javascript:", "vbscript:", "data:text")):
                self.found.append(f"<{tag} {name}={value[:40]}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")
        self._bold = tag == "b"

    def handle_endtag(self, tag: str) -> None:
        self._script = self._bold = False

    def handle_data(self, data: str) -> None:
        if self._script and "tdPwned='" in data:  # (a URL-encoded one in a script is a string)
            self.found.append(f"<script>{data[:40]}")
        if self._bold and data in COMMAND_TAGS:  # the command payloads' marker element
            self.found.append(f"<b>{data}</b>")


def injected(text: str) -> list[str]:
    parser = Injected()
    parser.feed(text)
    parser.close()
    return parser.found

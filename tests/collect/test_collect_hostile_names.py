"""`trondocs collect` prints one line per source whatever its name, error or warnings hold: no
control character, no line that a GitHub runner would read as a workflow command."""

from __future__ import annotations

import re

from click.testing import CliRunner

from tests.hostile import CAPTURE, SOURCE, SOURCE_ERROR, command
from trondocs.cli import cli
from trondocs.render.escape import CONTROLS
from trondocs.state.io import load_state
from trondocs.workflow import collect as collect_workflow


def test_a_hostile_source_name_error_and_warning_stay_on_their_line(tmp_path, example_inventory,
                                                                    monkeypatch):
    state = load_state(CAPTURE)
    run = state.collection.sources[0].model_copy(update={
        "name": SOURCE, "ok": False, "error": SOURCE_ERROR, "warnings": [command("WARN")]})
    state = state.model_copy(update={"collection": state.collection.model_copy(update={"sources": [run]})})
    monkeypatch.setattr(collect_workflow, "run_collect",
                        lambda *args, **kwargs: collect_workflow.CollectResult(state=state, snapshot=None))
    result = CliRunner().invoke(cli, ["collect", "-i", str(example_inventory), "-o", str(tmp_path / "s.json"),
                                      "--no-history"], catch_exceptions=False)
    assert result.exit_code == 3
    lines = result.stderr.split("\n")
    assert not [line for line in lines if re.match(r"\s*::", line)]
    assert not [c for c in CONTROLS.findall(result.stderr) if c != "\n"]
    assert len([line for line in lines if "SRCNAME" in line]) == 2  # its status line and its warning

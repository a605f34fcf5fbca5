"""Option values come from the enums and registries that define them, read only when needed."""

from __future__ import annotations

import subprocess
import sys

from trondocs.cli import cli
from trondocs.evaluate.models import Severity
from trondocs.plan.models import DrillResult, PaperSize
from trondocs.render.drift import FORMATS
from trondocs.render.drift.catalogue import RULE_FORMATS
from trondocs.render.report.detail import DETAIL_CHOICES


def _option(path: str, name: str):
    command = cli
    for part in path.split():
        command = command.commands[part]
    return next(p for p in command.params if name in p.opts)


def test_each_choice_is_its_vocabulary():
    choices = {(path, name): tuple(_option(path, name).type.choices) for path, name in (
        ("drift", "--severity"), ("drift", "--fail-on"), ("rules", "--format"), ("report", "--paper"),
        ("report", "--detail"), ("build", "--detail"), ("drill record", "--result"))}
    assert choices == {
        ("drift", "--severity"): tuple(s.value for s in Severity),
        ("drift", "--fail-on"): (*(s.value for s in Severity), "never"),
        ("rules", "--format"): RULE_FORMATS,
        ("report", "--paper"): tuple(p.value for p in PaperSize),
        ("report", "--detail"): DETAIL_CHOICES, ("build", "--detail"): DETAIL_CHOICES,
        ("drill record", "--result"): tuple(r.value for r in DrillResult),
    }


def test_drift_help_lists_every_registered_format(run_cli):
    help_text = " ".join(run_cli("drift", "--help").stdout.split())
    assert f"[{'|'.join(FORMATS)}][=FILE]" in help_text


def test_paper_is_case_insensitive_and_checked_against_the_enum(run_cli):
    result = run_cli("report", "--state", "examples/capture.state.json", "--paper", "a5", "-o", "x.pdf")
    assert result.exit_code == 2 and "'a4', 'letter'" in result.stderr
    assert _option("report", "--paper").type.convert("LETTER", None, None) == PaperSize.LETTER


def test_the_cli_starts_without_importing_evaluation_or_renderers():
    """Shell completion runs the CLI on every TAB: the choices must not load what they name."""
    probe = ("import sys, trondocs.cli; heavy = ('trondocs.evaluate', 'trondocs.render'); "
             "print(sorted(m for m in sys.modules if m.startswith(heavy)))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"

"""Adding a protection system is one row of trondocs/systems.py, and nothing else.

A copy of the package gets a throwaway system (and the source type it is read from) by an edit
of the table's text only; the real CLI, run on that copy, then validates plans naming it, asks
for its source when judging (UNKNOWN while none was read), writes its runbooks, lists its
credentials on the About page and puts both in the starter plan and sources.yaml.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# One row for the system, one for the source it is read from, written into the table's tuples.
SYSTEM_ROW = """    ProtectionSystemInfo(
        name="vm-snapper", member="VM_SNAPPER", product="VM Snapper", source="vm-snapper",
        platform=VMWARE, kinds=(BACKUP,), recovery={BACKUP: Recovery.VM_RESTORE},
        steps={"backups": "Snaps - Stored", "instant_recovery": "Run from snap",
               "guest_files": "Pick files"}),
"""
SOURCE_ROW = """    SourceTypeInfo(name="vm-snapper", title="VM Snapper", access="a *Snap Reader* token",
                   credentials=(Credential("token_env", "TRONDOCS_VM_SNAPPER_TOKEN", "token"),)),
"""
PROTECTED_BY_IT = """
nodes:
  - name: full-02
    role: full
    runs_on: {source: vsphere, vm: tron-full-02, site: buc-dc1}
protection:
  - name: VM snaps
    kind: backup
    system: vm-snapper
    job: Snap TRON
    covers: [full-02]
    every: 4h
    keep: 6 points
    to: buc-dc1
"""
MISFITS = """
protection:
  - name: Misfit snaps
    kind: snapshot
    system: vm-snapper
    policy: snap-aws
    covers: [full-aws-01]
    every: 4h
    keep: 6 points
"""


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    """The package, its templates and the example inventory, with one more row in the systems table."""
    root = tmp_path_factory.mktemp("new-system")
    shutil.copytree(ROOT / "trondocs", root / "trondocs", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "inventory", root / "inventory")
    shutil.copytree(ROOT / "examples", root / "examples")
    table = root / "trondocs" / "systems.py"
    text = table.read_text(encoding="utf-8")
    last_system = ")\n\n# In the order the About page lists them."  # the end of PROTECTION_SYSTEMS
    last_source = '    SourceTypeInfo(name="snapshot"'
    assert text.count(last_system) == 1 and text.count(last_source) == 1
    text = text.replace(last_system, SYSTEM_ROW + last_system).replace(last_source, SOURCE_ROW + last_source)
    table.write_text(text, encoding="utf-8")
    return root


def python(copy: Path, *args: str | Path) -> subprocess.CompletedProcess:
    """Python in the copy: it comes first on the path, before any installed or checked-out trondocs."""
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, *map(str, args)], cwd=copy, env=env,
                          capture_output=True, text=True, timeout=600)


def trondocs(copy: Path, *args: str | Path) -> subprocess.CompletedProcess:
    return python(copy, "-m", "trondocs", *args)


def test_the_copy_is_what_runs(copy):
    where = python(copy, "-c", "import trondocs.systems as t; print(t.__file__)")
    assert Path(where.stdout.strip()) == copy / "trondocs" / "systems.py", where.stderr


def test_validation_accepts_it_and_checks_its_kinds_and_platform(copy):
    (copy / "inventory" / "snapper.yaml").write_text(PROTECTED_BY_IT, encoding="utf-8")
    misfits = copy / "misfits"
    shutil.copytree(copy / "inventory", misfits)
    (misfits / "misfit.yaml").write_text(MISFITS, encoding="utf-8")

    accepted = trondocs(copy, "validate", "-i", "inventory")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    refused = trondocs(copy, "validate", "-i", misfits)
    out = refused.stdout + refused.stderr
    assert refused.returncode == 2, out
    assert "vm-snapper has no 'snapshot' jobs" in out and "use one of: backup" in out
    assert "vm-snapper protects vsphere workloads, but node 'full-aws-01' runs on aws" in out
    assert "Traceback" not in out


def test_the_unchanged_package_refuses_it(run_cli, tmp_path):
    inventory = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventory", inventory)
    (inventory / "snapper.yaml").write_text(PROTECTED_BY_IT, encoding="utf-8")
    result = run_cli("validate", "-i", inventory)
    assert result.exit_code == 2
    assert "vm-snapper" in result.output


def test_coverage_runbooks_and_about_page_pick_it_up(copy):
    (copy / "inventory" / "snapper.yaml").write_text(PROTECTED_BY_IT, encoding="utf-8")
    built = trondocs(copy, "site", "-i", "inventory", "--state", "examples/capture.state.json",
                     "-o", "site", "-q")
    assert built.returncode in (0, 1, 3), built.stdout + built.stderr
    site = copy / "site"

    # Coverage: its restore points are asked of a vm-snapper source, which nothing read.
    findings = json.loads((site / "findings.json").read_text(encoding="utf-8"))["findings"]
    rpo = [f for f in findings if f["node"] == "full-02" and "vm-snapper" in f["message"]]
    assert rpo and all(f["status"] == "unknown" for f in rpo), [f["message"] for f in findings
                                                                 if f["node"] == "full-02"]
    assert any("no vm-snapper source was read" in f["message"] for f in rpo)

    # Runbooks: the family the table gives it, in its product's words and console steps.
    runbook = (site / "runbooks" / "full-02.html").read_text(encoding="utf-8")
    assert "Quick rollback" in runbook and "Instant VM recovery" in runbook
    assert "In the VM Snapper console open <strong>Snaps - Stored</strong>" in runbook
    assert "<strong>Snaps - Stored → Snap TRON</strong>" in runbook
    assert "Veeam console" not in runbook

    # About: what its source needs, with the collector's default variable.
    about = (site / "about.html").read_text(encoding="utf-8")
    assert "VM Snapper (<code>vm-snapper</code>)" in about
    assert "a <em>Snap Reader</em> token" in about and "<code>TRONDOCS_VM_SNAPPER_TOKEN</code>" in about


def test_the_starter_plan_and_sources_list_it(copy, tmp_path):
    assert trondocs(copy, "init", tmp_path / "new").returncode == 0
    plan = (tmp_path / "new" / "plan.yaml").read_text(encoding="utf-8")
    assert "# veeam | aws-backup | dlm | n2ws | vm-snapper" in plan
    sources = (tmp_path / "new" / "sources.yaml").read_text(encoding="utf-8")
    example = sources[sources.index("# VM Snapper: a Snap Reader token"):].splitlines()
    assert [" ".join(line.split()) for line in example[1:4]] == [
        "# - name: vm-snapper", "# type: vm-snapper", "# token_env: TRONDOCS_VM_SNAPPER_TOKEN # default"]


def test_the_command_help_names_its_source(copy):
    shown = trondocs(copy, "--help")
    assert shown.returncode == 0, shown.stderr
    assert "VM Snapper" in " ".join(shown.stdout.split())

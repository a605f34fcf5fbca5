"""`pip install .` into a fresh venv works outside the source tree (templates in the wheel)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, env={**os.environ, "PIP_NO_INDEX": "1"})
    return next(out.glob("trondocs-*.whl"))


def test_wheel_ships_the_templates(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "trondocs/templates/init/plan.yaml" in names
    assert any(n.startswith("trondocs/cli/") for n in names)


def test_installed_wheel_validates_from_another_directory(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    # Dependencies come from the test environment (a .pth file), the package only from the wheel.
    purelib = Path(subprocess.check_output(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(purelib)
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    inventory = shutil.copytree(ROOT / "inventory", elsewhere / "inventory")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    code = ("import sys, trondocs; assert 'site-packages' in trondocs.__file__, trondocs.__file__;"
            "from trondocs.cli import main; sys.argv=['trondocs','validate','-i','inventory']; main()")
    done = subprocess.run([str(venv / "bin" / "python"), "-c", code], cwd=elsewhere, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "valid" in done.stdout
    starter = subprocess.run([str(venv / "bin" / "python"), "-m", "trondocs", "init", "new-sr"],
                             cwd=elsewhere, env=env, capture_output=True, text=True)
    assert starter.returncode == 0, starter.stderr
    assert (elsewhere / "new-sr" / "plan.yaml").exists()
    assert inventory.exists()

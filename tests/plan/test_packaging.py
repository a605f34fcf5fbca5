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
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # pip installs the package from the wheel `pip wheel .` built; its dependencies come from the
    # test environment (a .pth file), so the test needs no network.
    done = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    purelib = Path(subprocess.check_output(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    (purelib / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copytree(ROOT / "inventory", elsewhere / "inventory")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    validated = subprocess.run([str(venv / "bin" / "trondocs"), "validate", "-i", "inventory"],
                               cwd=elsewhere, env=env, capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    assert "valid" in validated.stdout
    where = subprocess.check_output(
        [str(venv / "bin" / "python"), "-c", "import trondocs; print(trondocs.__file__)"],
        cwd=elsewhere, env=env, text=True)
    assert str(purelib) in where, where  # the installed copy, not the source tree
    starter = subprocess.run([str(venv / "bin" / "trondocs"), "init", "new-sr"], cwd=elsewhere, env=env,
                             capture_output=True, text=True)
    assert starter.returncode == 0, starter.stderr
    assert (elsewhere / "new-sr" / "plan.yaml").exists()


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    """The sdist, built by hatchling as `python -m build --sdist` would (offline)."""
    out = tmp_path_factory.mktemp("sdist")
    code = "import sys; from hatchling.build import build_sdist; print(build_sdist(sys.argv[1]))"
    name = subprocess.check_output([sys.executable, "-c", code, str(out)], cwd=ROOT, text=True).strip()
    return out / name


def test_wheel_and_sdist_carry_the_one_version(wheel, sdist):
    from trondocs import __version__

    assert wheel.name.startswith(f"trondocs-{__version__}-")
    assert sdist.name == f"trondocs-{__version__}.tar.gz"
    metadata = zipfile.ZipFile(wheel).read(f"trondocs-{__version__}.dist-info/METADATA").decode()
    assert f"\nVersion: {__version__}\n" in metadata
    # the version is written in one place only: the package; pyproject reads it from there
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'dynamic = ["version"]' in pyproject and "\nversion =" not in pyproject


def test_sdist_builds_a_wheel_with_the_templates(sdist, tmp_path):
    import tarfile

    with tarfile.open(sdist) as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    top = sdist.name.removesuffix(".tar.gz")
    assert f"{top}/templates/init/plan.yaml" in names
    assert f"{top}/pyproject.toml" in names
    out = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(tmp_path / top)], check=True, env={**os.environ, "PIP_NO_INDEX": "1"})
    built = next(out.glob("trondocs-*.whl"))
    assert "trondocs/templates/init/github/trondocs-pr.yml" in zipfile.ZipFile(built).namelist()

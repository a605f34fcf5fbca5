"""Build (via scripts/build-vcsim) and run vcsim on a free loopback port. For tests and bench/."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "scripts" / "build-vcsim"
USERNAME = "trondocs-reader"
PASSWORD = "vcsim-S3cret-pw"  # distinctive, so tests can prove it never leaks


class VcsimError(RuntimeError):
    pass


@dataclass(frozen=True)
class Vcsim:
    url: str
    host: str
    port: int
    protocol: str
    username: str
    password: str
    cert: Path | None  # the self-signed server certificate (PEM) when started with tls

    @property
    def env(self) -> dict[str, str]:
        return {"TRONDOCS_VSPHERE_USER": self.username, "TRONDOCS_VSPHERE_PASSWORD": self.password}


def build() -> Path:
    done = subprocess.run([str(BUILD_SCRIPT)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise VcsimError(f"scripts/build-vcsim failed:\n{done.stderr}")
    return Path(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def running(*flags: str, tls: bool = False, username: str = USERNAME, password: str = PASSWORD,
            start_timeout: float = 120.0) -> Iterator[Vcsim]:
    """Start vcsim with ``flags`` (e.g. ``-vm 250``); yield once it serves; stop it afterwards."""
    binary = build()
    with tempfile.TemporaryDirectory(prefix="vcsim-") as scratch:
        cert = Path(scratch) / "server.pem" if tls else None
        args = [str(binary), "-l", "127.0.0.1:0", "-username", username, "-password", password, *flags]
        if cert is not None:
            args += ["-tls", "-cert-out", str(cert)]
        with open(Path(scratch) / "stderr", "w+b") as errors:
            # TMPDIR: the simulator's datastore folders go in our scratch folder, removed with it.
            process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=errors,
                                       env={**os.environ, "TMPDIR": scratch})
            try:
                url = _wait_for_url(process, start_timeout, errors)
                parsed = urlparse(url)
                yield Vcsim(url=url, host=parsed.hostname or "127.0.0.1", port=parsed.port or 0,
                            protocol=parsed.scheme, username=username, password=password, cert=cert)
            finally:
                _stop(process)


def _wait_for_url(process: subprocess.Popen, timeout: float, errors) -> str:
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.2):
                line = process.stdout.readline().decode()
                if line.startswith("VCSIM_URL="):
                    return line.removeprefix("VCSIM_URL=").strip()
                if not line and process.poll() is not None:
                    break
    _stop(process)
    errors.seek(0)
    raise VcsimError(f"vcsim did not start (exit {process.returncode}): {errors.read().decode()[-2000:]}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # vcsim removes its datastore folders on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout:
        process.stdout.close()

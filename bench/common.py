"""What every benchmark does besides its subject: time a call, keep the best of several runs, and
say how busy the shared machine was while it ran."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds a user waits
    cpu: float  # this process's CPU seconds: steadier on a shared machine; excludes servers and children


def timed(run: Callable[[], T]) -> tuple[T, Timing]:
    """Run once; the garbage of earlier work is collected first so that it is not billed to ``run``."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, Timing(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu)


def best_of(repeat: int, run: Callable[[], T]) -> tuple[T, Timing]:
    """The fastest of ``repeat`` runs (load on a shared machine only ever adds time) and its result."""
    best: tuple[T, Timing] | None = None
    for _ in range(repeat):
        result, took = timed(run)
        if best is None or took.wall < best[1].wall:
            best = result, took
    if best is None:
        raise ValueError("repeat must be at least 1")
    return best


def resident_mb() -> float:
    """This process's resident memory now (MB; 0 where /proc is not there)."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def resident_peak_mb(run: Callable[[], T]) -> tuple[T, float]:
    """``run``'s result and this process's peak resident memory while it ran (MB), what it
    already held included: Linux resets the high-water mark on writing 5 to clear_refs.
    Elsewhere: the process's peak so far (an upper bound)."""
    import resource

    try:
        Path("/proc/self/clear_refs").write_text("5")
        reset = True
    except OSError:
        reset = False
    result = run()
    if reset:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return result, int(line.split()[1]) / 1024
    return result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine_load() -> str:
    """For the last line of a report: the figures mean less when the machine was busy."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


REFERENCE_ITEMS = 500_000  # what reference_cpu() works through (about a second of CPU)


def reference_cpu() -> float:
    """CPU seconds of a fixed pure-Python workload shaped like evaluation (objects made, attributes
    read, dicts grouped, a sort), the fastest of three runs.

    Machines that run the benches differ (the sessions' sandboxes have measured up to twice apart
    for the same code), and CPU seconds only compare on one machine. Printed beside the figures,
    it lets a reader scale a figure to another machine: figure / reference there ≈ here.
    """

    @dataclass(frozen=True)
    class Item:
        key: str
        value: int

    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        groups: dict[str, list[int]] = {}
        for i in range(REFERENCE_ITEMS):
            item = Item(key=f"k{i % 997}", value=(i * 7919) % 10_007)
            groups.setdefault(item.key, []).append(item.value)
        for values in groups.values():
            values.sort()
        best = min(best, time.process_time() - start)
    return best


# --- whole-process runs, paired ratios, and the table ``make bench`` prints at the end ----------

RESULTS_ENV = "TRONDOCS_BENCH_RESULTS"  # a JSON-lines file every bench appends its rows to


@dataclass(frozen=True)
class Run:
    """One child process: what the user waits, its CPU seconds and its peak resident memory."""

    wall: float
    cpu: float
    peak_mb: float
    returncode: int


def run_process(argv: list[str], *, cwd: str | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to the end, output discarded; its own CPU time and peak memory.

    Through GNU time when installed: a child forked from this (large) bench process inherits
    its resident pages in the kernel's high-water mark, which ``wait4`` would report; GNU time
    is a small process, and reports its own child's. Without it: ``wait4``'s (an upper bound).
    """
    import shutil
    import subprocess
    import tempfile

    gnu_time = shutil.which("time") if Path("/usr/bin/time").exists() else None
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        command = [gnu_time, "-f", "%e %U %S %M", "-o", report.name, *argv] if gnu_time else argv
        began = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        assert proc.stderr is not None
        stderr_bytes = proc.stderr.read()
        proc.stderr.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - began
        cpu, peak_mb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024
        if gnu_time:
            fields = report.read().split()[-4:]
            if len(fields) == 4:
                wall, cpu = float(fields[0]), float(fields[1]) + float(fields[2])
                peak_mb = int(fields[3]) / 1024
    if proc.returncode not in (0, 1, 3):  # drift's findings and incomplete evidence are not failures
        stderr = stderr_bytes.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{argv[:4]}… exited {proc.returncode}: {stderr}")
    return Run(wall=wall, cpu=cpu, peak_mb=peak_mb, returncode=proc.returncode)


def paired(small: Callable[[], Run], large: Callable[[], Run],
           rounds: int) -> tuple[list[Run], list[Run], float]:
    """Interleaved rounds (small, large, then large, small, …) and the median of the per-round
    CPU ratios large/small: both sizes of a round see the same machine load."""
    smalls, larges, ratios = [], [], []
    for n in range(rounds):
        if n % 2:
            b = large()
            a = small()
        else:
            a = small()
            b = large()
        smalls.append(a)
        larges.append(b)
        ratios.append(b.cpu / a.cpu)
    return smalls, larges, _median(ratios)


def paired_ratio(smalls: list[Run], larges: list[Run], figure: Callable[[Run], float]) -> float:
    """The median over ``paired``'s rounds of another figure's ratio large/small (same round)."""
    return _median([figure(b) / figure(a) for a, b in zip(smalls, larges, strict=True)])


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def median_run(runs: list[Run]) -> Run:
    """The run of median CPU time (peak memory: the largest seen)."""
    chosen = sorted(runs, key=lambda r: r.cpu)[len(runs) // 2]
    return Run(wall=chosen.wall, cpu=chosen.cpu, peak_mb=max(r.peak_mb for r in runs),
               returncode=chosen.returncode)


def record(row: str, *, small: str, large: str, figure: str, ratio: float | None, peak_mb: float | None,
           target: str, met: bool | None = None) -> None:
    """Print one row of the issue's table and append it for ``bench/summary.py``.

    ``met``: whether the figures meet the target (None: the bench does not judge it). A bench
    that misses still records its row and exits 0, so ``make bench`` reaches its table;
    the summary names the missed rows (and exits 0: a miss is a finding, not a broken bench).
    """
    import json

    ratio_text = f"{ratio:.1f}x" if ratio is not None else "—"
    peak_text = f"{peak_mb:.0f} MB" if peak_mb is not None else "—"
    met_text = {True: "yes", False: "NO", None: "—"}[met]
    print(f"[{row}] {small} → {large}: {figure}; ratio {ratio_text}; peak {peak_text} (target {target}"
          f"{'' if met is None else ', met: ' + met_text})")
    path = os.environ.get(RESULTS_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"row": row, "sizes": f"{small} → {large}", "figure": figure,
                                  "ratio": ratio_text, "peak": peak_text, "target": target,
                                  "met": met_text,
                                  "load": f"{os.getloadavg()[0]:.1f}"}) + "\n")


# --- estates on disk and the trondocs command, shared by the whole-process benches ---------------

ROOT = Path(__file__).resolve().parent.parent  # this checkout: its trondocs is what the children run


@dataclass(frozen=True)
class EstateShape:
    """How bench/estate.py's estates are drawn: restore points a node, nodes per Veeam job, EC2 share."""

    points_per_node: int = 56  # a week of 6-hourly replicas, a fortnight of nightly backups
    group: int = 50
    aws_share: float = 0.2  # every fifth node on EC2, so every output has AWS pages and pictures


def write_estates(folder: Path, sizes: tuple[int, ...], shape: EstateShape = EstateShape()) -> list[Path]:
    """One estate per size under ``folder`` (``n<size>/inventory``, ``n<size>/state.json``)."""
    from bench.estate import write_estate

    folders = []
    for nodes in sizes:
        estate = Path(folder) / f"n{nodes}"
        write_estate(estate, nodes, points_per_node=shape.points_per_node, group=shape.group,
                     aws_share=shape.aws_share)
        folders.append(estate)
    return folders


def run_trondocs(folder: Path, *args: str) -> Run:
    """``trondocs ARGS`` in a child process whose working folder is ``folder``, this checkout's code."""
    import sys

    return run_process([sys.executable, "-m", "trondocs", *args], cwd=str(folder),
                       env=os.environ | {"PYTHONPATH": str(ROOT)})


def run_worker(script: Path, *args: str) -> tuple[Run, dict]:
    """``python SCRIPT --worker FILE ARGS`` in a child process: its own peak memory, and the JSON
    object it wrote to FILE (``write_worker_result``: what it timed inside)."""
    import json
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("r", suffix=".json") as out:
        run = run_process([sys.executable, str(script), "--worker", out.name, *args],
                          env=os.environ | {"PYTHONPATH": str(ROOT)})
        return run, json.loads(out.read() or "{}")


def size_arguments(description: str, *, factor: int = 5, rounds: int = 1, worker: bool = False):
    """The options of a bench that pairs two sizes: ``--nodes`` (the larger), ``--factor``,
    ``--rounds`` and, for one that runs each size in a child, the hidden ``--worker FILE``."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--nodes", type=int, default=500, help="the larger estate")
    parser.add_argument("--factor", type=int, default=factor,
                        help="the smaller estate is this many times smaller")
    parser.add_argument("--rounds", type=int, default=rounds)
    if worker:
        parser.add_argument("--worker", help=argparse.SUPPRESS)  # the file a child writes its figures to
    return parser


def write_worker_result(path: str, result: dict) -> None:
    """The worker's side of ``run_worker``."""
    import json

    Path(path).write_text(json.dumps(result), encoding="utf-8")


def sizes_line(work: str, sizes: tuple[int, int], runs: tuple[Run, Run]) -> str:
    """``work: 100 nodes 1.0 s wall 0.9 s CPU peak 200 MB; 500 nodes …`` for a pair's median runs."""
    return f"{work}: " + "; ".join(
        f"{n:,} nodes {r.wall:6.1f} s wall {r.cpu:6.1f} s CPU peak {r.peak_mb:5.0f} MB"
        for n, r in zip(sizes, runs, strict=True))

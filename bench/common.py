"""What every benchmark does besides its subject: time a call, keep the best of several runs, and
say how busy the shared machine was while it ran."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
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


def machine_load() -> str:
    """For the last line of a report: the figures mean less when the machine was busy."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"

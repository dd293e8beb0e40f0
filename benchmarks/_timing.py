"""Timing and reporting for `bench_proofs.py`: batches sized to a budget, medians, ratios.

Nothing here knows which operations are measured: the benchmark registers them with `Bench`
and passes its tables of baselines and targets to `table` and `verdicts`.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

#: operation name -> (raw Ed25519 baseline, pyld baseline), either may be None
Baselines = dict[str, tuple[str | None, str | None]]
#: (description, measured operation, baseline operation, minimum ratio)
Target = tuple[str, str, str, float]


@dataclass
class Measured:
    name: str
    seconds: list[float] = field(default_factory=list)  # per operation, one per repetition

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rate(self) -> float:
        return 1.0 / self.median


@dataclass
class Bench:
    budget: float  # seconds per batch
    repeat: int
    results: dict[str, Measured] = field(default_factory=dict)
    _ops: list[tuple[Measured, Callable[[int], object], int]] = field(default_factory=list)

    def run(self, name: str, op: Callable[[int], object]) -> None:
        """Register ``op(i)`` (i = 0, 1, …): warm it up and size its batch to the budget."""
        start, calls = time.perf_counter(), 0
        while calls < 3 or time.perf_counter() - start < self.budget / 4:
            op(calls)
            calls += 1
        per_call = (time.perf_counter() - start) / calls
        measured = Measured(name)
        self.results[name] = measured
        self._ops.append((measured, op, max(3, int(self.budget / per_call))))

    def measure(self) -> None:
        """Time every registered operation, interleaved round by round.

        Interleaving spreads the machine's noise (other processes, frequency changes) over all
        operations alike, so the ratios between them stay meaningful.
        """
        for _ in range(self.repeat):
            for measured, op, batch in self._ops:
                gc.collect()
                begin = time.perf_counter()
                for i in range(batch):
                    op(i)
                measured.seconds.append((time.perf_counter() - begin) / batch)


def pin_to_one_core() -> str:
    """Run on one core (the targets are per core); returns a description for the report."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity)"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": model,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def ratio(results: dict[str, Measured], name: str, baseline: str | None) -> float | None:
    if baseline is None or name not in results or baseline not in results:
        return None
    return results[name].rate / results[baseline].rate


def table(results: dict[str, Measured], baselines: Baselines) -> str:
    head = f"{'operation (one core, median)':<38} {'ms/op':>9} {'ops/s':>9} {'x raw Ed25519':>14} {'x pyld':>8}"
    lines = [head, "-" * len(head)]
    for name, measured in results.items():
        raw, pyld = baselines.get(name, (None, None))
        r, p = ratio(results, name, raw), ratio(results, name, pyld)
        lines.append(
            f"{name:<38} {measured.median * 1000:>9.4f} {measured.rate:>9.0f} "
            f"{'' if r is None else f'{r:.3f}':>14} {'' if p is None else f'{p:.1f}':>8}"
        )
    return "\n".join(lines)


def verdicts(results: dict[str, Measured], targets: list[Target]) -> list[dict[str, Any]]:
    out = []
    for description, name, baseline, minimum in targets:
        value = ratio(results, name, baseline)
        status = "n/a" if value is None else ("PASS" if value >= minimum else "MISS")
        out.append({"target": description, "ratio": value, "minimum": minimum, "status": status})
    return out


def write_json(
    path: Path, bench: Bench, targets: list[dict[str, Any]], *, pinned: str, quick: bool
) -> None:
    payload = {
        "machine": {**machine(), "affinity": pinned},
        "mode": "quick" if quick else "full",
        "budget_s": bench.budget,
        "repeat": bench.repeat,
        "results": {
            name: {
                "ms_per_op": m.median * 1000,
                "ops_per_s": m.rate,
                "runs_ms": [s * 1000 for s in m.seconds],
            }
            for name, m in bench.results.items()
        },
        "targets": targets,
    }
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


T = TypeVar("T")


def timed(op: Callable[[], T], repeat: int, *, warm_up: bool = False) -> tuple[float, T]:
    """Median seconds of ``repeat`` runs of ``op`` and its last result; ``warm_up`` runs it
    once first, untimed (connections, query plans, imports)."""
    result = op() if warm_up else None
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = op()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), result  # type: ignore[return-value]


def peak(op: Callable[[], object]) -> int:
    """Peak bytes that Python allocated while ``op`` ran (tracemalloc: C allocations unseen)."""
    tracemalloc.start()
    try:
        op()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

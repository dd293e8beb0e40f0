"""RDFC-1.0 canonicalization: plain pyld (reference) vs the fast path, in one run.

Usage: ``python benchmarks/bench_canon.py [credential.json] [--seconds N]``. Defaults to the
interop template (a realistic 2.7 KB OB 3.0 credential). Both paths are warmed up first
(contexts loaded and compiled), then each runs for about the same time on one core; the
ratio of the two rates is what matters (absolute times vary ±40% between runs here).
The outputs are compared byte for byte before timing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from microcred.core.crypto import rdfc
from microcred.core.crypto.fastrdf import canonicalize_fast

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "interop" / "ob3_template.json"


def _round(function: Callable[[], Any], seconds: float) -> float:
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        function()
        count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def rates(functions: list[Callable[[], Any]], seconds: float, rounds: int = 5) -> list[float]:
    """Calls per second of each function: median of interleaved rounds.

    Interleaving makes the machine's drift (other processes, clock changes) hit every
    function alike, so the ratios are fair even when absolute numbers are not.
    """
    samples: list[list[float]] = [[] for _ in functions]
    for _ in range(rounds):
        for function, sample in zip(functions, samples, strict=True):
            sample.append(_round(function, seconds / rounds))
    return [sorted(sample)[len(sample) // 2] for sample in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("credential", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per path")
    args = parser.parse_args()
    document = json.loads(args.credential.read_text(encoding="utf-8"))

    reference = rdfc.canonicalize_reference(document, safe=False)
    fast = canonicalize_fast(document)
    if fast is None:
        raise SystemExit("the fast path declined this document (it uses unsupported features)")
    if fast != reference:
        raise SystemExit("MISMATCH: the fast path differs from the reference")

    pyld_rate, fast_rate, integrated_rate = rates(
        [
            lambda: rdfc.canonicalize_reference(document, safe=False),
            lambda: canonicalize_fast(document),
            lambda: rdfc.canonicalize(document),
        ],
        args.seconds,
    )
    lines = reference.count("\n")
    print(
        f"credential: {args.credential.name} ({len(json.dumps(document))} bytes JSON, {lines} quads)"
    )
    print(f"pyld reference (warm contexts): {pyld_rate:10.1f} ops/s  {1000 / pyld_rate:7.3f} ms/op")
    print(f"fast path (warm):               {fast_rate:10.1f} ops/s  {1000 / fast_rate:7.3f} ms/op")
    print(f"speed-up: {fast_rate / pyld_rate:.1f}x (same output, byte for byte)")
    print(
        f"rdfc.canonicalize (safe-mode check, then fast path): {integrated_rate:.1f} ops/s, "
        f"{integrated_rate / pyld_rate:.1f}x"
    )


if __name__ == "__main__":
    main()

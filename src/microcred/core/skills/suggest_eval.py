"""How good are skill suggestions? A labelled set from ESCO and top-k accuracy.

The labelled set: every ESCO skill with a description gives one example whose query is the
description and whose answer is that skill. The index searched holds the same skills by
label and alternative labels only (``suggest.TfidfIndex``/``SemanticIndex`` never see a
description), so the task is the one a provider poses: "here is what the learner can do,
which skill is it?". ESCO ships full skill rows (with descriptions) in its collection files
(``digitalSkillsCollection_en.csv``, ``transversalSkillsCollection_en.csv``,
``digCompSkillsCollection_en.csv``); a skill listed in several is taken once.
"""

from __future__ import annotations

import csv
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from microcred.core.skills.suggest import SkillIndex, SkillRecord

COLLECTIONS = "*Collection_en.csv"


@dataclass(frozen=True)
class Example:
    query: str
    answer: str  # the skill's URI


@dataclass(frozen=True)
class Accuracy:
    examples: int
    top1: float  # share of examples whose answer is the first suggestion
    top5: float  # ... among the first five
    seconds: float  # suggesting for all examples

    @property
    def per_second(self) -> float:
        return self.examples / self.seconds if self.seconds else float("inf")


def _alt_labels(cell: str) -> tuple[str, ...]:
    # ESCO's collection files separate alternative labels with " | " (the full skills
    # file uses new lines): accept both.
    parts = cell.replace("\n", "|").split("|")
    return tuple(part.strip() for part in parts if part.strip())


def read_esco_collections(directory: Path) -> list[SkillRecord]:
    """Skills (with descriptions) of ESCO's collection CSVs, each URI once, in file order."""
    files = sorted(directory.glob(COLLECTIONS))
    if not files:
        raise FileNotFoundError(f"no ESCO collection files ({COLLECTIONS}) in {directory}")
    records: dict[str, SkillRecord] = {}
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                uri, label = (row.get("conceptUri") or "").strip(), row.get("preferredLabel")
                if not uri or not label:
                    raise ValueError(f"{path.name} line {line}: conceptUri and preferredLabel")
                records.setdefault(
                    uri,
                    SkillRecord(
                        uri=uri,
                        label=label.strip(),
                        alt_labels=_alt_labels(row.get("altLabels") or ""),
                        description=(row.get("description") or "").strip(),
                    ),
                )
    return list(records.values())


def labelled_set(records: Iterable[SkillRecord]) -> list[Example]:
    """One example per skill with a description: description -> the skill."""
    return [Example(r.description, r.uri) for r in records if r.description.strip()]


def split(examples: Sequence[Example], seed: int = 6) -> tuple[list[Example], list[Example]]:
    """(dev, test) halves, shuffled reproducibly: tune on dev, report test."""
    shuffled = list(examples)
    random.Random(seed).shuffle(shuffled)
    half = len(shuffled) // 2
    return shuffled[:half], shuffled[half:]


def evaluate(index: SkillIndex, examples: Sequence[Example], batch: int = 256) -> Accuracy:
    """Top-1 and top-5 accuracy of ``index`` on ``examples`` (and how long it took)."""
    if not examples:
        raise ValueError("no labelled examples to evaluate")
    hits1 = hits5 = 0
    started = time.perf_counter()
    for start in range(0, len(examples), batch):
        chunk = examples[start : start + batch]
        found = index.suggest_many([example.query for example in chunk], k=5)
        for example, suggestions in zip(chunk, found, strict=True):
            uris = [suggestion.uri for suggestion in suggestions]
            hits1 += uris[:1] == [example.answer]
            hits5 += example.answer in uris
    seconds = time.perf_counter() - started
    return Accuracy(len(examples), hits1 / len(examples), hits5 / len(examples), seconds)

"""The records every taxonomy reader yields (ESCO, O*NET, custom YAML) and the helpers they share.

A reader turns one release's files into a :class:`Taxonomy`: plain skills and occupations
keyed by URI. Storing them is the platform's business (``microcred.skills.importing``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from microcred.core.errors import InputError

Relation = Literal["essential", "optional"]

#: the default weight of a relation when the taxonomy gives none (ESCO, custom files)
ESSENTIAL_IMPORTANCE = 1.0
OPTIONAL_IMPORTANCE = 0.3
MIN_LEVEL, MAX_LEVEL = 1, 8


@dataclass(frozen=True, slots=True)
class TaxonomySkill:
    uri: str
    scheme: str
    code: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    #: as the taxonomy names it: "skill/competence", "knowledge", "technology", "group"...
    skill_type: str = ""
    #: the broader concept's URI ("" at the top of the hierarchy)
    broader_uri: str = ""


@dataclass(frozen=True, slots=True)
class SkillRequirement:
    """One skill an occupation needs: how much it matters (0..1) and at which level (1-8)."""

    skill_uri: str
    relation: Relation
    importance: float
    level: int | None = None


@dataclass(frozen=True, slots=True)
class TaxonomyOccupation:
    uri: str
    scheme: str
    code: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""
    skills: tuple[SkillRequirement, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """One release of one taxonomy, ready to store."""

    scheme: str
    #: "ESCO 1.2.0", "O*NET 29.2", "demo"
    release: str
    skills: Sequence[TaxonomySkill] = field(default_factory=tuple)
    occupations: Sequence[TaxonomyOccupation] = field(default_factory=tuple)


def split_labels(text: str) -> tuple[str, ...]:
    """ESCO's alternative labels: one per line in the official package, ``" | "``-separated
    in the collection files. Order kept, blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for part in re.split(r"\n| \| ", text):
        label = part.strip()
        if label:
            seen.setdefault(label, None)
    return tuple(seen)


def level_from_onet(lv: float) -> int:
    """O*NET's level scale 0-7 onto the 1-8 EQF-like scale used everywhere else."""
    return max(MIN_LEVEL, min(MAX_LEVEL, 1 + round(lv)))


def read_csv(path: Path, required: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream a UTF-8 CSV as (line number, row) pairs; a missing file or column is an
    :class:`InputError` naming it. Line numbers count the header as line 1 (what a
    spreadsheet shows); multi-line cells make them approximate, the row content is exact."""
    if not path.is_file():
        raise InputError("required file is missing", where=str(path))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"missing column(s): {', '.join(missing)}", where=str(path))
        try:
            for row in reader:
                yield reader.line_num, {key: (value or "") for key, value in row.items() if key}
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(f"unreadable CSV: {exc}", where=f"{path}:{reader.line_num}") from None


def row_error(path: Path, line: int, message: str) -> InputError:
    return InputError(message, where=f"{path}:{line}")

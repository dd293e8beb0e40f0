"""Comparing results against a minimum, and "earned within N months".

Results are free text in Open Badges (``result.value``), so the comparison picks the
first scale both sides belong to:

* numbers (``85``, ``3.5``, ``85%``) compare numerically;
* letter grades ``A+ A A- B+ … D- E FX F`` (US and ECTS letters): ``A`` is best, ``F`` worst;
* words ``distinction > merit > pass > fail`` (also ``passed``/``failed``), case-insensitive.

Two results on different scales (``B`` against ``70``) are not comparable, and a missing
result never meets a minimum: the credential does not count for that leaf.
"""

from __future__ import annotations

import re
from datetime import datetime

_NUMBER = re.compile(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*%?\s*$")
_LETTER = re.compile(r"^\s*([A-F])(X|\+|-)?\s*$", re.IGNORECASE)
_WORDS = {"fail": 0, "failed": 0, "pass": 1, "passed": 1, "merit": 2, "distinction": 3}
_LETTER_BASE = {"A": 20, "B": 16, "C": 12, "D": 8, "E": 4, "F": 0}


def _rank(result: str) -> tuple[str, float] | None:
    """The scale and the position of a result on it, or ``None`` when it is not graded."""
    number = _NUMBER.match(result)
    if number:
        return "number", float(number.group(1).replace(",", "."))
    letter = _LETTER.match(result)
    if letter:
        base = _LETTER_BASE[letter.group(1).upper()]
        suffix = (letter.group(2) or "").upper()
        return "letter", base + {"+": 1, "-": -1, "X": 1, "": 0}[suffix]  # FX is just above F
    word = _WORDS.get(result.strip().lower())
    return ("word", word) if word is not None else None


def meets_minimum(result: str | None, minimum: str | None) -> bool:
    """Whether ``result`` is at least ``minimum`` (no minimum: always)."""
    if minimum is None:
        return True
    if result is None:
        return False
    have, need = _rank(result), _rank(minimum)
    if have is None or need is None:
        # Ungraded text: only the very same text meets it.
        return result.strip().lower() == minimum.strip().lower()
    return have[0] == need[0] and have[1] >= need[1]


def is_grade(text: str) -> bool:
    """Whether ``text`` is on one of the known scales (validation warns otherwise)."""
    return _rank(text) is not None


def months_before(now: datetime, months: int) -> datetime:
    """``now`` minus whole calendar months; the day is clamped (31 March - 1 month = 28/29 Feb)."""
    total = now.year * 12 + (now.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    days_in_month = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return now.replace(year=year, month=month, day=min(now.day, days_in_month[month - 1]))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)

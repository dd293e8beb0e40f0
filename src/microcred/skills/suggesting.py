"""Skill suggestions over the imported taxonomies, and the stored skill vectors.

``suggest_skills`` answers from an index of the Skill table (``microcred.core.skills.
suggest``) built once per process and rebuilt when the table changes. The change marker is
one aggregate query: the number of skills, the highest id and the total length of labels
and alternative labels; an import adds or removes rows or changes label text, all of which
move it (a relabelling to a text of exactly the same length would not: re-run the import
with the process restarted, or call ``forget_indexes``).

Backends: TF-IDF always works. The semantic one is used (``backend="auto"``) when the
``semantic`` extra is installed and ``compute_vectors`` (CLI ``microcred taxonomy embed``)
has stored a vector for every skill searched; otherwise suggestions fall back to TF-IDF.
Skill groups (ESCO's upper levels) are never suggested: a credential aligns to skills.

``alignment`` turns a skill into the OB 3.0 Alignment a definition stores: ``targetUrl`` is
the skill URI, ``targetFramework`` the taxonomy, ``targetType`` ``ceasn:Competency`` (the
OB 3.0 AlignmentTargetType for a competency; skills, knowledge and competences are all one).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import Count, Max, Sum, TextField
from django.db.models.functions import Cast, Length

from microcred.core.skills.suggest import (
    MINILM,
    Encoder,
    SemanticIndex,
    SemanticUnavailable,
    SkillIndex,
    SkillRecord,
    Suggestion,
    TfidfIndex,
    embed,
    minilm_encoder,
    pack_vector,
    skill_text,
    text_digest,
    unpack_vectors,
)
from microcred.skills.models import Scheme, Skill, SkillVector

log = logging.getLogger(__name__)
Backend = Literal["auto", "tfidf", "semantic"]
FRAMEWORKS: dict[str, str] = {Scheme.ESCO.value: "ESCO", Scheme.ONET.value: "O*NET"}
TARGET_TYPE = "ceasn:Competency"
GROUP = "skill group"
RELATIVE_CUT = 0.4

_lock = threading.Lock()
_indexes: dict[tuple[str, str | None], tuple[tuple[Any, ...], SkillIndex | None]] = {}
_encoders: dict[str, Encoder | SemanticUnavailable] = {}


@dataclass(frozen=True)
class SkillSuggestion:
    uri: str
    label: str
    score: float
    framework: str
    scheme: str


def _skills(scheme: str | None) -> Any:
    rows = Skill.objects.exclude(skill_type=GROUP)
    return rows.filter(scheme=scheme) if scheme else rows


def _marker(scheme: str | None, backend: str) -> tuple[Any, ...]:
    found = _skills(scheme).aggregate(
        count=Count("id"),
        last=Max("id"),
        labels=Sum(Length("label")),
        alts=Sum(Length(Cast("alt_labels", TextField()))),
    )
    marker: tuple[Any, ...] = tuple(found.values())
    if backend == "semantic":
        vectors = SkillVector.objects.filter(model=MINILM, skill__in=_skills(scheme))
        marker += tuple(vectors.aggregate(count=Count("id"), last=Max("id")).values())
    return marker


def _record(uri: str, label: str, alt_labels: Any) -> SkillRecord:
    alts = tuple(str(alt) for alt in alt_labels) if isinstance(alt_labels, list) else ()
    return SkillRecord(uri, label, alts)


def _tfidf(scheme: str | None) -> SkillIndex:
    rows = _skills(scheme).order_by("id").values_list("uri", "label", "alt_labels")
    return TfidfIndex([_record(*row) for row in rows])


def _encoder() -> Encoder:
    """The model, loaded once per process (a missing extra is remembered too)."""
    if MINILM not in _encoders:
        try:
            _encoders[MINILM] = minilm_encoder()
        except SemanticUnavailable as error:
            _encoders[MINILM] = error
    found = _encoders[MINILM]
    if isinstance(found, SemanticUnavailable):
        raise found
    return found


def _semantic(scheme: str | None) -> SkillIndex | None:
    """An index of the stored vectors, or None when some skill has none."""
    skills = _skills(scheme)
    rows = (
        SkillVector.objects.filter(model=MINILM, skill__in=skills)
        .order_by("skill_id")
        .values_list("skill__uri", "skill__label", "skill__alt_labels", "vector")
    )
    found = list(rows)
    if not found or len(found) != skills.count():
        return None
    encoder = _encoder()  # only now: loading the model takes seconds
    records = [_record(uri, label, alts) for uri, label, alts, _ in found]
    vectors = unpack_vectors([bytes(vector) for *_, vector in found])
    return SemanticIndex(records, encoder, vectors=vectors)


def skill_index(scheme: str | None = None, backend: Backend = "auto") -> SkillIndex:
    """The (cached) index of the skills of ``scheme`` (every scheme when None)."""
    if backend == "auto" and isinstance(_encoders.get(MINILM), SemanticUnavailable):
        backend = "tfidf"  # the extra is missing: no need to look at vectors again
    if backend in ("auto", "semantic"):
        try:
            return _cached(scheme, "semantic")
        except (SemanticUnavailable, LookupError) as error:
            if backend == "semantic":
                raise
            log.debug("skill suggestions use TF-IDF: %s", error)
    return _cached(scheme, "tfidf")


def _cached(scheme: str | None, backend: str) -> SkillIndex:
    marker = _marker(scheme, backend)
    with _lock:
        cached = _indexes.get((backend, scheme))
        if cached and cached[0] == marker:
            index = cached[1]
        else:
            index = _tfidf(scheme) if backend == "tfidf" else _semantic(scheme)
            _indexes[(backend, scheme)] = (marker, index)
    if index is None:
        raise LookupError("not every skill has a stored vector: run microcred taxonomy embed")
    return index


def forget_indexes() -> None:
    """Drop the cached indexes (tests; after an out-of-band relabelling)."""
    with _lock:
        _indexes.clear()


def _framework_of(rows: Iterable[Suggestion]) -> list[SkillSuggestion]:
    found = list(rows)
    skills = Skill.objects.filter(uri__in=[s.uri for s in found])
    schemes = {
        uri: (scheme, code) for uri, scheme, code in skills.values_list("uri", "scheme", "code")
    }
    return [
        SkillSuggestion(
            s.uri, s.label, round(s.score, 4), framework_name(*schemes[s.uri]), schemes[s.uri][0]
        )
        for s in found
        if s.uri in schemes
    ]


def suggest_skills(
    text: str, k: int = 5, scheme: str | None = None, backend: Backend = "auto"
) -> list[SkillSuggestion]:
    """The ``k`` skills ``text`` is most likely about, best first ([] without a taxonomy)."""
    return suggest_many([text], k, scheme, backend)[0]


def suggest_many(
    texts: Sequence[str], k: int = 5, scheme: str | None = None, backend: Backend = "auto"
) -> list[list[SkillSuggestion]]:
    """``suggest_skills`` for several texts (one index, one pass)."""
    if not 1 <= k <= 50:
        raise ValueError(f"k must be between 1 and 50, not {k}")
    cleaned = [text.strip() for text in texts]
    if not any(cleaned) or not _skills(scheme).exists():
        return [[] for _ in texts]
    found = skill_index(scheme, backend).suggest_many([t or " " for t in cleaned], k)
    return [_framework_of(rows) if text else [] for text, rows in zip(cleaned, found, strict=True)]


def outcome_suggestions(
    outcomes_text: str, k: int = 5, limit: int = 20
) -> list[tuple[str, list[SkillSuggestion]]]:
    """Suggestions for each line of a definition's learning outcomes (the first ``limit``).

    Scores are not calibrated across texts, so the cut is relative: a skill scoring under
    ``RELATIVE_CUT`` of the outcome's best is noise next to it and is not offered."""
    outcomes = [line.strip() for line in outcomes_text.splitlines() if line.strip()][:limit]
    found = suggest_many(outcomes, k)
    kept = [[s for s in rows if s.score >= RELATIVE_CUT * rows[0].score] for rows in found]
    return list(zip(outcomes, kept, strict=True))


def framework_name(scheme: str, code: str) -> str:
    """What an alignment's ``targetFramework`` says: ESCO, O*NET, or a custom taxonomy's
    name (its codes read ``<taxonomy>:<slug>``)."""
    return FRAMEWORKS.get(scheme) or code.partition(":")[0] or scheme


def alignment(skill: Skill) -> dict[str, str]:
    """The OB 3.0 Alignment for one skill."""
    return {
        "targetName": skill.label,
        "targetUrl": skill.uri,
        "targetFramework": framework_name(skill.scheme, skill.code),
        "targetType": TARGET_TYPE,
        "targetCode": skill.code,
    }


def alignments_for(uris: Iterable[str]) -> dict[str, dict[str, str]]:
    """URI -> the OB 3.0 Alignment, for the known skills among ``uris``."""
    return {skill.uri: alignment(skill) for skill in Skill.objects.filter(uri__in=list(uris))}


def with_skills(alignments: list[dict[str, Any]], uris: Iterable[str]) -> list[dict[str, Any]]:
    """``alignments`` plus one for each skill of ``uris`` not already aligned to; an
    alignment naming a known skill gains the code, type and framework it lacks."""
    wanted = [uri for uri in dict.fromkeys(uris) if uri]
    named = {str(item.get("targetUrl")) for item in alignments} | set(wanted)
    known = {skill.uri: skill for skill in Skill.objects.filter(uri__in=named)}
    out = [
        alignment(known[item["targetUrl"]]) | item if item.get("targetUrl") in known else item
        for item in alignments
    ]
    present = {item.get("targetUrl") for item in out}
    out += [alignment(known[uri]) for uri in wanted if uri in known and uri not in present]
    return out


def compute_vectors(encoder: Encoder | None = None, batch: int = 256) -> tuple[int, int]:
    """Embed every skill whose text changed since its stored vector (idempotent).

    Returns (embedded, unchanged). ``encoder`` defaults to all-MiniLM-L6-v2 (the
    ``semantic`` extra); vectors are stored normalised, as float16.
    """
    encode = encoder or _encoder()
    stored = dict(SkillVector.objects.filter(model=MINILM).values_list("skill_id", "text_digest"))
    todo: list[tuple[int, str, str]] = []
    unchanged = 0
    for skill_id, uri, label, alts in (
        _skills(None).order_by("id").values_list("id", "uri", "label", "alt_labels")
    ):
        text = skill_text(_record(uri, label, alts))
        digest = text_digest(text)
        if stored.get(skill_id) == digest:
            unchanged += 1
        else:
            todo.append((skill_id, text, digest))
    for start in range(0, len(todo), batch):
        _store(todo[start : start + batch], encode)
    return len(todo), unchanged


def _store(chunk: list[tuple[int, str, str]], encode: Encoder) -> None:
    vectors = embed([text for _, text, _ in chunk], encode)
    with transaction.atomic():
        for (skill_id, _, digest), vector in zip(chunk, vectors, strict=True):
            SkillVector.objects.update_or_create(
                skill_id=skill_id,
                model=MINILM,
                defaults={"vector": pack_vector(vector), "text_digest": digest},
            )

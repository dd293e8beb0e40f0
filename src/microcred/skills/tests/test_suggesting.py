"""Suggestions over the Skill table: the cached index follows the table, alignments, and
stored vectors (computed once, again only for skills whose text changed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from microcred.core.skills.suggest import MINILM, SemanticUnavailable
from microcred.skills import suggesting
from microcred.skills.models import Skill, SkillVector

pytestmark = pytest.mark.django_db
DEMO = "urn:microcred:demo:skill:"
SKILLS = {
    "sql": ("SQL querying", ["SQL", "database queries"]),
    "data-cleaning": ("data cleaning", ["data cleansing", "data wrangling"]),
    "data-visualisation": ("data visualisation", ["charts", "dashboards"]),
    "solar-pv": ("solar PV design", ["photovoltaic systems"]),
    "teamwork": ("teamwork", ["work in teams"]),
}


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    suggesting.forget_indexes()
    suggesting._encoders.clear()
    yield
    suggesting.forget_indexes()
    suggesting._encoders.clear()


def _demo(**only: tuple[str, list[str]]) -> None:
    """The skills above, or only those given."""
    for slug, (label, alts) in (only or SKILLS).items():
        Skill.objects.create(
            scheme="custom", code=f"demo:{slug}", uri=DEMO + slug, label=label,
            alt_labels=alts, release="demo",
        )  # fmt: skip


def test_an_outcome_gets_its_skill_first_with_the_framework() -> None:
    _demo()
    found = suggesting.suggest_skills("Write SQL queries that join tables", k=3)
    assert [s.uri for s in found][:1] == [DEMO + "sql"]
    assert found[0].label == "SQL querying" and found[0].framework == "demo"
    assert 1 <= len(found) <= 3


def test_no_taxonomy_or_no_text_suggests_nothing() -> None:
    assert suggesting.suggest_skills("Write SQL queries") == []
    _demo()
    assert suggesting.suggest_many(["", "  ", "dashboards"], k=2)[:2] == [[], []]


def test_skill_groups_are_never_suggested() -> None:
    _demo()
    Skill.objects.create(
        scheme="esco", code="g1", uri="http://e/group/sql", label="SQL querying group",
        alt_labels=["SQL", "database queries"], skill_type="skill group",
    )  # fmt: skip
    found = suggesting.suggest_skills("SQL database queries", k=10)
    assert "http://e/group/sql" not in {s.uri for s in found}


def test_the_index_follows_the_table() -> None:
    _demo()
    assert DEMO + "heat-pumps" not in {s.uri for s in suggesting.suggest_skills("heat pumps")}
    _demo(**{"heat-pumps": ("heat pump installation", ["install heat pumps"])})
    assert suggesting.suggest_skills("install heat pumps", k=1)[0].uri == DEMO + "heat-pumps"
    # a relabelled skill (same row count and ids) is found by its new label
    Skill.objects.filter(uri=DEMO + "teamwork").update(label="kite surfing", alt_labels=[])
    assert suggesting.suggest_skills("kite surfing", k=1)[0].uri == DEMO + "teamwork"
    Skill.objects.filter(uri=DEMO + "heat-pumps").delete()
    assert DEMO + "heat-pumps" not in {
        s.uri for s in suggesting.suggest_skills("install heat pumps", k=5)
    }


def test_the_index_is_built_once_while_the_table_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    _demo()
    built: list[str | None] = []
    real = suggesting._tfidf

    def counting(scheme: str | None) -> Any:
        built.append(scheme)
        return real(scheme)

    monkeypatch.setattr(suggesting, "_tfidf", counting)
    for text in ("SQL", "charts", "teamwork"):
        suggesting.suggest_skills(text)
    assert built == [None]
    suggesting.suggest_skills("SQL", scheme="custom")
    assert built == [None, "custom"]


def test_scheme_limits_the_skills() -> None:
    _demo()
    Skill.objects.create(scheme="esco", code="x", uri="http://e/s/sql", label="SQL")
    assert {s.uri for s in suggesting.suggest_skills("SQL", k=10, scheme="esco")} == {
        "http://e/s/sql"
    }


def test_alignment_and_with_skills() -> None:
    _demo()
    Skill.objects.create(scheme="esco", code="abc", uri="http://e/s/abc", label="SQL")
    assert suggesting.alignment(Skill.objects.get(uri="http://e/s/abc")) == {
        "targetName": "SQL",
        "targetUrl": "http://e/s/abc",
        "targetFramework": "ESCO",
        "targetType": "ceasn:Competency",
        "targetCode": "abc",
    }
    typed = [
        {"targetName": "My SQL", "targetUrl": DEMO + "sql"},  # known: gains code and type
        {"targetName": "Other", "targetUrl": "https://example.org/x"},  # unknown: as it is
    ]
    out = suggesting.with_skills(typed, [DEMO + "sql", DEMO + "teamwork", "urn:unknown", ""])
    assert out == [
        {
            "targetName": "My SQL",
            "targetUrl": DEMO + "sql",
            "targetFramework": "demo",
            "targetType": "ceasn:Competency",
            "targetCode": "demo:sql",
        },
        {"targetName": "Other", "targetUrl": "https://example.org/x"},
        suggesting.alignment(Skill.objects.get(uri=DEMO + "teamwork")),
    ]


class WordEncoder:
    """A fake embedding: one dimension per word of a small vocabulary."""

    VOCAB = ("sql", "querying", "data", "cleaning", "charts", "solar", "teamwork", "kite")

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        rows = [[t.casefold().count(word) for word in self.VOCAB] + [0.1] for t in texts]
        return np.asarray(rows, dtype=np.float32)


def test_vectors_are_stored_once_and_again_only_when_the_text_changes() -> None:
    _demo()
    encoder = WordEncoder()
    assert suggesting.compute_vectors(encoder, batch=2) == (5, 0)
    stored = SkillVector.objects.get(skill__uri=DEMO + "sql", model=MINILM)
    vector = np.frombuffer(bytes(stored.vector), dtype="<f2")
    assert vector.size == len(WordEncoder.VOCAB) + 1
    assert np.linalg.norm(vector.astype(np.float32)) == pytest.approx(1.0, abs=1e-3)
    assert suggesting.compute_vectors(encoder) == (0, 5)  # idempotent
    Skill.objects.filter(uri=DEMO + "teamwork").update(label="kite surfing")
    encoder.texts.clear()
    assert suggesting.compute_vectors(encoder) == (1, 4)
    assert encoder.texts == ["kite surfing; work in teams"]
    assert SkillVector.objects.count() == 5


def test_semantic_suggestions_use_the_stored_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    _demo()
    encoder = WordEncoder()
    suggesting.compute_vectors(encoder)
    suggesting._encoders[MINILM] = encoder
    encoder.texts.clear()
    found = suggesting.suggest_skills("clean the data", k=2, backend="semantic")
    assert found[0].uri == DEMO + "data-cleaning"
    assert encoder.texts == ["clean the data"]  # skills were not embedded again
    # a skill without a vector: auto falls back to TF-IDF, semantic says what to do
    _demo(**{"heat-pumps": ("heat pump installation", [])})
    assert suggesting.suggest_skills("heat pump installation", k=1)[0].uri == DEMO + "heat-pumps"
    with pytest.raises(LookupError, match="microcred taxonomy embed"):
        suggesting.suggest_skills("heat pumps", backend="semantic")


def test_without_the_extra_auto_uses_tfidf_and_semantic_says_why() -> None:
    _demo()
    suggesting._encoders[MINILM] = SemanticUnavailable("the semantic extra is missing")
    SkillVector.objects.bulk_create(
        SkillVector(skill=skill, model=MINILM, vector=b"\x00\x3c", text_digest="x")
        for skill in Skill.objects.all()
    )
    assert suggesting.suggest_skills("SQL queries", k=1)[0].uri == DEMO + "sql"
    with pytest.raises(SemanticUnavailable, match="semantic extra"):
        suggesting.suggest_skills("SQL queries", backend="semantic")


def test_bad_k_is_refused() -> None:
    with pytest.raises(ValueError, match="k must be between 1 and 50"):
        suggesting.suggest_skills("SQL", k=0)

"""The ESCO labelled set and the top-k evaluator."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from microcred.core.skills.suggest import SkillRecord, Suggestion, TfidfIndex
from microcred.core.skills.suggest_eval import (
    Example,
    evaluate,
    labelled_set,
    read_esco_collections,
    split,
)
from tests.conftest import SHARED

ESCO = SHARED / "data" / "esco-1.2.0"
HEADER = "conceptType,conceptUri,preferredLabel,status,skillType,reuseLevel,altLabels,description"


def _write(path: Path, *rows: str) -> None:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")


def test_collections_are_read_once_per_uri_with_alt_labels(tmp_path: Path) -> None:
    _write(
        tmp_path / "digitalSkillsCollection_en.csv",
        'K,http://e/s/1,SQL,released,knowledge,x,"SQL language | Structured Query Language",'
        '"A query language."',
        "K,http://e/s/2,teamwork,released,skill,x,,",
    )
    _write(tmp_path / "transversalSkillsCollection_en.csv", "K,http://e/s/1,SQL again,,,,,other")
    records = read_esco_collections(tmp_path)
    assert [r.uri for r in records] == ["http://e/s/1", "http://e/s/2"]
    assert records[0].label == "SQL"  # the first file (sorted) wins
    assert records[0].alt_labels == ("SQL language", "Structured Query Language")
    # a skill without a description asks nothing
    assert labelled_set(records) == [Example("A query language.", "http://e/s/1")]


def test_missing_files_and_broken_rows_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"Collection_en\.csv"):
        read_esco_collections(tmp_path)
    _write(tmp_path / "xCollection_en.csv", "K,,nameless,,,,,")
    with pytest.raises(ValueError, match=r"xCollection_en\.csv line 2"):
        read_esco_collections(tmp_path)


def test_the_real_esco_set_has_every_collection_skill_once() -> None:
    records = read_esco_collections(ESCO)
    examples = labelled_set(records)
    assert len(records) == len({r.uri for r in records}) > 1300
    assert len(examples) > 1300
    sql = next(r for r in records if r.label == "SQL")
    assert sql.uri.startswith("http://data.europa.eu/esco/skill/")
    assert Example(sql.description, sql.uri) in examples
    dev, test = split(examples)
    assert set(dev).isdisjoint(test) and len(dev) + len(test) == len(examples)
    assert split(examples) == (dev, test)  # reproducible


def test_tfidf_on_real_esco_beats_chance_by_far() -> None:
    """Not a speed or exact-number check: the index finds most answers in its top 5
    (chance would be 5 in 1,377)."""
    records = read_esco_collections(ESCO)
    accuracy = evaluate(TfidfIndex(records), labelled_set(records))
    assert accuracy.top5 > 0.6 and accuracy.top1 > 0.4
    assert accuracy.top1 <= accuracy.top5


class Scripted:
    """Answers each query with a fixed list of URIs."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers

    def suggest(self, text: str, k: int = 5) -> list[Suggestion]:
        return [Suggestion(uri, uri, 1.0) for uri in self.answers[text][:k]]

    def suggest_many(self, texts: Sequence[str], k: int = 5) -> list[list[Suggestion]]:
        return [self.suggest(text, k) for text in texts]


def test_evaluator_counts_first_place_and_top_five() -> None:
    index = Scripted(
        {
            "q1": ["a", "b"],  # first: top-1 and top-5
            "q2": ["x", "y", "z", "w", "b"],  # fifth: top-5 only
            "q3": ["x", "y", "z", "w", "v", "c"],  # sixth: neither
            "q4": [],  # nothing suggested
        }
    )
    examples = [Example("q1", "a"), Example("q2", "b"), Example("q3", "c"), Example("q4", "d")]
    accuracy = evaluate(index, examples, batch=3)  # batches of 3 and 1
    assert (accuracy.examples, accuracy.top1, accuracy.top5) == (4, 0.25, 0.5)
    with pytest.raises(ValueError, match="no labelled examples"):
        evaluate(index, [])


def test_records_compare_by_value() -> None:
    assert SkillRecord("u", "SQL") == SkillRecord("u", "SQL")

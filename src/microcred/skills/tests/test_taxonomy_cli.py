"""`microcred taxonomy import`: counts and the credit line on success; one line naming the
place and exit 2 on bad input, storing nothing. And the attribution include."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from tests.conftest import SHARED
from typer.testing import CliRunner

from microcred.cli.main import app
from microcred.skills.attribution import ESCO_ATTRIBUTION, attribution_for
from microcred.skills.importing import DEMO_TAXONOMY
from microcred.skills.models import Skill

runner = CliRunner()


@pytest.mark.django_db
def test_import_custom_prints_counts_then_nothing_changes() -> None:
    first = runner.invoke(app, ["taxonomy", "import", "custom", str(DEMO_TAXONOMY)])
    assert first.exit_code == 0, first.output
    assert "skills:      17 created, 0 updated, 0 unchanged" in first.output
    assert "relations:   23 created" in first.output
    again = runner.invoke(app, ["taxonomy", "import", "custom", str(DEMO_TAXONOMY)])
    assert "skills:      0 created, 0 updated, 17 unchanged" in again.output


@pytest.mark.django_db
def test_bad_input_exits_2_with_the_place_and_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("taxonomy: t\nskills: [{slug: a, label: A}, {slug: b}]\n", encoding="utf-8")
    result = runner.invoke(app, ["taxonomy", "import", "custom", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: skills[1].label: expected text" in result.output
    assert "Traceback" not in result.output and not Skill.objects.exists()
    missing = runner.invoke(app, ["taxonomy", "import", "esco", str(tmp_path)])
    assert (
        missing.exit_code == 2 and "occupations_en.csv: required file is missing" in missing.output
    )
    nowhere = runner.invoke(app, ["taxonomy", "import", "onet", str(tmp_path / "nope")])
    assert nowhere.exit_code == 2 and "not a folder" in nowhere.output
    wrong = runner.invoke(app, ["taxonomy", "import", "lightcast", str(tmp_path)])
    assert wrong.exit_code == 2  # typer's own usage error for an unknown scheme


@pytest.mark.django_db
@pytest.mark.slow
def test_import_onet_prints_the_credit_line() -> None:
    result = runner.invoke(app, ["taxonomy", "import", "onet", str(SHARED / "data" / "onet-29.2")])
    assert result.exit_code == 0, result.output
    assert "O*NET 29.2 (onet)" in result.output and "occupations: 1016 created" in result.output
    assert "information from the O*NET 29.2 Database" in result.output
    assert "microcred has modified all or some of this information" in result.output


def test_attribution_for_the_schemes_shown() -> None:
    assert [a.scheme for a in attribution_for(["onet", "custom", "esco", "esco"])] == [
        "esco",
        "onet",
    ]
    assert [a.scheme for a in attribution_for("onet, esco")] == ["esco", "onet"]
    assert attribution_for(["custom"]) == [] and attribution_for(None) == []
    assert attribution_for(["esco"])[0].text == ESCO_ATTRIBUTION


def test_the_include_shows_exactly_the_credits_of_the_schemes_shown() -> None:
    both = render_to_string("skills/_attribution.html", {"schemes": ["esco", "onet"]})
    assert "This service uses the ESCO classification of the European Commission." in both
    assert "O*NET® is a trademark of USDOL/ETA." in both
    esco_only = render_to_string("skills/_attribution.html", {"schemes": "esco"})
    assert "ESCO classification" in esco_only and "USDOL" not in esco_only
    assert render_to_string("skills/_attribution.html", {"schemes": ["custom"]}).strip() == ""

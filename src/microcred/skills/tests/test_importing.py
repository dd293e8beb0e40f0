"""Storing taxonomies: the demo taxonomy, re-imports that write nothing, changed files that
write exactly the change, refused clashes that store nothing, and the real ESCO and O*NET
files (../shared/data), imported twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import SHARED

from microcred.core.errors import InputError
from microcred.core.skills.custom import parse_custom
from microcred.skills.importing import (
    import_demo_taxonomy,
    import_taxonomy,
    store_taxonomy,
)
from microcred.skills.models import Occupation, OccupationSkill, Skill

pytestmark = [pytest.mark.django_db, pytest.mark.storage]
ESCO = SHARED / "data" / "esco-1.2.0"
ONET = SHARED / "data" / "onet-29.2"
DEMO = "urn:microcred:demo:"


def _counts(result: object) -> list[tuple[int, int, int, int]]:
    return [(c.created, c.updated, c.unchanged, c.removed) for c in result.parts()]  # type: ignore[attr-defined]


def test_the_demo_taxonomy_is_stored_and_a_second_import_writes_nothing() -> None:
    first = import_demo_taxonomy()
    assert _counts(first) == [(17, 0, 0, 0), (4, 0, 0, 0), (23, 0, 0, 0)]
    sql = Skill.objects.get(uri=DEMO + "skill:sql")
    assert (sql.scheme, sql.code, sql.label, sql.release) == (
        "custom",
        "demo:sql",
        "SQL querying",
        "demo",
    )
    assert "SQL" in sql.alt_labels
    analyst = Occupation.objects.get(uri=DEMO + "occupation:data-analyst")
    needs = {
        row.skill.uri.rsplit(":", 1)[1]: (row.relation, row.importance, row.level)
        for row in analyst.skills.select_related("skill")
    }
    assert needs["sql"] == ("essential", 1.0, 5) and needs["spreadsheets"] == ("essential", 1.0, 4)
    assert needs["gdpr"] == ("optional", 0.3, None) and len(needs) == 8
    second = import_demo_taxonomy()
    assert _counts(second) == [(0, 0, 17, 0), (0, 0, 4, 0), (0, 0, 23, 0)]
    assert not second.changed


TEXT = """
taxonomy: t
skills:
  - {slug: a, label: A}
  - {slug: b, label: B}
  - {slug: c, label: C}
occupations:
  - {slug: o, label: O, essential: {a: 3, b: 3}, optional: [c]}
  - {slug: p, label: P, essential: [a]}
"""


def test_a_changed_file_writes_only_the_change() -> None:
    store_taxonomy(parse_custom(TEXT))
    stamp = {row.id: row for row in OccupationSkill.objects.all()}
    changed = TEXT.replace("label: B}", "label: B2, alt_labels: [bee]}").replace(
        "essential: {a: 3, b: 3}, optional: [c]", "essential: {a: 4}, optional: [b]"
    )
    result = store_taxonomy(parse_custom(changed))
    # skill b relabelled; occupation o: a's level changed, b became optional, c dropped
    assert _counts(result) == [(0, 1, 2, 0), (0, 0, 2, 0), (0, 2, 1, 1)]
    b = Skill.objects.get(uri="urn:microcred:t:skill:b")
    assert (b.label, b.alt_labels) == ("B2", ["bee"])
    o = {
        r.skill.code: (r.relation, r.level)
        for r in OccupationSkill.objects.filter(occupation__code="t:o")
    }
    assert o == {"t:a": ("essential", 4), "t:b": ("optional", None)}
    # the unchanged relation (occupation p) is the same row, not a re-created one
    p = OccupationSkill.objects.get(occupation__code="t:p")
    assert p.id in stamp


def test_a_clash_stores_nothing() -> None:
    import_demo_taxonomy()
    before = (Skill.objects.count(), Occupation.objects.count(), OccupationSkill.objects.count())
    stolen = "taxonomy: x\nskills:\n  - {slug: n, label: N}\n  - {slug: s, label: S, uri: 'urn:microcred:demo:skill:sql'}\n"
    with pytest.raises(InputError, match="urn:microcred:demo:skill:sql is already a custom skill"):
        store_taxonomy(parse_custom(stolen))
    unknown = "taxonomy: y\nskills: [{slug: n, label: N}]\noccupations: [{slug: o, label: O, essential: ['urn:esco:none']}]\n"
    with pytest.raises(InputError, match="occupation y:o: needs skill urn:esco:none"):
        store_taxonomy(parse_custom(unknown))
    assert (
        Skill.objects.count(),
        Occupation.objects.count(),
        OccupationSkill.objects.count(),
    ) == before


def test_a_custom_occupation_can_need_an_imported_skill() -> None:
    import_demo_taxonomy()
    text = "taxonomy: z\noccupations: [{slug: o, label: O, essential: {'urn:microcred:demo:skill:sql': 6}}]\n"
    result = store_taxonomy(parse_custom(text))
    assert _counts(result)[2] == (1, 0, 0, 0)
    row = OccupationSkill.objects.get(occupation__code="z:o")
    assert (row.skill.code, row.level) == ("demo:sql", 6)


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(InputError, match="unknown scheme 'lightcast'"):
        import_taxonomy("lightcast", Path("."))


@pytest.mark.slow
def test_onet_imports_and_reimports_unchanged() -> None:
    first = import_taxonomy("onet", ONET)
    assert first.release == "O*NET 29.2"
    assert (first.skills.created, first.occupations.created) == (221, 1016)
    statisticians = Occupation.objects.get(uri="urn:onet:soc:15-2041.00")
    reading = statisticians.skills.get(skill__uri="urn:onet:2.A.1.a")
    assert (reading.relation, reading.importance, reading.level) == ("essential", 0.8, 6)
    again = import_taxonomy("onet", ONET)
    assert not again.changed and again.relations.unchanged == first.relations.created


@pytest.mark.slow
def test_esco_imports_and_reimports_unchanged() -> None:
    first = import_taxonomy("esco", ESCO)
    assert (first.skills.created, first.occupations.created) == (Skill.objects.count(), 3039)
    assert first.relations.created == OccupationSkill.objects.count() > 125_000
    analyst = Occupation.objects.get(label="data analyst", scheme="esco")
    essential = set(
        analyst.skills.filter(relation="essential").values_list("skill__label", flat=True)
    )
    assert {"perform data cleansing", "data mining", "SQL"} & essential >= {
        "perform data cleansing",
        "data mining",
    }
    again = import_taxonomy("esco", ESCO)
    assert (again.skills.created, again.skills.updated) == (0, 0)
    assert (again.occupations.created, again.occupations.updated) == (0, 0)
    assert (again.relations.created, again.relations.updated, again.relations.removed) == (0, 0, 0)

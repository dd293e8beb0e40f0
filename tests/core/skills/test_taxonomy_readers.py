"""The taxonomy readers on the real ESCO 1.2.0 and O*NET 29.2 files (../shared/data) and on
small broken copies: counts, URIs, labels, hierarchy, relations, and errors that name the
file and the row."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from microcred.core.errors import InputError
from microcred.core.skills.custom import parse_custom, read_custom
from microcred.core.skills.esco import label_urn, read_esco
from microcred.core.skills.onet import read_onet
from microcred.core.skills.taxonomy import Taxonomy, TaxonomyOccupation, TaxonomySkill
from tests.conftest import ROOT, SHARED

ESCO = SHARED / "data" / "esco-1.2.0"
ONET = SHARED / "data" / "onet-29.2"
DEMO = ROOT / "src" / "microcred" / "skills" / "demo_data" / "demo-taxonomy.yaml"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"


@pytest.fixture(scope="module")
def esco() -> Taxonomy:
    return read_esco(ESCO)


@pytest.fixture(scope="module")
def onet() -> Taxonomy:
    return read_onet(ONET)


def _skill(taxonomy: Taxonomy, label: str) -> TaxonomySkill:
    return next(skill for skill in taxonomy.skills if skill.label == label)


def _occupation(taxonomy: Taxonomy, label: str) -> TaxonomyOccupation:
    return next(item for item in taxonomy.occupations if item.label == label)


# -- ESCO ----------------------------------------------------------------------------------


def test_esco_counts_and_release(esco: Taxonomy) -> None:
    assert esco.release == "ESCO 1.2.0"
    assert len(esco.occupations) == 3039
    uris = [skill.uri for skill in esco.skills]
    assert len(uris) == len(set(uris))
    # 1,377 distinct skills of the three collections + 640 skill groups have ESCO URIs ...
    assert sum(uri.startswith("http://data.europa.eu/esco/") for uri in uris) == 1377 + 640
    # ... the other labels the occupation profiles name get minted URNs (13,492 labels in all)
    minted = [uri for uri in uris if uri.startswith("urn:microcred:esco-label:")]
    assert len(minted) + 1377 + 640 == len(uris) and 12_000 < len(minted) < 13_492
    relations = sum(len(item.skills) for item in esco.occupations)
    assert 125_000 < relations <= 129_004  # a label listed twice for one occupation counts once


def test_a_known_esco_skill_keeps_uri_labels_type_and_broader(esco: Taxonomy) -> None:
    sql = _skill(esco, "SQL")
    assert sql.uri == ESCO_SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
    assert sql.code == "skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
    assert "SEQUEL" in sql.alt_labels and sql.skill_type == "knowledge"
    assert "query language" in sql.description
    broader = next(skill for skill in esco.skills if skill.uri == sql.broader_uri)
    assert broader.label == "query languages"


def test_skill_groups_form_the_pillar_hierarchy(esco: Taxonomy) -> None:
    groups = {skill.uri: skill for skill in esco.skills if skill.skill_type == "skill group"}
    assert len(groups) == 640
    languages = groups[ESCO_SKILL + "43f425aa-f45d-4bb4-a200-6f82fa211b66"]
    assert (
        languages.label == "languages"
        and languages.code == "skill/43f425aa-f45d-4bb4-a200-6f82fa211b66"
    )
    assert groups[languages.broader_uri].label == "language skills and knowledge"
    tops = sorted(group.label for group in groups.values() if not group.broader_uri)
    assert tops == [
        "knowledge",
        "language skills and knowledge",
        "skills",
        "transversal skills and competences",
    ]


def test_data_analyst_needs_data_skills_essentially(esco: Taxonomy) -> None:
    analyst = _occupation(esco, "data analyst")
    by_uri = {skill.uri: skill for skill in esco.skills}
    essential = {
        by_uri[need.skill_uri].label for need in analyst.skills if need.relation == "essential"
    }
    assert {"perform data cleansing", "data mining", "analyse big data"} <= essential
    assert {need.importance for need in analyst.skills if need.relation == "essential"} == {1.0}
    assert {need.importance for need in analyst.skills if need.relation == "optional"} == {0.3}
    assert all(need.level is None for need in analyst.skills)
    # "statistics" is the knowledge skill, never the ISCED-F group of the same name
    statistics = next(
        need.skill_uri for need in analyst.skills if by_uri[need.skill_uri].label == "statistics"
    )
    assert by_uri[statistics].skill_type != "skill group"


def test_unmatched_labels_get_stable_distinct_urns() -> None:
    assert label_urn("data ethics") == "urn:microcred:esco-label:data-ethics"
    assert label_urn("Data Ethics") == label_urn("data ethics")
    assert label_urn("C++") != label_urn("C")
    assert label_urn("C++").startswith("urn:microcred:esco-label:c-")
    assert label_urn("use Python (programming)") == label_urn("use Python (programming)")


def _copy(source: Path, tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / source.name
    folder.mkdir()
    for name in names:
        shutil.copy(source / name, folder / name)
    return folder


def test_the_official_relations_table_is_read_by_uri(tmp_path: Path) -> None:
    folder = _copy(ESCO, tmp_path, ["digitalSkillsCollection_en.csv", "occupations_en.csv"])
    analyst = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
    sql = ESCO_SKILL + "598de5b0-5b58-4ea7-8058-a4bc4d18c742"
    (folder / "occupationSkillRelations_en.csv").write_text(
        "occupationUri,relationType,skillType,skillUri,skillLabel\n"
        f"{analyst},essential,knowledge,{sql},SQL\n"
        f"{analyst},optional,skill/competence,{ESCO_SKILL}x-1,an unlisted skill\n",
        encoding="utf-8",
    )
    taxonomy = read_esco(folder)
    needs = _occupation(taxonomy, "data analyst").skills
    assert [(n.skill_uri, n.relation) for n in needs] == [
        (sql, "essential"),
        (ESCO_SKILL + "x-1", "optional"),
    ]
    assert _skill(taxonomy, "an unlisted skill").uri == ESCO_SKILL + "x-1"


@pytest.mark.parametrize(
    ("relations", "message"),
    [
        ("occupationUri,skillUri\n", "missing column(s): relationType"),
        ("occupationUri,relationType,skillUri\nhttp://x/o,essential,http://x/s\n", ":2"),
        ("occupationUri,relationType,skillUri\nhttp://x/o,sometimes,http://x/s\n", "relationType"),
    ],
)
def test_bad_relations_name_the_file_and_row(tmp_path: Path, relations: str, message: str) -> None:
    folder = _copy(ESCO, tmp_path, ["occupations_en.csv"])
    (folder / "occupationSkillRelations_en.csv").write_text(relations, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_esco(folder)
    assert "occupationSkillRelations_en.csv" in str(caught.value) and message in str(caught.value)


def test_esco_needs_occupations_and_relations(tmp_path: Path) -> None:
    folder = _copy(ESCO, tmp_path, ["digitalSkillsCollection_en.csv"])
    with pytest.raises(InputError, match=re.escape("occupations_en.csv: required file is missing")):
        read_esco(folder)
    shutil.copy(ESCO / "occupations_en.csv", folder)
    with pytest.raises(InputError, match=re.escape("needs occupationSkillRelations_en.csv or")):
        read_esco(folder)
    (folder / "occupation_skill_profiles.json").write_text(
        json.dumps([{"occupation_uri": "http://nowhere/o", "essential_skills": []}])
    )
    with pytest.raises(InputError, match=r"profiles.json: \[0\]: unknown occupation_uri"):
        read_esco(folder)
    with pytest.raises(InputError, match="not a folder"):
        read_esco(folder / "occupations_en.csv")


def test_a_csv_without_a_required_column_is_named(tmp_path: Path) -> None:
    folder = _copy(ESCO, tmp_path, ["occupations_en.csv", "occupation_skill_profiles.json"])
    (folder / "digitalSkillsCollection_en.csv").write_text("conceptUri,label\nx,y\n")
    with pytest.raises(
        InputError, match=re.escape("digitalSkillsCollection_en.csv: missing column")
    ):
        read_esco(folder)


# -- O*NET ---------------------------------------------------------------------------------


def test_onet_counts_and_kinds(onet: Taxonomy) -> None:
    assert onet.release == "O*NET 29.2"
    assert len(onet.occupations) == 1016
    kinds = {
        kind: sum(1 for s in onet.skills if s.skill_type == kind)
        for kind in ("skill", "knowledge", "technology")
    }
    assert kinds == {"skill": 35, "knowledge": 33, "technology": 135}
    reading = next(skill for skill in onet.skills if skill.uri == "urn:onet:2.A.1.a")
    assert reading.label == "Reading Comprehension" and reading.broader_uri == "urn:onet:2.A.1"


def test_an_onet_occupation_has_importance_level_and_relation(onet: Taxonomy) -> None:
    statisticians = next(item for item in onet.occupations if item.code == "15-2041.00")
    assert statisticians.uri == "urn:onet:soc:15-2041.00" and statisticians.label == "Statisticians"
    needs = {need.skill_uri: need for need in statisticians.skills}
    reading = needs["urn:onet:2.A.1.a"]  # IM 4.0, LV 4.88 in skills.csv
    assert (reading.relation, reading.importance, reading.level) == ("essential", 0.8, 6)
    assert all(0 < need.importance <= 1 for need in needs.values())
    optional = [
        n
        for n in needs.values()
        if n.relation == "optional" and not n.skill_uri.startswith("urn:onet:tech:")
    ]
    assert optional and all(n.importance < 0.6 for n in optional)  # IM < 3.0
    tech = [n for n in needs.values() if n.skill_uri.startswith("urn:onet:tech:")]
    assert tech and {n.relation for n in tech} == {"optional"} and {n.level for n in tech} == {None}
    assert {n.importance for n in tech} <= {0.3, 0.5, 0.7} and max(n.importance for n in tech) > 0.3


def test_not_relevant_and_suppressed_ratings_are_left_out(tmp_path: Path) -> None:
    folder = _copy(ONET, tmp_path, ["occupation_data.csv", "content_model_reference.csv"])
    head = "O*NET-SOC Code,Element ID,Element Name,Scale ID,Data Value,Recommend Suppress,Not Relevant\n"
    (folder / "skills.csv").write_text(
        head + "11-1011.00,2.A.1.a,R,IM,2.0,N,\n11-1011.00,2.A.1.a,R,LV,0.1,N,Y\n"
        "11-1011.00,2.A.1.b,L,IM,3.5,Y,\n11-1011.00,2.A.1.c,W,IM,3.5,N,\n"
        "11-1011.00,2.A.1.c,W,LV,3.4,Y,N\n",
        encoding="utf-8",
    )
    (folder / "knowledge.csv").write_text(head, encoding="utf-8")
    chief = next(item for item in read_onet(folder).occupations if item.code == "11-1011.00")
    assert [(n.skill_uri, n.relation, n.importance, n.level) for n in chief.skills] == [
        ("urn:onet:2.A.1.c", "essential", 0.7, None)
    ]


def test_bad_onet_rows_are_named(tmp_path: Path) -> None:
    folder = _copy(ONET, tmp_path, ["occupation_data.csv", "content_model_reference.csv"])
    head = "O*NET-SOC Code,Element ID,Element Name,Scale ID,Data Value\n"
    (folder / "knowledge.csv").write_text(head, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("skills.csv: required file is missing")):
        read_onet(folder)
    (folder / "skills.csv").write_text(head + "11-1011.00,2.A.1.a,R,IM,high\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"skills.csv:2: Data Value 'high': not a number"):
        read_onet(folder)
    (folder / "skills.csv").write_text(head + "99-9999.99,2.A.1.a,R,IM,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"skills.csv:2: O\*NET-SOC Code '99-9999.99'"):
        read_onet(folder)


# -- custom YAML ---------------------------------------------------------------------------


def test_the_demo_taxonomy_has_the_shared_vocabulary() -> None:
    demo = read_custom(DEMO)
    assert (demo.scheme, demo.release) == ("custom", "demo")
    assert len(demo.skills) == 17 and len(demo.occupations) == 4
    sql = next(skill for skill in demo.skills if skill.label == "SQL querying")
    assert (sql.uri, sql.code) == ("urn:microcred:demo:skill:sql", "demo:sql")
    analyst = next(item for item in demo.occupations if item.label == "data analyst")
    assert analyst.uri == "urn:microcred:demo:occupation:data-analyst"
    essential = {
        n.skill_uri.rsplit(":", 1)[1]: n.level for n in analyst.skills if n.relation == "essential"
    }
    assert essential == {
        "sql": 5,
        "data-cleaning": 5,
        "statistics": 5,
        "data-visualisation": 5,
        "spreadsheets": 4,
    }
    optional = {n.skill_uri.rsplit(":", 1)[1] for n in analyst.skills if n.relation == "optional"}
    assert optional == {"python-programming", "storytelling", "gdpr"}
    labels = {item.label for item in demo.occupations}
    assert labels == {
        "data analyst",
        "data engineer",
        "energy retrofit advisor",
        "solar PV installer",
    }


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("taxonomy: Demo\n", "t.yaml: taxonomy"),
        (
            "taxonomy: d\nskills: [{slug: a, label: A, colour: red}]\n",
            "t.yaml: skills[0]: unknown key(s) colour",
        ),
        (
            "taxonomy: d\nskills: [{slug: a, label: A}, {slug: a, label: B}]\n",
            "skills[1].slug: 'a' is used twice",
        ),
        ("taxonomy: d\nskills: [{slug: a}]\n", "skills[0].label: expected text"),
        (
            "taxonomy: d\nskills: [{slug: a, label: A}]\noccupations: [{slug: o, label: O, essential: {b: 3}}]\n",
            "occupations[0].essential.b",
        ),
        (
            "taxonomy: d\nskills: [{slug: a, label: A}]\noccupations: [{slug: o, label: O, essential: {a: 9}}]\n",
            "level 9",
        ),
        ("taxonomy: d\nskills: [{slug: a, label: A, broader: zz}]\n", "skills[0].broader"),
        ("taxonomy: [unclosed\n", "t.yaml:2: not YAML"),
    ],
)
def test_bad_custom_files_name_the_entry(text: str, where: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_custom(text, where="t.yaml")
    assert where in str(caught.value)


def test_custom_occupations_may_name_skills_of_other_taxonomies() -> None:
    text = (
        "taxonomy: mine\nskills: [{slug: a, label: A, broader: b}, {slug: b, label: B}]\n"
        f"occupations: [{{slug: o, label: O, optional: [a, '{ESCO_SKILL}x']}}]\n"
    )
    mine = parse_custom(text)
    assert mine.skills[0].broader_uri == "urn:microcred:mine:skill:b"
    needs = mine.occupations[0].skills
    assert [(n.skill_uri, n.relation, n.importance, n.level) for n in needs] == [
        ("urn:microcred:mine:skill:a", "optional", 0.3, None),
        (ESCO_SKILL + "x", "optional", 0.3, None),
    ]

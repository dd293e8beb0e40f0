"""CTDL export: every class and property exists in the CTDL schema (read in place from
../shared/data/ctdl), each property is used on a class the schema allows it on, and the
requirement tree is mirrored by ConditionProfiles."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from microcred.core.pathways import parse_pathway, to_ctdl
from tests.conftest import ROOT

CTDL = ROOT.parent / "shared" / "data" / "ctdl"
PATHWAY = parse_pathway(
    {
        "id": "https://uni.example/pathways/data",
        "name": "Data micro-degree",
        "credits": 15,
        "requirement": {
            "type": "all",
            "children": [
                {"type": "achievement", "achievementId": "https://uni.example/a/sql",
                 "title": "SQL Basics", "equivalents": ["https://b.example/a/intro-sql"]},
                {"type": "atLeast", "k": 2, "children": [
                    {"type": "achievement", "achievementId": "https://uni.example/a/py",
                     "minResult": "B", "maxAgeMonths": 24},
                    {"type": "skill", "skill": "http://data.europa.eu/esco/skill/S1"},
                    {"type": "all", "children": [
                        {"type": "achievement", "achievementId": "https://uni.example/a/r"},
                        {"type": "skill", "skill": "statistics"},
                    ]},
                ]},
                {"type": "creditsAtLeast", "n": 10, "unit": "ECTS", "children": [
                    {"type": "skill", "skill": "data"}]},
                {"type": "creditsAtLeast", "n": 40, "unit": "hours"},
            ],
        },
    }
)  # fmt: skip


@cache
def schema() -> dict[str, dict[str, Any]]:
    graph = json.loads((CTDL / "ctdl-schema.json").read_text(encoding="utf-8"))["@graph"]
    return {entry["@id"]: entry for entry in graph}


def _superclasses(name: str) -> set[str]:
    found, todo = {name}, [name]
    while todo:
        for parent in schema().get(todo.pop(), {}).get("rdfs:subClassOf", []):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def _check(node: Any, problems: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _check(item, problems)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("@type")
    if kind is not None and schema().get(kind, {}).get("@type") != "rdfs:Class":
        problems.append(f"unknown class {kind}")
    for key, value in node.items():
        if key.startswith("@"):
            continue
        term = schema().get(key)
        if term is None or term["@type"] != "rdf:Property":
            problems.append(f"unknown property {key}")
        elif kind is not None and not _superclasses(kind) & set(
            term.get("schema:domainIncludes", [])
        ):
            problems.append(f"{key} is not a property of {kind}")
        if key != "ceterms:name" and not key.endswith(("Name", "description", "condition",
                                                       "Description")):  # fmt: skip
            _check(value, problems)


def _profiles(document: dict[str, Any]) -> list[dict[str, Any]]:
    return list(document["ceterms:requires"])


def test_every_term_is_in_the_ctdl_schema_and_allowed_where_it_is_used() -> None:
    document = to_ctdl(PATHWAY, owner_name="Uni", owner_id="https://uni.example/org")
    problems: list[str] = []
    _check(document, problems)
    assert problems == []
    context = json.loads((CTDL / "ctdl-context.json").read_text(encoding="utf-8"))["@context"]
    prefixes = {key.split(":")[0] for key in json.dumps(document).split('"') if ":" in key}
    assert {"ceterms", "schema", "creditUnit", "credentialStat"} <= set(context) & prefixes


def test_the_tree_is_mirrored_by_condition_profiles() -> None:
    document = to_ctdl(PATHWAY, owner_name="Uni", owner_id="https://uni.example/org")
    assert document["@type"] == "ceterms:MicroCredential"
    assert document["@id"] == "https://uni.example/pathways/data"
    assert document["ceterms:ctid"].startswith("ce-")
    assert document["ceterms:ownedBy"][0]["ceterms:name"] == {"en": "Uni"}
    sql, two_of, ects, hours = _profiles(document)  # root All: one profile per child
    assert sql["ceterms:name"] == {"en": "SQL Basics"}
    targets = [
        alt["ceterms:targetCredential"][0]["@id"] for alt in sql["ceterms:alternativeCondition"]
    ]
    assert targets == ["https://uni.example/a/sql", "https://b.example/a/intro-sql"]
    assert two_of["ceterms:condition"]["en"][0] == "At least 2 of the 3 alternative conditions"
    py, skill, nested = two_of["ceterms:alternativeCondition"]
    assert py["ceterms:condition"]["en"] == [
        "Minimum result: B",
        "Earned within the last 24 months",
    ]
    assert skill["ceterms:targetCompetency"][0]["ceterms:targetNode"] == (
        "http://data.europa.eu/esco/skill/S1"
    )
    assert nested["ceterms:targetCredential"][0]["@id"] == "https://uni.example/a/r"
    assert nested["ceterms:targetCompetency"][0]["ceterms:targetNodeName"] == {"en": "statistics"}
    [value] = ects["ceterms:creditValue"]
    assert value["schema:value"] == 10
    assert value["ceterms:creditUnitType"][0]["ceterms:targetNode"] == "creditUnit:DegreeCredit"
    assert ects["ceterms:creditUnitTypeDescription"] == {"en": "ECTS credits"}
    assert hours["ceterms:creditValue"][0]["ceterms:creditUnitType"][0]["ceterms:targetNode"] == (
        "creditUnit:ClockHour"
    )
    assert "ceterms:creditValue" not in document  # not a property of a credential in CTDL
    assert (
        "at least 10 ECTS from: a credential aligned to the skill data"
        in (ects["ceterms:description"]["en"])
    )


def test_a_single_leaf_pathway_has_one_profile() -> None:
    single = parse_pathway(
        {"id": "p", "name": "P", "requirement": {"type": "achievement", "achievementId": "a"}}
    )
    document = to_ctdl(single, owner_name="O", owner_id="https://o.example")
    assert "@id" not in document  # "p" is not an IRI
    [profile] = _profiles(document)
    assert profile["ceterms:targetCredential"] == [
        {"@type": "ceterms:OpenBadge", "ceterms:name": {"en": "a"}}
    ]


def test_the_schema_file_is_the_one_read() -> None:
    assert Path(CTDL / "ctdl-schema.json").is_file() and len(schema()) > 500

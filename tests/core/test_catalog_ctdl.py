"""Catalog CTDL export: every class and property is in the vendored CTDL schema and used on
a class whose domain allows it (the pathway export's checker), and the offering's facts
land where the mapping says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from microcred.core.skills.ctdl_catalog import (
    CatalogEntry,
    TaughtSkill,
    catalog_to_ctdl,
    ctid,
    iso_hours,
    offering_to_ctdl,
)
from tests.core.test_pathways_ctdl import _check

FULL = CatalogEntry(
    id="https://mc.example/catalog/uni/stats/",
    title="Statistics for Analysts",
    description="Summaries that hold up.",
    provider_id="did:web:uni.example",
    provider_name="Uni",
    hours=Decimal("24.5"),
    price=Decimal("690.00"),
    currency="EUR",
    mode="blended",
    language="en",
    ects=Decimal("1.0"),
    level=5,
    start_date=date(2027, 1, 4),
    end_date=date(2027, 2, 1),
    url="https://uni.example/stats",
    skills=(
        TaughtSkill("urn:microcred:demo:skill:statistics", "descriptive statistics", "demo", 5),
    ),
    credential=("https://mc.example/achievements/uni/stats/v1", "Statistics for Analysts"),
    prerequisites=(("https://mc.example/catalog/uni/sql/", "SQL Basics"),),
)


def test_every_term_is_in_the_schema_and_allowed_where_used() -> None:
    bare = CatalogEntry(id="https://mc.example/catalog/a/b/", title="B", description="",
                        provider_id="did:key:z6Mk", provider_name="A", hours=Decimal(3),
                        price=Decimal(0), currency="EUR", mode="onsite", language="de")  # fmt: skip
    for document in (offering_to_ctdl(FULL), offering_to_ctdl(bare), catalog_to_ctdl([FULL, bare])):
        problems: list[str] = []
        _check(document, problems)
        assert problems == []


def test_the_facts_land_where_the_mapping_says() -> None:
    doc = offering_to_ctdl(FULL)
    assert doc["@type"] == "ceterms:LearningOpportunityProfile"
    assert doc["ceterms:ctid"] == ctid(FULL.id) and doc["ceterms:ctid"].startswith("ce-")
    assert doc["ceterms:subjectWebpage"] == "https://uni.example/stats"
    assert doc["ceterms:offeredBy"][0]["@id"] == "did:web:uni.example"
    [duration] = doc["ceterms:estimatedDuration"]
    assert duration["ceterms:exactDuration"] == "PT24H30M"
    assert "2027-01-04 to 2027-02-01" in duration["ceterms:description"]["en"]
    [cost] = doc["ceterms:estimatedCost"]
    assert (cost["ceterms:price"], cost["ceterms:currency"]) == (690.0, "EUR")
    assert doc["ceterms:deliveryType"][0]["ceterms:targetNode"] == "deliveryType:BlendedDelivery"
    [skill] = doc["ceterms:teaches"]
    assert skill["ceterms:targetNode"] == "urn:microcred:demo:skill:statistics"
    assert skill["ceterms:frameworkName"] == {"en": "demo"}
    [credit] = doc["ceterms:creditValue"]
    assert credit["schema:value"] == 1.0
    assert credit["ceterms:creditUnitType"][0]["ceterms:targetNode"] == "creditUnit:DegreeCredit"
    assert doc["ceterms:creditUnitTypeDescription"] == {"en": "ECTS"}
    badge = doc["ceterms:isRequiredFor"][0]["ceterms:targetCredential"][0]
    assert badge["@id"] == "https://mc.example/achievements/uni/stats/v1"
    [requires] = doc["ceterms:requires"]
    assert requires["ceterms:targetLearningOpportunity"][0]["@id"] == (
        "https://mc.example/catalog/uni/sql/"
    )
    assert "EQF level 5" in doc["ceterms:description"]["en"]


def test_iso_hours() -> None:
    assert [iso_hours(Decimal(v)) for v in ("40", "1.5", "0.25")] == ["PT40H", "PT1H30M", "PT0H15M"]

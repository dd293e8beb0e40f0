"""Catalog service: who may write, field-named errors, nothing half-written, prerequisites
without cycles, skills from the credential, audit events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from microcred.providers.models import AuditEvent
from microcred.skills import catalog
from microcred.skills.models import Offering, OfferingSkill
from microcred.skills.tests.catalog_world import SKILL, World, catalog_world  # noqa: F401

pytestmark = pytest.mark.storage


def _errors(call: Any, **kwargs: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


def test_an_offering_takes_its_credential_and_skills(world: World) -> None:
    made = world.offer(
        "sql-intro", definition="sql-course", hours="12.5", ects=3, price="199.00",
        currency="eur", mode="blended", language="nl", start_date="2027-02-01",
        end_date=date(2027, 3, 1), level=5, url="https://uni.example/sql",
    )  # fmt: skip
    row = Offering.objects.get(pk=made.pk)
    assert row.is_published and row.definition == world.definitions["sql-course"]
    assert (row.hours, row.price, row.currency) == (Decimal("12.5"), Decimal("199.00"), "EUR")
    assert row.start_date == date(2027, 2, 1)
    # The credential's aligned skill that exists here, at its EQF level (5).
    assert [(s.skill.uri, s.level) for s in row.skills.all()] == [(SKILL + "sql", 5)]
    actions = list(
        AuditEvent.objects.filter(subject="offering uni/sql-intro").values_list("action", flat=True)
    )
    assert sorted(actions) == ["offering.created", "offering.published"]


def test_every_bad_field_is_named_and_nothing_is_stored(world: World) -> None:
    errors = _errors(
        catalog.create_offering, actor=world.users["owner"], provider=world.uni, slug="bad",
        title=" ", hours=0, ects=-1, price="abc", currency="EURO", mode="tv", language="English",
        start_date="2027-05-01", end_date="2027-04-01", level=9, url="ftp://x",
        definition="draft-course", skills=[{"uri": SKILL + "nope"}], prerequisites=["missing"],
    )  # fmt: skip
    assert set(errors) == {
        "title", "hours", "ects", "price", "currency", "mode", "language", "end_date", "level",
        "url", "definition", "skills", "prerequisites",
    }  # fmt: skip
    assert errors["hours"] == ["must be more than 0"]
    assert "is not published" in errors["definition"][0]
    assert "ISO 4217" in errors["currency"][0]
    assert Offering.objects.count() == 0 and OfferingSkill.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="offering.").exists()


def test_a_definition_of_another_provider_is_refused(world: World) -> None:
    errors = _errors(world.offer, slug="x", definition="acme-course")
    assert errors == {"definition": ["'acme-course' is not a micro-credential of this provider"]}


def test_an_edit_that_fails_changes_nothing(world: World) -> None:
    made = world.offer("sql-intro", definition="sql-course", price=100)
    errors = _errors(
        catalog.update_offering, actor=world.users["issuer"], offering=made, price=50,
        title="New title", currency="E1",
    )  # fmt: skip
    assert set(errors) == {"currency"}
    row = Offering.objects.get(pk=made.pk)
    assert (row.title, row.price, row.currency) == ("Sql Intro", Decimal(100), "EUR")
    assert row.skills.count() == 1


def test_prerequisites_exist_are_public_and_form_no_cycle(world: World) -> None:
    a = world.offer("a")
    b = world.offer("b", prerequisites=["a"])
    c = world.offer("c", prerequisites=["uni/b"])
    assert [p.slug for p in c.prerequisites.all()] == ["b"]
    errors = _errors(catalog.update_offering, actor=world.users["owner"], offering=a,
                     prerequisites=["c"])  # fmt: skip
    assert errors == {"prerequisites": ["would make a cycle of prerequisites"]}
    errors = _errors(catalog.update_offering, actor=world.users["owner"], offering=a,
                     prerequisites=["a"])  # fmt: skip
    assert errors == {"prerequisites": ["would make a cycle of prerequisites"]}
    draft = world.offer("draft", publish=False)
    errors = _errors(catalog.update_offering, actor=world.users["owner"], offering=b,
                     prerequisites=["a", "draft"])  # fmt: skip
    assert errors == {"prerequisites": ["publish these first: draft"]}
    assert list(b.prerequisites.all()) == [a] and draft.pk


def test_skills_must_exist_and_levels_are_1_to_8(world: World) -> None:
    made = world.offer("py", skills=[SKILL + "python", {"uri": SKILL + "stats", "level": 4}])
    assert {(s.skill.label, s.level) for s in made.skills.all()} == {
        ("Python programming", None),
        ("descriptive statistics", 4),
    }
    errors = _errors(catalog.update_offering, actor=world.users["owner"], offering=made,
                     skills=[{"uri": SKILL + "sql", "level": 0}, {"uri": ""}])  # fmt: skip
    assert set(errors) == {"skills[0].level", "skills[1].uri"}
    assert made.skills.count() == 2


def test_only_owners_and_issuers_write(world: World) -> None:
    made = world.offer("sql-intro")
    for who in ("viewer", "outsider"):
        with pytest.raises(PermissionDenied):
            catalog.create_offering(actor=world.users[who], provider=world.uni, slug="x",
                                    title="X", hours=1)  # fmt: skip
        with pytest.raises(PermissionDenied):
            catalog.unpublish_offering(actor=world.users[who], offering=made)
    catalog.unpublish_offering(actor=world.users["issuer"], offering=made)
    assert not Offering.objects.get(pk=made.pk).is_published


def test_slugs_are_checked_and_unique_per_provider(world: World) -> None:
    world.offer("sql-intro")
    assert "already used" in _errors(world.offer, slug="sql-intro")["slug"][0]
    assert "not a slug" in _errors(world.offer, slug="Not a slug!")["slug"][0]
    catalog.create_offering(actor=world.users["outsider"], provider=world.acme, slug="sql-intro",
                            title="Acme SQL", hours=3)  # fmt: skip
    assert Offering.objects.filter(slug="sql-intro").count() == 2


def test_publishing_follows_a_newer_version_of_the_credential(world: World) -> None:
    from microcred.credentials import services as definitions

    made = world.offer("stats", definition="stats-course", publish=False)
    old = world.definitions["stats-course"]
    definitions.issue_credential(actor=world.users["owner"], definition=old,
                                 recipient_email="l@example.org")  # fmt: skip
    newer = definitions.update_definition(
        actor=world.users["owner"], definition=old, name="Stats 2"
    )
    assert newer.version == 2
    published = catalog.publish_offering(actor=world.users["owner"], offering=made)
    assert published.definition == newer

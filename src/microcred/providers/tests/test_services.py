"""Creating providers: DID, first key (encrypted), owner, audit trail, field-named errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings

from microcred.providers import keystore, selectors, services
from microcred.providers.models import AuditEvent, Membership, Provider, ProviderKey
from microcred.providers.tests.conftest import HTTPS_BASE

pytestmark = pytest.mark.django_db


@override_settings(MICROCRED_BASE_URL="http://127.0.0.1:8000")
def test_create_provider_makes_owner_key_and_audit_trail(make_user: Callable[..., Any]) -> None:
    ana = make_user("ana")
    provider = services.create_provider(
        actor=ana, slug="Delft-Data", name="Delft Data", legal_name="Delft Data B.V.",
        country="nl", region="Zuid-Holland", website="https://delft.example",
        contact_email="info@delft.example", accreditation="NVAO accredited", did_method="web",
    )  # fmt: skip
    provider.refresh_from_db()
    assert (provider.slug, provider.country) == ("delft-data", "NL")
    assert provider.did == "did:web:127.0.0.1%3A8000:providers:delft-data"
    assert selectors.role_of(ana, provider) == "owner"
    assert list(selectors.providers_for_user(ana)) == [provider]
    keys = list(ProviderKey.objects.filter(provider=provider))
    assert [(k.key_id, k.retired_at) for k in keys] == [("key-1", None)]
    actions = [(e.action, e.actor_id, e.subject) for e in AuditEvent.objects.order_by("id")]
    assert actions == [
        ("provider.created", ana.pk, "delft-data"),
        ("key.created", ana.pk, "key-1"),
        ("member.added", ana.pk, "ana"),
    ]
    assert next(e.action for e in selectors.audit_events(provider)) == "member.added"


def test_signing_key_is_the_active_key_under_the_provider_did(
    make_provider: Callable[..., Provider],
) -> None:
    provider = make_provider("acme")
    key = services.signing_key(provider)
    stored = ProviderKey.objects.get(provider=provider)
    assert key.controller == provider.did
    assert key.id == f"{provider.did}#key-1"
    assert key.public_key_multibase == stored.public_key_multibase
    assert key.verify(key.sign(b"hello"), b"hello")


def test_the_database_never_holds_the_plain_seed(make_provider: Callable[..., Provider]) -> None:
    provider = make_provider("acme")
    key = services.signing_key(provider)
    seed = key.seed
    assert seed is not None
    forms = [seed, seed.hex().encode(), (key.secret_key_multibase or "").encode()]
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if not table.startswith("providers_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                blob = b"|".join(_as_bytes(value) for value in row)
                assert not any(form in blob for form in forms), table


def _as_bytes(value: object) -> bytes:
    if isinstance(value, bytes | memoryview | bytearray):
        return bytes(value)
    return str(value).encode()


def test_a_different_kek_cannot_open_the_stored_key(make_provider: Callable[..., Provider]) -> None:
    provider = make_provider("acme")
    with (
        override_settings(KEY_ENCRYPTION_KEY=bytes(32)),
        pytest.raises(keystore.KeyStoreError, match=r"provider acme: .*key-encryption key"),
    ):
        services.signing_key(provider)


@override_settings(MICROCRED_BASE_URL="http://127.0.0.1:8000")
def test_without_https_new_providers_default_to_did_key(make_user: Callable[..., Any]) -> None:
    provider = services.create_provider(
        actor=make_user("ana"), slug="acme", name="Acme", legal_name="Acme Ltd", country="GB"
    )
    stored = ProviderKey.objects.get(provider=provider)
    assert provider.did_method == "key"
    assert provider.did == f"did:key:{stored.public_key_multibase}"
    assert stored.key_id == stored.public_key_multibase
    key = services.signing_key(provider)
    assert key.id == f"{provider.did}#{stored.public_key_multibase}"
    assert selectors.did_document(provider)["id"] == provider.did


@override_settings(MICROCRED_BASE_URL=HTTPS_BASE)
def test_with_https_new_providers_default_to_did_web(make_user: Callable[..., Any]) -> None:
    provider = services.create_provider(
        actor=make_user("ana"), slug="acme", name="Acme", legal_name="Acme Ltd", country="GB"
    )
    assert provider.did_method == "web"
    assert provider.did == "did:web:issuers.example.edu:providers:acme"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"country": "XX"}, "country", "not an ISO 3166-1 alpha-2"),
        ({"country": "UK"}, "country", "use 'GB'"),
        ({"country": ""}, "country", "blank"),
        ({"slug": "has spaces"}, "slug", "slug"),
        ({"slug": ""}, "slug", "blank"),
        ({"legal_name": "  "}, "legal_name", "blank"),
        ({"website": "not a url"}, "website", "URL"),
        ({"contact_email": "nobody"}, "contact_email", "email"),
        ({"did_method": "ion"}, "did_method", "'ion' is not one of"),
    ],
)
def test_invalid_fields_are_named(
    make_user: Callable[..., Any], fields: dict[str, str], field: str, message: str
) -> None:
    values = {"slug": "acme", "name": "Acme", "legal_name": "Acme Ltd", "country": "NL"}
    values.update(fields)
    with pytest.raises(ValidationError) as caught:
        services.create_provider(actor=make_user("ana"), **values)
    assert message.lower() in " ".join(caught.value.message_dict[field]).lower()
    assert not Provider.objects.exists() and not AuditEvent.objects.exists()


def test_a_taken_slug_is_refused_by_name(make_provider: Callable[..., Provider]) -> None:
    make_provider("acme")
    with pytest.raises(ValidationError) as caught:
        make_provider("ACME")
    assert "slug" in caught.value.message_dict
    assert Provider.objects.count() == 1 and ProviderKey.objects.count() == 1


def test_anonymous_users_cannot_create_providers(db: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.create_provider(
            actor=AnonymousUser(), slug="acme", name="A", legal_name="A", country="NL"
        )


def test_update_provider_changes_the_profile_and_audits_it(
    make_provider: Callable[..., Provider], make_user: Callable[..., Any]
) -> None:
    provider = make_provider("acme")
    owner = Membership.objects.get(provider=provider).user
    services.update_provider(actor=owner, provider=provider, region="Utrecht", country="de")
    provider.refresh_from_db()
    assert (provider.region, provider.country) == ("Utrecht", "DE")
    event = selectors.audit_events(provider).first()
    assert event is not None and event.action == "provider.updated"
    assert event.details["fields"]["country"] == {"from": "NL", "to": "DE"}
    with pytest.raises(ValidationError) as caught:
        services.update_provider(actor=owner, provider=provider, did="did:web:evil")
    assert "did" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.update_provider(actor=make_user("eve"), provider=provider, name="Mine")

"""The operator manages providers in the admin; secrets never show, audit rows never change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from microcred.providers import services
from microcred.providers.models import AuditEvent, Membership, Provider

pytestmark = [pytest.mark.django_db, pytest.mark.urls("microcred.providers.tests.admin_urls")]

INLINES = {
    f"{prefix}-{field}": value
    for prefix in ("memberships", "keys")
    for field, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"), ("MAX_NUM_FORMS", "1000"))
}


@pytest.fixture
def operator_client(make_user: Callable[..., Any], client: Client) -> Client:
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


def test_operator_creates_a_provider_through_the_service(operator_client: Client) -> None:
    form = {"slug": "tu-x", "name": "TU X", "legal_name": "TU X", "country": "de",
            "did_method": "web", "region": "", "website": "", "contact_email": "",
            "accreditation": "", **INLINES}  # fmt: skip
    response = operator_client.post("/admin/providers/provider/add/", form)
    assert response.status_code == 302, response.content[:2000]
    provider = Provider.objects.get(slug="tu-x")
    assert provider.country == "DE" and provider.did.endswith(":providers:tu-x")
    assert services.signing_key(provider).id == f"{provider.did}#key-1"
    assert Membership.objects.get(provider=provider).user.username == "root"
    assert AuditEvent.objects.filter(provider=provider, action="provider.created").exists()


def test_a_bad_country_is_shown_on_the_form(operator_client: Client) -> None:
    form = {"slug": "x", "name": "X", "legal_name": "X", "country": "UK", "did_method": "key",
            **INLINES}  # fmt: skip
    response = operator_client.post("/admin/providers/provider/add/", form)
    assert response.status_code == 200
    assert b"use &#x27;GB&#x27;" in response.content
    assert not Provider.objects.exists()


def test_key_pages_never_show_the_secret(
    operator_client: Client, make_provider: Callable[..., Provider]
) -> None:
    provider = make_provider("acme")
    key = services.signing_key(provider)
    stored = provider.keys.get()
    pages = [
        f"/admin/providers/provider/{provider.pk}/change/",
        f"/admin/providers/providerkey/{stored.pk}/change/",
        "/admin/providers/providerkey/",
    ]
    for page in pages:
        response = operator_client.get(page)
        assert response.status_code == 200, page
        assert stored.public_key_multibase.encode() in response.content
        assert (key.secret_key_multibase or "").encode() not in response.content
        assert b"encrypted_secret" not in response.content
        assert b"Encrypted secret" not in response.content


def test_audit_events_cannot_be_edited_or_deleted(
    operator_client: Client, make_provider: Callable[..., Provider]
) -> None:
    make_provider("acme")
    event = AuditEvent.objects.first()
    assert event is not None
    url = f"/admin/providers/auditevent/{event.pk}/"
    assert operator_client.get(url + "change/").status_code == 200  # view only
    operator_client.post(url + "change/", {"action": "forged"})
    assert operator_client.post(url + "delete/", {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "provider.created"

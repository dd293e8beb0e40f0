"""The provider list, "create a provider" and the dashboard, through the Django test client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from microcred.credentials import selectors
from microcred.providers.models import Membership, Provider

pytestmark = pytest.mark.django_db

NEW_PROVIDER = {
    "name": "Delft Data Academy",
    "slug": "delft-data",
    "legal_name": "Delft Data Academy B.V.",
    "country": "nl",
    "region": "South Holland",
    "website": "https://delft-data.example.edu",
    "contact_email": "office@delft-data.example.edu",
    "accreditation": "NVAO accredited",
}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_users_are_sent_to_sign_in(make_provider: Callable[..., Provider]) -> None:
    make_provider("uni")
    for url in ("/providers/", "/providers/uni/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_create_a_provider_makes_the_user_its_owner(make_user: Callable[..., Any]) -> None:
    user = make_user("ana")
    client = signed_in(user)
    assert "You are not staff of any provider yet" in client.get("/providers/").content.decode()
    response = client.post("/providers/", NEW_PROVIDER)
    assert response.status_code == 302 and response["Location"] == "/providers/delft-data/"
    provider = Provider.objects.get(slug="delft-data")
    assert provider.country == "NL" and provider.accreditation == "NVAO accredited"
    assert Membership.objects.get(provider=provider, user=user).role == "owner"
    page = client.get("/providers/").content.decode()
    assert "Delft Data Academy" in page and 'href="/providers/delft-data/"' in page


def test_create_provider_errors_are_shown_next_to_the_fields(
    make_user: Callable[..., Any], make_provider: Callable[..., Provider]
) -> None:
    make_provider("delft-data")
    client = signed_in(make_user("ana"))
    response = client.post("/providers/", NEW_PROVIDER)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_slug_error"><li>Provider with this Slug already exists.' in page
    response = client.post("/providers/", NEW_PROVIDER | {"slug": "fresh", "country": "XX"})
    assert 'id="id_country_error"><li>' in response.content.decode()
    assert not Provider.objects.filter(slug="fresh").exists()


def test_dashboard_for_staff_and_404_for_everyone_else(
    make_user: Callable[..., Any], make_provider: Callable[..., Provider]
) -> None:
    owner = make_user("owner")
    provider = make_provider("uni", owner)
    make_provider("acme", make_user("stranger"))
    page = signed_in(owner).get("/providers/uni/").content.decode()
    assert provider.name in page and "New micro-credential" in page
    assert "<svg" in page and "Issued, claimed, revoked and page views per day" in page
    stranger = Membership.objects.get(provider__slug="acme").user
    assert signed_in(stranger).get("/providers/uni/").status_code == 404
    assert signed_in(stranger).get("/providers/no-such/").status_code == 404


def test_stats_count_states_and_days(
    make_user: Callable[..., Any], make_provider: Callable[..., Provider]
) -> None:
    from microcred.credentials import services

    owner = make_user("owner")
    provider = make_provider("uni", owner, did_method="key")
    definition = services.create_definition(
        actor=owner, provider=provider, slug="d", name="Data", description="Data work"
    )
    definition = services.publish(actor=owner, definition=definition)
    issued = [
        services.issue_credential(
            actor=owner, definition=definition, recipient_email=f"l{n}@example.org"
        )
        for n in range(3)
    ]
    services.revoke(actor=owner, credential=issued[0], reason="mistake")
    # One credential issued "three days ago": it lands in that day's bar.
    type(issued[1]).objects.filter(pk=issued[1].pk).update(
        issued_at=timezone.now() - timedelta(days=3)
    )
    stats = selectors.stats(provider)
    assert (stats.issued, stats.active, stats.revoked, stats.suspended) == (3, 2, 1, 0)
    assert len(stats.per_day) == 30 and sum(count for _, count in stats.per_day) == 3
    today = timezone.now().date()
    assert dict(stats.per_day)[today] == 2
    assert dict(stats.per_day)[today - timedelta(days=3)] == 1
    assert stats.busiest_day == 2

"""Only a provider's owners (or the platform operator) manage its staff and keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from microcred.providers import selectors, services
from microcred.providers.models import AuditEvent, Membership, Provider, ProviderKey

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(make_provider: Callable[..., Provider], make_user: Callable[..., Any]) -> dict[str, Any]:
    alice, bob = make_user("alice"), make_user("bob")
    return {"a": make_provider("a", owner=alice), "b": make_provider("b", owner=bob),
            "alice": alice, "bob": bob}  # fmt: skip


def _counts() -> tuple[int, int, int]:
    return Membership.objects.count(), ProviderKey.objects.count(), AuditEvent.objects.count()


def test_owner_of_a_cannot_touch_b(two: dict[str, Any], make_user: Callable[..., Any]) -> None:
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.add_member(actor=two["alice"], provider=two["b"], user=two["alice"], role="owner")
    with pytest.raises(PermissionDenied):
        services.rotate_key(actor=two["alice"], provider=two["b"])
    with pytest.raises(PermissionDenied):
        services.update_provider(actor=two["alice"], provider=two["b"], name="Taken over")
    assert _counts() == before
    assert selectors.role_of(two["alice"], two["b"]) is None
    assert list(selectors.providers_for_user(two["alice"])) == [two["a"]]


@pytest.mark.parametrize("role", ["issuer", "viewer"])
def test_issuers_and_viewers_cannot_rotate_or_add_members(
    two: dict[str, Any], make_user: Callable[..., Any], role: str
) -> None:
    staff = make_user("staff")
    services.add_member(actor=two["alice"], provider=two["a"], user=staff, role=role)
    assert selectors.role_of(staff, two["a"]) == role
    before = _counts()
    with pytest.raises(PermissionDenied, match="owner"):
        services.rotate_key(actor=staff, provider=two["a"])
    with pytest.raises(PermissionDenied):
        services.add_member(actor=staff, provider=two["a"], user=make_user("x"), role="viewer")
    assert _counts()[1:] == before[1:]


def test_anonymous_users_can_do_nothing(two: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied, match="sign in"):
        services.rotate_key(actor=AnonymousUser(), provider=two["a"])
    assert selectors.role_of(AnonymousUser(), two["a"]) is None
    assert not selectors.providers_for_user(AnonymousUser()).exists()


def test_owner_adds_members_once_with_a_known_role(
    two: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    carol = make_user("carol")
    membership = services.add_member(
        actor=two["alice"], provider=two["a"], user=carol, role="issuer"
    )
    assert membership.role == "issuer"
    event = selectors.audit_events(two["a"]).first()
    assert event is not None
    assert (event.action, event.actor_id, event.details) == (
        "member.added", two["alice"].pk, {"user_id": carol.pk, "role": "issuer"},
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        services.add_member(actor=two["alice"], provider=two["a"], user=carol, role="viewer")
    assert "already a member" in caught.value.message_dict["user"][0]
    with pytest.raises(ValidationError) as caught:
        services.add_member(actor=two["alice"], provider=two["a"], user=make_user("d"), role="god")
    assert "role" in caught.value.message_dict


def test_the_operator_may_manage_any_provider(
    two: dict[str, Any], make_user: Callable[..., Any]
) -> None:
    operator = make_user("root", is_superuser=True, is_staff=True)
    services.add_member(actor=operator, provider=two["b"], user=two["alice"], role="viewer")
    assert services.rotate_key(actor=operator, provider=two["b"]).key_id == "key-2"
    assert selectors.role_of(operator, two["b"]) is None

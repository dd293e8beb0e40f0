"""Nobody manages another learner's sharing: every management route, tried by Bo with Ana's
ids and keys, is a 404 (or Bo's own empty page) and changes nothing; anonymous visitors are
sent to sign in. The public routes show only what a valid link names or what is public."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from microcred.sharing import services, urls
from microcred.sharing.models import Profile, ShareLink
from microcred.sharing.tests.conftest import IMPORTED, NAMES
from microcred.wallet.models import WalletCredential

pytestmark = pytest.mark.django_db
PUBLIC_ROUTES = {"shared", "profile", "public-credential", "badge"}


@pytest.fixture
def anas(learner: Any, wallet: dict[str, str]) -> dict[str, Any]:
    """Ana shares two credentials by link, makes one public and has a public profile."""
    link, token = services.create_link(learner, [wallet[NAMES[0]], wallet[IMPORTED]], label="x")
    services.set_public(learner, {wallet[NAMES[0]]})
    services.save_profile(learner, is_public=True, handle="ana", display_name="Ana", bio="")
    return {"link": link, "token": token, "keys": wallet}


def _requests(anas: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    keys = anas["keys"]
    return {
        "dashboard": ("get", "/sharing", {}),
        "profile-settings": ("get", "/sharing/profile", {}),
        "visibility": ("post", "/sharing/visibility", {"public": [keys[IMPORTED]]}),
        "new-link": ("post", "/sharing/links/new", {"credential": [keys[NAMES[1]]]}),
        "revoke": ("post", f"/sharing/links/{anas['link'].pk}/revoke", {}),
    }


def test_every_management_route_is_tried() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    fake = {"link": ShareLink(pk=1), "keys": dict.fromkeys([*NAMES, IMPORTED], "k")}
    assert names - PUBLIC_ROUTES == set(_requests(fake))


def _state() -> list[Any]:
    return [
        list(ShareLink.objects.values_list("pk", "owner", "revoked_at", "keys")),
        list(WalletCredential.objects.values_list("pk", "owner", "is_public")),
        list(Profile.objects.values_list("owner", "handle", "is_public")),
    ]


def test_another_learner_gets_404_on_every_management_route(
    anas: dict[str, Any], other_learner: Any
) -> None:
    bo = Client()
    bo.force_login(other_learner)
    before = _state()
    for name, (method, url, data) in _requests(anas).items():
        response = getattr(bo, method)(url, data)
        if name in ("dashboard", "profile-settings"):  # Bo's own pages: nothing of Ana's
            body = response.content.decode()
            assert response.status_code == 200, name
            for anas_thing in (*NAMES, IMPORTED, "Example Corp", 'value="ana"'):
                assert anas_thing not in body, (name, anas_thing)
        else:
            assert response.status_code == 404, (name, response.status_code)
    assert _state() == before
    assert Client().get(f"/share/{anas['token']}").status_code == 200  # still Ana's, valid


def test_anonymous_visitors_are_sent_to_sign_in(anas: dict[str, Any]) -> None:
    before = _state()
    for _name, (method, url, data) in _requests(anas).items():
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _state() == before


def test_the_public_routes_show_only_what_is_public(anas: dict[str, Any]) -> None:
    keys = anas["keys"]
    visitor = Client()
    profile = visitor.get("/people/ana").content.decode()
    assert NAMES[0] in profile and IMPORTED not in profile  # shared by link, not public
    assert visitor.get(f"/people/ana/{keys[IMPORTED]}").status_code == 404
    assert visitor.get(f"/people/ana/{keys[IMPORTED]}/badge.svg").status_code == 404
    assert visitor.get(f"/people/ana/{keys[NAMES[1]]}").status_code == 404
    assert visitor.get(f"/people/ana/{keys[NAMES[0]]}/badge.svg").status_code == 200
    shared = visitor.get(f"/share/{anas['token']}").content.decode()
    assert NAMES[0] in shared and IMPORTED in shared
    assert NAMES[1] not in shared and NAMES[2] not in shared

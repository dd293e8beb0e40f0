"""Nobody sees another learner's wallet: every wallet route, tried by another learner with
Ana's ids, is a 404 (or refuses) and changes nothing; anonymous visitors are sent to sign in."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from microcred.delivery.services import claim_all_for_user
from microcred.wallet import urls
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import OB3, WORK

pytestmark = pytest.mark.django_db


@pytest.fixture
def anas_things(learner: Any, issue: Any, fixtures_offline: None) -> dict[str, str]:
    from microcred.wallet import services

    [result] = services.import_bytes(
        learner, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    assert result.item is not None
    claimed = issue(WORK)
    claim_all_for_user(learner)
    uid = claimed.credential_id.removeprefix("urn:uuid:")
    return {"pk": str(result.item.pk), "uid": uid, "w": f"w{result.item.pk}", "c": f"c{uid}"}


def _requests(things: dict[str, str]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """One request per wallet route (by URL name), aimed at Ana's things."""
    return {
        "list": ("get", "/wallet", {}),
        "import": ("get", "/wallet/import", {}),
        "detail": ("get", f"/wallet/{things['pk']}", {}),
        "claimed": ("get", f"/wallet/claimed/{things['uid']}", {}),
        "presentation": (
            "post",
            "/wallet/presentation",
            {"credential": [things["w"], things["c"]]},
        ),
        "remove": ("post", f"/wallet/{things['pk']}/remove", {}),  # last: it removes
    }


def test_every_wallet_route_is_tried() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(_requests({"pk": "1", "uid": "u", "w": "w", "c": "c"}))


def _state() -> list[Any]:
    return list(WalletCredential.objects.order_by("pk").values_list("pk", "owner", "verdict"))


def test_another_learner_gets_404_on_every_route_with_anas_ids(
    anas_things: dict[str, str], other_learner: Any
) -> None:
    bo = Client()
    bo.force_login(other_learner)
    before = _state()
    for name, (method, url, data) in _requests(anas_things).items():
        response = getattr(bo, method)(url, data)
        if name in ("list", "import"):  # Bo's own pages: nothing of Ana's on them
            body = response.content.decode()
            assert response.status_code == 200, name
            for anas in (
                "Data Analysis Fundamentals",
                "Teamwork",
                "Example Corp",
                anas_things["uid"],
            ):
                assert anas not in body, (name, anas)
        else:
            assert response.status_code == 404, (name, response.status_code)
    assert _state() == before


def test_bos_list_shows_only_his_own(anas_things: dict[str, str], other_learner: Any) -> None:
    bo = Client()
    bo.force_login(other_learner)
    assert "Your wallet is empty" in bo.get("/wallet").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(anas_things: dict[str, str]) -> None:
    before = _state()
    for name, (method, url, data) in _requests(anas_things).items():
        response = getattr(Client(), method)(url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/accounts/login/"), name
    assert _state() == before


def test_ana_can_use_every_route(ana: Client, anas_things: dict[str, str]) -> None:
    for name, (method, url, data) in _requests(anas_things).items():
        response = getattr(ana, method)(url, data)
        assert response.status_code in (200, 302), (name, response.status_code)
    assert not WalletCredential.objects.exists()  # the last POST removed it

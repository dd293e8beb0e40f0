"""Nobody reaches another learner's data through export, backup, restore or deletion:
Bo naming Ana's wallet keys exports nothing, Bo's backup holds nothing of Ana's, and
anonymous visitors are sent to sign in on every route."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern

from microcred.delivery.services import claim_all_for_user
from microcred.portability import urls
from microcred.wallet import services as wallet_services
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import OB3, WORK

pytestmark = pytest.mark.django_db
LEARNER_ROUTES = {
    "export": "/wallet/export",
    "backup": "/wallet/backup",
    "restore": "/wallet/restore",
    "delete-account": "/account/delete",
}


@pytest.fixture
def anas_keys(learner: Any, issue: Any, offline: Any) -> list[str]:
    offline()
    [result] = wallet_services.import_bytes(
        learner, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    assert result.item is not None
    claimed = issue(WORK)
    claim_all_for_user(learner)
    return [f"w{result.item.pk}", "c" + claimed.credential_id.removeprefix("urn:uuid:")]


def test_every_learner_route_is_tried() -> None:
    names = {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)}
    assert names - {"platform-did"} == set(LEARNER_ROUTES)


def test_anonymous_visitors_are_sent_to_sign_in(db: None) -> None:
    for url in LEARNER_ROUTES.values():
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_learner_cannot_export_anas_credentials(
    anas_keys: list[str], other_learner: Any
) -> None:
    bo = Client()
    bo.force_login(other_learner)
    page = bo.get("/wallet/export").content.decode()
    assert "Teamwork" not in page and "Data Analysis Fundamentals" not in page
    for key in anas_keys:
        response = bo.post("/wallet/export", {"scope": "selected", "credential": [key]})
        assert response.status_code == 400, key
        assert response["Content-Type"].startswith("text/html")
    everything = bo.post("/wallet/export", {"scope": "all"})
    assert everything.status_code == 400  # Bo's wallet is empty: nothing of Ana's instead


def test_another_learners_backup_holds_nothing_of_anas(
    anas_keys: list[str], other_learner: Any
) -> None:
    bo = Client()
    bo.force_login(other_learner)
    response = bo.post(
        "/wallet/backup", {"passphrase": "bo's long phrase", "passphrase_again": "bo's long phrase"}
    )
    document = json.loads(response.content)
    assert document["credentials"] == [] and document["claimed"] == []
    text = response.content.decode()
    assert WORK not in text and "Teamwork" not in text
    count = WalletCredential.objects.count()
    assert bo.post("/account/delete", {"password": "a long pass phrase 42"}).status_code == 200
    assert WalletCredential.objects.count() == count  # Ana's wallet untouched


def test_the_wallet_links_to_export_backup_restore_and_deletion(ana: Client) -> None:
    page = ana.get("/wallet").content.decode()
    for path in ("/wallet/export", "/wallet/backup", "/wallet/restore", "/account/delete"):
        assert f'href="{path}"' in page, path

"""Share links: a link shows exactly what it names (page and signed presentation), nothing
about the learner, and nothing at all once revoked or expired; tokens are stored hashed."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from tests.verify.fixtures import fragment_keys, offline_fetcher

from microcred.core.verify.entry import verify_any
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions
from microcred.sharing import services
from microcred.sharing.models import ShareLink
from microcred.sharing.tests.conftest import IMPORTED, NAMES
from microcred.wallet import holder, verifying
from microcred.wallet.tests.conftest import HOME, WORK

pytestmark = pytest.mark.django_db
SHARED = [NAMES[0], NAMES[2], IMPORTED]  # three of four: NAMES[1] stays private


def _make(client: Client, keys: list[str], **fields: Any) -> str:
    """Make a link through the page; returns the URL shown once."""
    response = client.post("/sharing/links/new", {"credential": keys, **fields})
    assert response.status_code == 200, response.content.decode()[:2000]
    found = re.search(r'id="share-url"[^>]*value="([^"]+)"', response.content.decode())
    assert found, "the new link's URL is on the page"
    return found.group(1)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_a_link_shows_exactly_the_chosen_credentials_and_nothing_about_the_learner(
    ana: Client, wallet: dict[str, str], learner: Any
) -> None:
    url = _make(ana, [wallet[name] for name in SHARED], label="Acme application")
    page = Client().get(_path(url))
    body = page.content.decode()
    assert page.status_code == 200
    for name in SHARED:
        assert name in body
    assert NAMES[1] not in body  # not shared
    for personal in (WORK, HOME, "Acme application", holder_did(learner)):
        assert personal not in body, personal
    assert body.count("✔ Valid") == 3
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"


def holder_did(learner: Any) -> str:
    return holder.holder_key(learner).did_key


def test_the_token_is_long_and_only_its_hash_is_stored(ana: Client, wallet: dict[str, str]) -> None:
    url = _make(ana, [wallet[NAMES[0]]])
    token = url.rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64url
    [row] = ShareLink.objects.values_list("token_hash", "keys")
    assert row[0] == services.hash_token(token) and token not in json.dumps(row)
    assert Client().get(_path(url)[:-1] + ("A" if token[-1] != "A" else "B")).status_code == 404


def _options(**expected: Any) -> VerifyOptions:
    fetcher = verifying.PlatformFirstFetcher(StaticFetcher(), offline_fetcher())
    return VerifyOptions(fetcher=fetcher, local_keys=fragment_keys(), **expected)


@pytest.mark.parametrize(
    "request_kind", [{"HTTP_ACCEPT": "application/ld+json"}, {"QUERY_STRING": "format=json"}]
)
def test_json_is_a_presentation_of_exactly_those_credentials_signed_by_the_holder(
    ana: Client, wallet: dict[str, str], learner: Any, settings: Any, request_kind: Any
) -> None:
    settings.MICROCRED_BASE_URL = "https://wallet.example"
    url = _make(ana, [wallet[name] for name in SHARED])
    response = Client().get(_path(url), **request_kind)
    assert response.status_code == 200 and "json" in response["Content-Type"]
    document = json.loads(response.content)
    assert document["holder"] == holder_did(learner)
    assert document["proof"]["domain"] == "https://wallet.example"
    assert len(document["verifiableCredential"]) == 3
    reports = verify_any(response.content, name=url, options=_options())
    assert [r.kind for r in reports] == ["presentation", "credential", "credential", "credential"]
    assert all(r.verified for r in reports), [r.failed() for r in reports]
    names = {(r.credential or {})["credentialSubject"]["achievement"]["name"] for r in reports[1:]}
    assert names == set(SHARED)
    # The link's challenge is fixed: the same on every fetch (holder binding, not freshness).
    again = json.loads(Client().get(_path(url), HTTP_ACCEPT="application/json").content)
    assert again["proof"]["challenge"] == document["proof"]["challenge"]
    wrong = verify_any(response.content, name=url, options=_options(domain="https://evil.example"))
    assert not wrong[0].verified


def test_a_browser_gets_the_page(ana: Client, wallet: dict[str, str]) -> None:
    url = _make(ana, [wallet[NAMES[0]]])
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = Client().get(_path(url), HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith("text/html") and "Accept" in response["Vary"]


def _assert_gone(url: str) -> None:
    page = Client().get(_path(url))
    body = page.content.decode()
    assert page.status_code == 410 and "no longer valid" in body
    for name in (*NAMES, IMPORTED):
        assert name not in body
    problem = Client().get(_path(url), HTTP_ACCEPT="application/json")
    assert problem.status_code == 410
    assert problem["Content-Type"] == "application/problem+json"
    assert json.loads(problem.content)["status"] == 410
    assert "verifiableCredential" not in problem.content.decode()


def test_a_revoked_link_shows_nothing(ana: Client, wallet: dict[str, str]) -> None:
    url = _make(ana, [wallet[NAMES[0]]], label="for Acme")
    assert Client().get(_path(url)).status_code == 200
    [link] = ShareLink.objects.all()
    dashboard = ana.post(f"/sharing/links/{link.pk}/revoke", follow=True).content.decode()
    assert "Revoked" in dashboard and "for Acme" in dashboard
    _assert_gone(url)


def test_an_expired_link_shows_nothing(ana: Client, wallet: dict[str, str]) -> None:
    url = _make(ana, [wallet[NAMES[0]]], expires_in_days="2")
    [link] = ShareLink.objects.all()
    assert link.expires_at is not None
    assert timedelta(days=1) < link.expires_at - timezone.now() <= timedelta(days=2)
    assert Client().get(_path(url)).status_code == 200
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_gone(url)
    assert "Expired" in ana.get("/sharing").content.decode()


def test_an_expiry_date_ends_with_that_day(ana: Client, wallet: dict[str, str]) -> None:
    day = timezone.localdate() + timedelta(days=10)
    _make(ana, [wallet[NAMES[0]]], expires_on=day.isoformat())
    [link] = ShareLink.objects.all()
    assert timezone.localtime(link.expires_at).date() == day + timedelta(days=1)
    assert timezone.localtime(link.expires_at).hour == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose at least one credential."),
        ({"expires_in_days": "0"}, "greater than or equal to 1"),
        ({"expires_in_days": "3", "expires_on": "2099-01-01"}, "not both"),
        ({"expires_on": "2001-01-01"}, "The date is in the past."),
    ],
)
def test_bad_choices_make_no_link(
    ana: Client, wallet: dict[str, str], fields: dict[str, str], message: str
) -> None:
    data = {"credential": [wallet[NAMES[0]]]} if fields else {}
    response = ana.post("/sharing/links/new", {**data, **fields})
    assert response.status_code == 400 and message in response.content.decode()
    assert not ShareLink.objects.exists()


def test_a_credential_removed_from_the_wallet_leaves_every_link(
    ana: Client, wallet: dict[str, str]
) -> None:
    url = _make(ana, [wallet[IMPORTED], wallet[NAMES[0]]])
    ana.post(f"/wallet/{wallet[IMPORTED][1:]}/remove")
    body = Client().get(_path(url)).content.decode()
    assert NAMES[0] in body and IMPORTED not in body


def test_the_portal_answers_this_sites_share_links_without_http(
    ana: Client, wallet: dict[str, str], settings: Any
) -> None:
    """No server listens at this base URL: the portal reads the link from the database, as it
    does this site's credentials and status lists (one worker cannot fetch from itself)."""
    settings.MICROCRED_BASE_URL = "https://wallet.example"
    url = _make(ana, [wallet[name] for name in NAMES])
    api = "/api/v1/verify"
    results = Client().post(api, {"credentials": [url]}, content_type="application/json")
    verdicts = [entry["verdict"] for entry in results.json()["results"]]
    assert verdicts == ["valid"] * len(verdicts) and len(verdicts) >= 3
    assert all(name in results.content.decode() for name in NAMES)
    [link] = ShareLink.objects.all()
    services.revoke_link(link.owner, link.pk)
    results = Client().post(api, {"credentials": [url]}, content_type="application/json")
    assert [entry["verdict"] for entry in results.json()["results"]] == ["unusable"]
    assert "HTTP 410" in results.content.decode()

"""The public profile: off by default, shows only the credentials marked public, handles are
validated; the per-credential public page, its LinkedIn link and the embeddable badge."""

from __future__ import annotations

import html
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client

from microcred.sharing import handles, services
from microcred.sharing.tests.conftest import IMPORTED, NAMES
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import HOME, WORK, make_learner

pytestmark = pytest.mark.django_db
PROFILE = {"is_public": "on", "handle": "ana-lima", "display_name": "Ana Lima", "bio": "Data."}


def _publish(client: Client, **fields: str) -> Any:
    return client.post("/sharing/profile", {**PROFILE, **fields})


def test_the_profile_is_off_until_the_learner_opts_in(ana: Client, wallet: dict[str, str]) -> None:
    ana.post("/sharing/visibility", {"public": [wallet[NAMES[0]]]})
    _publish(ana, is_public="")  # handle chosen, but not public
    page = Client().get("/people/ana-lima")
    assert page.status_code == 404 and NAMES[0] not in page.content.decode()
    assert _publish(ana).status_code == 302
    assert Client().get("/people/ana-lima").status_code == 200
    _publish(ana, is_public="")  # opted out again: nothing
    assert Client().get("/people/ana-lima").status_code == 404
    assert Client().get(f"/people/ana-lima/{wallet[NAMES[0]]}").status_code == 404
    assert Client().get(f"/people/ana-lima/{wallet[NAMES[0]]}/badge.svg").status_code == 404


def test_the_profile_shows_only_public_credentials(ana: Client, wallet: dict[str, str]) -> None:
    _publish(ana)
    ana.post("/sharing/visibility", {"public": [wallet[NAMES[0]], wallet[IMPORTED]]})
    body = Client().get("/PEOPLE/ana-lima".lower()).content.decode()
    assert "Ana Lima" in body and "Data." in body
    assert NAMES[0] in body and IMPORTED in body
    assert NAMES[1] not in body and NAMES[2] not in body
    for address in (WORK, HOME):
        assert address not in body
    # Private again: gone from the profile, its page and its badge.
    ana.post("/sharing/visibility", {"public": [wallet[IMPORTED]]})
    body = Client().get("/people/ana-lima").content.decode()
    assert NAMES[0] not in body and IMPORTED in body
    assert Client().get(f"/people/ana-lima/{wallet[NAMES[0]]}").status_code == 404


def test_a_claimed_credential_made_public_is_still_listed_once_in_the_wallet(
    ana: Client, wallet: dict[str, str]
) -> None:
    ana.post("/sharing/visibility", {"public": [wallet[NAMES[1]]]})
    assert WalletCredential.objects.filter(issued__isnull=False, is_public=True).count() == 1
    assert ana.get("/wallet").content.decode().count(f">{NAMES[1]}</a>") == 1
    ana.post("/sharing/visibility", {"public": []})
    assert not WalletCredential.objects.filter(is_public=True).exists()


def test_a_credential_of_another_learner_cannot_be_made_public(
    ana: Client, wallet: dict[str, str], other_learner: Any
) -> None:
    bo = Client()
    bo.force_login(other_learner)
    assert bo.post("/sharing/visibility", {"public": [wallet[IMPORTED]]}).status_code == 404
    assert not WalletCredential.objects.filter(is_public=True).exists()


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("admin", "is reserved"),
        ("wallet", "is reserved"),
        ("ab", "is 3 to 30 characters"),
        ("Ana Lima", "lower-case letters"),
        ("-ana", "lower-case letters"),
        ("ana--lima", "lower-case letters"),
        ("", "choose a handle"),
    ],
)
def test_bad_handles_are_refused(ana: Client, handle: str, message: str) -> None:
    response = _publish(ana, handle=handle)
    assert (
        response.status_code == 400 and message in html.unescape(response.content.decode()).lower()
    )


def test_a_taken_handle_is_refused_whatever_its_case(ana: Client, db: None) -> None:
    services.save_profile(
        make_learner("cy", "cy@example.org"),
        is_public=True,
        handle="ana-lima",
        display_name="Cy",
        bio="",
    )
    response = _publish(ana, handle="Ana-Lima")
    assert response.status_code == 400 and "taken" in response.content.decode()


def test_handle_rules() -> None:
    assert handles.handle_error("ana-lima-2") is None
    assert handles.normalise("  Ana-Lima ") == "ana-lima"
    assert handles.handle_error("x" * 31) is not None


def test_public_credential_page_linkedin_and_an_escaped_embed_snippet(
    ana: Client, wallet: dict[str, str], settings: Any
) -> None:
    settings.MICROCRED_BASE_URL = "https://wallet.example"
    _publish(ana, display_name='Ana "<script>"')
    ana.post("/sharing/visibility", {"public": [wallet[IMPORTED]]})
    key = wallet[IMPORTED]
    page = Client().get(f"/people/ana-lima/{key}")
    assert page.status_code == 200 and IMPORTED in page.content.decode()
    assert "<script>" not in page.content.decode()
    dashboard = ana.get("/sharing").content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in dashboard
    assert "certUrl=https%3A%2F%2Fwallet.example%2Fpeople%2Fana-lima%2F" + key in dashboard
    snippet = html.unescape(dashboard.split("readonly>", 1)[1].split("</textarea>", 1)[0])
    assert snippet == (
        f'<a href="https://wallet.example/people/ana-lima/{key}" title="Teamwork — Example Corp">'
        f'<img src="https://wallet.example/people/ana-lima/{key}/badge.svg" '
        'alt="Badge: Teamwork" width="160" height="160"></a>'
    )


def test_the_badge_is_an_svg_with_escaped_text(ana: Client, wallet: dict[str, str]) -> None:
    _publish(ana)
    ana.post("/sharing/visibility", {"public": [wallet[IMPORTED]]})
    svg = Client().get(f"/people/ana-lima/{wallet[IMPORTED]}/badge.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"Teamwork" in svg.content and "✔ Valid".encode() in svg.content
    from microcred.sharing.badges import badge_svg

    hostile = badge_svg('<script>alert("x")</script>', "A & B", "revoked", "Revoked").decode()
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile and "A &amp; B" in hostile
    parsed = ElementTree.fromstring(hostile)  # well-formed, the texts intact once parsed
    assert parsed.get("aria-label") == '<script>alert("x")</script> — A & B — Revoked'

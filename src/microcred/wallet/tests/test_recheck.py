"""Status re-checked when shown: a credential revoked after import shows as revoked once its
stored report is older than MICROCRED_WALLET_RECHECK_SECONDS (and not before: the report is
a cache). Imports by URL go through the SSRF-safe fetcher; loopback only when allowed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.localserver import serve

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.statuslist import StatusList, status_entry, status_list_credential
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.model.builder import build_credential
from microcred.core.model.samples import sample_achievement, sample_issuer
from microcred.credentials import services as credential_services
from microcred.delivery.services import claim_all_for_user
from microcred.wallet import services
from microcred.wallet.models import WalletCredential
from microcred.wallet.tests.conftest import WORK

pytestmark = pytest.mark.django_db
INDEX = 5
JSON = {"Content-Type": "application/json"}


class Issuer:
    """A remote issuer on loopback: a did:key credential and its status list (mutable)."""

    def __init__(self) -> None:
        self.key = Ed25519KeyPair.generate()
        self.routes: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def credential(self, base: str) -> bytes:
        unsigned = build_credential(
            issuer=sample_issuer(self.key.did_key),
            achievement=sample_achievement(),
            recipient_email=WORK,
            credential_status=status_entry(f"{base}/list", INDEX, "revocation"),
        )
        return json.dumps(sign_credential(unsigned, self.key, suite="eddsa-rdfc-2022")).encode()

    def publish_list(self, base: str, *, revoked: bool) -> None:
        bits = StatusList.create()
        bits.set(INDEX, int(revoked))
        unsigned = status_list_credential(
            f"{base}/list", "revocation", self.key.did_key, bits.encode(), "2025-01-01T00:00:00Z"
        )
        signed = sign_credential(unsigned, self.key, suite="eddsa-rdfc-2022")
        self.routes["/list"] = (200, JSON, json.dumps(signed).encode())


def test_a_credential_revoked_after_import_shows_revoked_once_the_report_is_stale(
    ana: Client, learner: Any, settings: Any
) -> None:
    settings.MICROCRED_WALLET_ALLOW_PRIVATE_URLS = True
    issuer = Issuer()
    with serve(issuer.routes) as base:
        issuer.routes["/cred.json"] = (200, JSON, issuer.credential(base))
        issuer.publish_list(base, revoked=False)
        page = ana.post(
            "/wallet/import",
            {"method": "url", "url-url": f"{base}/cred.json", "url-if_failing": "refuse"},
        ).content.decode()
        assert "Added:" in page
        item = WalletCredential.objects.get(owner=learner)
        assert (item.source, item.source_name, item.verdict) == (
            "url",
            f"{base}/cred.json",
            "valid",
        )

        issuer.publish_list(base, revoked=True)
        assert "pill-valid" in ana.get("/wallet").content.decode()  # cached for an hour
        settings.MICROCRED_WALLET_RECHECK_SECONDS = 0
        listing = ana.get("/wallet").content.decode()
        assert "pill-revoked" in listing and "pill-valid" not in listing
        detail = ana.get(f"/wallet/{item.pk}").content.decode()
    assert "REVOKED" in detail and "Revoked: the issuer has revoked this credential" in detail
    item.refresh_from_db()
    assert item.verdict == "revoked" and item.report["verified"] is False


def test_an_unreachable_status_list_is_never_shown_as_valid(learner: Any, settings: Any) -> None:
    settings.MICROCRED_WALLET_ALLOW_PRIVATE_URLS = True
    issuer = Issuer()
    with serve(issuer.routes) as base:
        issuer.routes["/cred.json"] = (200, JSON, issuer.credential(base))
        issuer.routes["/list"] = (500, {}, b"down")
        [refused] = services.import_url(learner, f"{base}/cred.json")
        [kept] = services.import_url(learner, f"{base}/cred.json", keep_failing=True)
    assert refused.state == "refused" and "status could not be checked" in refused.message
    assert kept.item is not None and kept.item.verdict == "unchecked"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1:9/cred.json", "only https URLs are fetched"),
        ("https://127.0.0.1:9/cred.json", "non-public address 127.0.0.1"),
        ("https://10.0.0.8/cred.json", "non-public address 10.0.0.8"),
        ("https://[::1]/cred.json", "non-public address ::1"),
    ],
)
def test_urls_to_private_addresses_are_refused(
    ana: Client, learner: Any, url: str, message: str
) -> None:
    page = ana.post(
        "/wallet/import", {"method": "url", "url-url": url, "url-if_failing": "keep"}
    ).content.decode()
    assert "Not added: the URL could not be fetched" in page and message in page
    assert not WalletCredential.objects.exists()


def test_a_server_answering_something_else_stores_nothing(learner: Any, settings: Any) -> None:
    settings.MICROCRED_WALLET_ALLOW_PRIVATE_URLS = True
    routes = {
        "/page": (200, {"Content-Type": "text/html"}, b"<html><body>Hello</body></html>"),
        "/missing": (404, {}, b"no"),
        "/loop": (302, {"Location": "/loop"}, b""),
    }
    with serve(routes) as base:
        for path, message in (
            ("/page", "Not added"),
            ("/missing", "HTTP 404"),
            ("/loop", "redirects"),
        ):
            [result] = services.import_url(learner, base + path, keep_failing=True)
            assert result.state == "refused" and message in result.message, (path, result)
    assert not WalletCredential.objects.exists()


def test_a_platform_credential_revoked_after_import_shows_revoked(
    ana: Client, learner: Any, issue: Any, staff: dict[str, Any], settings: Any
) -> None:
    credential = issue("ana.old@example.net")  # not a verified address: imported, not claimed
    [result] = services.import_bytes(
        learner, json.dumps(credential.document).encode(), source="paste", name="p"
    )
    assert result.item is not None and result.item.verdict == "valid"
    credential_services.revoke(actor=staff["owner"], credential=credential, reason="error")
    settings.MICROCRED_WALLET_RECHECK_SECONDS = 0
    assert "pill-revoked" in ana.get("/wallet").content.decode()


def test_a_claimed_credential_shows_its_current_standing(
    ana: Client, learner: Any, issue: Any, staff: dict[str, Any]
) -> None:
    credential = issue(WORK)
    claim_all_for_user(learner)
    listing = ana.get("/wallet").content.decode()
    assert "Data Analysis Fundamentals" in listing and "pill-valid" in listing
    credential_services.revoke(actor=staff["owner"], credential=credential, reason="error")
    listing = ana.get("/wallet").content.decode()
    assert "pill-revoked" in listing and "pill-valid" not in listing
    uid = credential.credential_id.removeprefix("urn:uuid:")
    detail = ana.get(f"/wallet/claimed/{uid}").content.decode()
    assert "REVOKED" in detail and f"Issued to one of your verified addresses: {WORK}" in detail


def test_a_badge_baked_with_a_hosted_assertion_url_is_fetched(
    learner: Any, settings: Any, fixtures_offline: None
) -> None:
    import io

    from PIL import Image

    from microcred.core.crypto.baking import bake_png
    from microcred.wallet.tests.conftest import OB2

    settings.MICROCRED_WALLET_ALLOW_PRIVATE_URLS = True
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    assertion = (OB2 / "basic-assertion.json").read_bytes()
    routes = {"/assertion.json": (200, JSON, assertion)}
    with serve(routes) as base:
        badge = bake_png(buffer.getvalue(), f"{base}/assertion.json", keyword="openbadges")
        [result] = services.import_bytes(learner, badge, source="upload", name="badge.png")
        [gone] = services.import_bytes(
            learner,
            bake_png(buffer.getvalue(), f"{base}/nothing", keyword="openbadges"),
            source="upload",
            name="other.png",
        )
    assert result.state == "added", (result.message, result.report)
    assert result.item is not None and result.item.format == "ob2-hosted"
    assert bytes(result.item.original) == assertion
    assert gone.state == "refused" and "could not be fetched" in gone.message

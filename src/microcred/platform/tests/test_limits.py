"""Rate limits: each trips with 429 + Retry-After after the configured count and resets
after its window. Limits are set low here with ``settings``; the windows' clock is
``ratelimit.clock``, moved by the test (nothing sleeps)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.platform import ratelimit

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough passphrase 7"
BASE_RATES = {
    "sign_in": "0",
    "sign_in_failures": "0",
    "sign_up": "0",
    "password_reset": "0",
    "imports": "0",
}


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moment = Clock(999_999_610.0)  # 10 s into a 60 s window and into a 600 s one
    monkeypatch.setattr(ratelimit, "clock", moment)
    return moment


@pytest.fixture
def rates(settings: Any) -> dict[str, str]:
    """All limits off except what the test turns on (``rates["sign_in"] = "3/60"``)."""
    settings.MICROCRED_RATES = dict(BASE_RATES)
    return settings.MICROCRED_RATES  # type: ignore[no-any-return]


def _account(email: str) -> Any:
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]

    user = get_user_model().objects.create_user(email, email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _sign_in(client: Client, email: str, password: str, address: str = "10.0.0.1") -> Any:
    data = {"login": email, "password": password}
    return client.post("/accounts/login/", data, REMOTE_ADDR=address)


def _is_friendly_429(response: Any, retry_after: int) -> None:
    assert response.status_code == 429
    assert response["Retry-After"] == str(retry_after)
    text = response.content.decode()
    assert "Please wait a moment" in text and f"try again in {retry_after} second" in text


def test_sign_in_per_address_trips_then_resets(client: Client, rates: Any, clock: Clock) -> None:
    rates["sign_in"] = "3/60"
    for _ in range(3):
        assert _sign_in(client, "nobody@example.org", "wrong").status_code == 200
    refused = _sign_in(client, "nobody@example.org", "wrong")
    _is_friendly_429(refused, 50)
    assert _sign_in(client, "x@example.org", "wrong", address="10.0.0.2").status_code == 200
    clock.now += 50  # the next window
    assert _sign_in(client, "nobody@example.org", "wrong").status_code == 200


def test_failed_sign_ins_lock_the_account_from_every_address(
    client: Client, rates: Any, clock: Clock
) -> None:
    rates["sign_in_failures"] = "2/600"
    _account("ana@example.org")
    _account("bo@example.org")
    assert _sign_in(client, "ana@example.org", "guess 1", "10.0.0.1").status_code == 200
    assert _sign_in(client, "ANA@example.org", "guess 2", "10.0.0.2").status_code == 200
    # Even the right password, from a third address, waits for the window to end.
    _is_friendly_429(_sign_in(client, "ana@example.org", PASSWORD, "10.0.0.3"), 590)
    assert _sign_in(client, "bo@example.org", PASSWORD, "10.0.0.3").status_code == 302
    clock.now += 590
    assert _sign_in(Client(), "ana@example.org", PASSWORD, "10.0.0.3").status_code == 302


def test_successful_sign_ins_are_not_failures(client: Client, rates: Any, clock: Clock) -> None:
    rates["sign_in_failures"] = "1/600"
    _account("ana@example.org")
    for _ in range(3):
        assert _sign_in(Client(), "ana@example.org", PASSWORD).status_code == 302


def test_sign_up_trips(client: Client, rates: Any, clock: Clock) -> None:
    rates["sign_up"] = "2/3600"
    for n in range(2):
        data = {"email": f"new{n}@example.org", "password1": PASSWORD, "password2": PASSWORD}
        assert client.post("/accounts/signup/", data, REMOTE_ADDR="10.0.0.9").status_code == 302
    data = {"email": "new3@example.org", "password1": PASSWORD, "password2": PASSWORD}
    refused = client.post("/accounts/signup/", data, REMOTE_ADDR="10.0.0.9")
    _is_friendly_429(refused, 3600 - 999_999_610 % 3600)
    assert not get_user_model().objects.filter(email="new3@example.org").exists()


def test_password_reset_per_address_and_per_email(client: Client, rates: Any, clock: Clock) -> None:
    rates["password_reset"] = "2/600"
    url = "/accounts/password/reset/"
    for address in ("10.0.0.1", "10.0.0.2"):  # one email, from two addresses
        assert client.post(url, {"email": "x@example.org"}, REMOTE_ADDR=address).status_code == 302
    _is_friendly_429(client.post(url, {"email": "x@example.org"}, REMOTE_ADDR="10.0.0.3"), 590)
    # one address, other emails: the address's budget (2) is spent after one more
    assert client.post(url, {"email": "y@example.org"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    assert client.post(url, {"email": "z@example.org"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    clock.now += 590
    assert client.post(url, {"email": "x@example.org"}, REMOTE_ADDR="10.0.0.3").status_code == 302


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = json.loads(response.content)
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    "path",
    ["/api/v1/bulk-jobs/dry-run", "/api/v1/bulk-jobs", "/ims/ob/v3p0/credentials"],
)
def test_api_uploads_are_limited_per_token_with_problem_json(
    client: Client, rates: Any, clock: Clock, path: str
) -> None:
    rates["imports"] = "2/600"

    def post(token: str) -> Any:
        return client.post(path, b"{}", "application/json", HTTP_AUTHORIZATION=f"Bearer {token}")

    for _ in range(2):
        assert post("mc_one").status_code != 429
    body = _problem(post("mc_one"), 429)
    assert body["type"] == "urn:microcred:problem:too-many-requests"
    assert "Try again in 590 s." in body["detail"]
    assert post("mc_two").status_code != 429


def test_wallet_import_is_limited_per_account(rates: Any, clock: Clock) -> None:
    rates["imports"] = "1/600"
    ana, bo = Client(), Client()
    ana.force_login(_account("ana@example.org"))
    bo.force_login(_account("bo@example.org"))
    assert ana.post("/wallet/import", {"pasted": "{}"}).status_code != 429
    _is_friendly_429(ana.post("/wallet/restore", {}), 590)  # import and restore: one budget
    assert bo.post("/wallet/import", {"pasted": "{}"}).status_code != 429  # same address
    clock.now += 590
    assert ana.post("/wallet/import", {"pasted": "{}"}).status_code != 429


def test_bulk_upload_page_is_limited(rates: Any, clock: Clock) -> None:
    rates["imports"] = "1/600"
    client = Client()
    client.force_login(_account("ana@example.org"))
    url = "/providers/some-provider/definitions/some-definition/bulk"
    assert client.post(url, {}).status_code != 429
    _is_friendly_429(client.post(url, {}), 590)


def test_verification_api_resets_after_the_minute(
    client: Client, settings: Any, clock: Clock
) -> None:
    settings.MICROCRED_VERIFY_RATE_PER_MINUTE = 1
    body = json.dumps({"credentials": ["not a credential"]})
    assert client.post("/api/v1/verify", body, "application/json").status_code == 200
    refused = client.post("/api/v1/verify", body, "application/json")
    assert _problem(refused, 429) and refused["Retry-After"] == "50"
    clock.now += 50
    assert client.post("/api/v1/verify", body, "application/json").status_code == 200


def test_verification_counts_the_forwarded_client_only_from_a_trusted_proxy(
    client: Client, settings: Any, clock: Clock
) -> None:
    settings.MICROCRED_VERIFY_RATE_PER_MINUTE = 1
    body = json.dumps({"credentials": ["not a credential"]})

    def post(remote: str, forwarded: str) -> int:
        response = client.post(
            "/api/v1/verify",
            body,
            "application/json",
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=forwarded,
        )
        return int(response.status_code)

    # Untrusted: X-Forwarded-For is ignored; the address itself is counted.
    assert [post("10.1.1.1", "1.1.1.1"), post("10.1.1.1", "2.2.2.2")] == [200, 429]
    settings.MICROCRED_TRUSTED_PROXIES = ("10.9.0.0/16",)
    # Behind the proxy, two clients have a budget each; a forged left-most entry changes nothing.
    assert [post("10.9.0.5", "3.3.3.3"), post("10.9.0.5", "4.4.4.4")] == [200, 200]
    assert post("10.9.0.6", "9.9.9.9, 3.3.3.3") == 429


def test_allauth_limits_answer_429_with_retry_after(settings: Any) -> None:
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "change_password": "1/m/user"}
    client = Client()
    client.force_login(_account("ana@example.org"))
    data = {"oldpassword": "wrong", "password1": PASSWORD, "password2": PASSWORD}
    assert client.post("/accounts/password/change/", data).status_code == 200
    _is_friendly_429(client.post("/accounts/password/change/", data), 60)

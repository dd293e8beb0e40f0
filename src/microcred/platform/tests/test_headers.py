"""Security headers on pages and the API, 413 for oversize bodies, a password reset that
tells nobody which accounts exist, the shared database counters, and the configuration."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from microcred.platform import config, ratelimit
from microcred.platform.ratelimit import Rate

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.parametrize("path", ["/", "/verify", "/accounts/login/", "/api/v1/openapi.json"])
def test_pages_and_api_carry_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in response  # the test site is http


def test_hsts_only_when_the_site_is_https(client: Client, settings: Any) -> None:
    settings.MICROCRED_BASE_URL = "https://credentials.example.org"
    assert client.get("/")["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: Client, settings: Any) -> None:
    settings.MICROCRED_MAX_REQUEST_BYTES = 1000
    api = client.post("/api/v1/verify", b"x" * 1001, "application/json")
    assert api.status_code == 413 and api["Content-Type"] == "application/problem+json"
    assert "1001 bytes: at most 1000" in json.loads(api.content)["detail"]
    page = client.post("/wallet/import", {"pasted": "x" * 1200})
    assert page.status_code == 413 and "at most 1000 bytes" in page.content.decode()
    assert client.post("/api/v1/verify", b"{}", "application/json").status_code != 413


def _reset(client: Client, email: str) -> tuple[int, str, str]:
    response = client.post("/accounts/password/reset/", {"email": email})
    follow = client.get(response["Location"])
    return response.status_code, response["Location"], follow.content.decode()


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client: Client) -> None:
    get_user_model().objects.create_user("ana", email="ana@example.org", password="x" * 20)
    known = _reset(client, "ana@example.org")
    unknown = _reset(Client(), "nobody@example.org")
    assert known == unknown and known[0] == 302
    # Nothing is sent while the request runs (its duration would tell): one queued message,
    # for the known address only.
    assert mail.outbox == []
    queued = [r.args_kwargs["args"][-1] for r in DBTaskResult.objects.all()]
    assert queued == [["ana@example.org"]]


@override_settings(TASKS=IMMEDIATE)
def test_the_reset_message_goes_to_known_accounts_only(client: Client) -> None:
    get_user_model().objects.create_user("ana", email="ana@example.org", password="x" * 20)
    client.post("/accounts/password/reset/", {"email": "ana@example.org"})
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


DB_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "microcred_cache_test",
    }
}


@override_settings(CACHES=DB_CACHE)
def test_counters_in_the_database_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    call_command("createcachetable", verbosity=0)
    monkeypatch.setattr(ratelimit, "clock", lambda: 120.0)
    rate = Rate(3, 60)
    assert [ratelimit.hit("t", "a", rate).allowed for _ in range(4)] == [True] * 3 + [False]
    assert ratelimit.hit("t", "b", rate, cost=3).allowed  # another client
    assert not ratelimit.hit("t", "b", rate).allowed
    assert not ratelimit.spent("t", "a", rate).allowed
    monkeypatch.setattr(ratelimit, "clock", lambda: 180.0)
    assert ratelimit.hit("t", "a", rate).allowed


def test_configuration_of_the_limits() -> None:
    env = {"MICROCRED_ENV": "development"}
    defaults = config.load(env).limits
    assert defaults.cache_url == "db" and defaults.sign_in == "20/60"
    assert config.load({"MICROCRED_ENV": "test"}).limits.cache_url == "locmem"
    custom = config.load(
        {
            **env,
            "MICROCRED_RATE_SIGN_IN": "0",
            "MICROCRED_TRUSTED_PROXIES": "10.0.0.1, 10.9.0.0/16",
            "MICROCRED_MAX_REQUEST_BYTES": "1048576",
        }
    ).limits
    assert custom.sign_in == "0" and Rate.parse(custom.sign_in) is None
    assert custom.trusted_proxies == ("10.0.0.1", "10.9.0.0/16")
    assert custom.max_request_bytes == 1048576
    with pytest.raises(config.ConfigurationError, match="MICROCRED_RATE_IMPORT"):
        config.load({**env, "MICROCRED_RATE_IMPORT": "lots"})
    with pytest.raises(config.ConfigurationError, match="MICROCRED_MAX_REQUEST_BYTES"):
        config.load({**env, "MICROCRED_MAX_REQUEST_BYTES": "1 GB"})

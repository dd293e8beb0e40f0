"""Small assertions and clients shared by the access-control tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from microcred.platform.tests.access_world import World

LOGIN = "/accounts/login/"
PROBLEM = "application/problem+json"
A_STAFF = {"viewer": "a_viewer", "issuer": "a_issuer", "owner": "a_owner"}


def signed_in(world: World, who: str | None, **options: Any) -> Client:
    """A test client, signed in as ``who`` (a name in ``world.users``) unless None."""
    client = Client(**options)
    if who is not None:
        client.force_login(world.users[who])
    return client


def bearer(secret: str, **headers: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}", **headers})


def send(client: Client, method: str, url: str, data: Any = None, multipart: bool = False) -> Any:
    """One request; JSON bodies unless ``multipart`` (or a plain form for pages)."""
    call = getattr(client, method)
    if method in ("get", "head"):
        return call(url)
    if multipart:
        return call(url, data or {})
    return call(url, json.dumps(data if data is not None else {}), "application/json")


def assert_login_redirect(response: Any, url: str) -> None:
    assert response.status_code == 302, (url, response.status_code)
    assert response["Location"].startswith(LOGIN), (url, response["Location"])


def assert_refused(response: Any, url: str, allowed: tuple[int, ...] = (403, 404)) -> None:
    assert response.status_code in allowed, (url, response.status_code, response.content[:300])


def assert_problem(response: Any, statuses: tuple[int, ...]) -> dict[str, Any]:
    """An RFC 9457 problem with one of ``statuses``."""
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert response["Content-Type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["status"] == response.status_code and body["title"] and "detail" in body
    return body


def assert_csrf_refusal(response: Any, url: str) -> None:
    assert response.status_code == 403, (url, response.status_code)
    assert b"CSRF" in response.content, (url, response.content[:300])


def mentions(response: Any, needles: list[str]) -> list[str]:
    """Which of ``needles`` occur in the response body."""
    body = response.content.decode("utf-8", errors="replace")
    return [needle for needle in needles if str(needle) in body]

"""A bounded load test: 50 concurrent ``POST /api/v1/verify`` requests against a running
server on loopback. No timing is asserted; every answer must be a 200 with the right
verdict for each credential (no error, no mix-up between concurrent requests)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from microcred.verification.tests.conftest import signed_elsewhere

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
REQUESTS, WORKERS = 50, 10


def test_concurrent_verification_requests(live_server: Any, issue: Any) -> None:
    valid, revoked = issue(), issue("bo@example.org", state="revoked")
    expired = signed_elsewhere(expired=True).decode()
    bodies = [
        # Each request a different mix, so that answers cannot be swapped unnoticed.
        ([valid.document, revoked.document, expired][: 1 + n % 3], n)
        for n in range(REQUESTS)
    ]
    expected = ["valid", "revoked", "expired"]

    def send(body: tuple[list[Any], int]) -> tuple[int, int, list[str]]:
        credentials, number = body
        with httpx.Client(timeout=60) as client:
            response = client.post(
                live_server.url + "/api/v1/verify", json={"credentials": credentials}
            )
        verdicts = [e["verdict"] for e in response.json()["results"]] if response.is_success else []
        return number, response.status_code, verdicts

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(send, bodies))
    assert [status for _, status, _ in answers] == [200] * REQUESTS
    for number, _, verdicts in answers:
        assert verdicts == expected[: 1 + number % 3], number

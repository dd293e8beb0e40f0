"""Issue 4's "done when" for sharing, end to end: Ana shares three credentials with a link
that expires; an employer gives that URL to the verification portal (page and API) and to
`microcred verify`, which fetch it over HTTP (Accept: JSON) and verify the presentation and
each credential. Once Ana revokes the link, the same URL verifies nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from microcred.sharing import services
from microcred.sharing.tests.conftest import IMPORTED, NAMES

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


@pytest.fixture
def link(live_server: Any, settings: Any, learner: Any, request: pytest.FixtureRequest) -> str:
    settings.MICROCRED_BASE_URL = live_server.url  # ids, status lists and links point here
    settings.MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK = True
    keys = request.getfixturevalue("wallet")
    _link, token = services.create_link(
        learner, [keys[name] for name in NAMES], expires_at=timezone.now() + timedelta(days=7)
    )
    assert IMPORTED not in json.dumps(_link.keys)
    return f"{live_server.url}/share/{token}"


def _cli(url: str) -> tuple[int, list[dict[str, Any]]]:
    done = subprocess.run(
        [sys.executable, "-m", "microcred", "verify", url, "--json", "--allow-private-network"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return done.returncode, json.loads(done.stdout)


def test_the_portal_and_the_cli_verify_the_shared_credentials(link: str, learner: Any) -> None:
    results = (
        Client()
        .post("/api/v1/verify", {"credentials": [link]}, content_type="application/json")
        .json()["results"]
    )
    assert [e["verdict"] for e in results] == ["valid"] * len(results), results
    text = json.dumps(results)
    assert all(name in text for name in NAMES) and IMPORTED not in text

    page = Client().post("/verify", {"urls": link}).content.decode()
    assert all(name in page for name in NAMES) and "Not valid" not in page

    code, reports = _cli(link)
    assert code == 0, [r["checks"] for r in reports if not r["verified"]]
    assert [r["kind"] for r in reports] == [
        "presentation",
        "credential",
        "credential",
        "credential",
    ]
    assert all(name in json.dumps(reports) for name in NAMES)

    [row] = learner.share_links.all()
    services.revoke_link(learner, row.pk)
    code, reports = _cli(link)
    assert code == 1 and "HTTP 410" in json.dumps(reports)
    results = (
        Client()
        .post("/api/v1/verify", {"credentials": [link]}, content_type="application/json")
        .json()["results"]
    )
    assert [e["verdict"] for e in results] == ["unusable"]

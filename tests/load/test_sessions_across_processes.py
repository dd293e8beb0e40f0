"""Sessions work across app processes: sign in through one ``microcred serve``, carry on
through another (sessions live in the database; every process shares the secret key), and
signing out through the second ends the session on the first as well.

Runs on PostgreSQL in the ``storage`` rerun (``MICROCRED_DATABASE_URL``), else a SQLite file.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.load.databases import scratch_database
from tests.load.servers import run_actor, serve

EMAIL, PASSWORD = "ana@example.com", "a long pass phrase 42"

pytestmark = [pytest.mark.storage, pytest.mark.slow]


def _csrf(client: httpx.Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def test_a_session_made_on_one_process_works_on_another(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "sessions") as url:
        run_actor("account", url, tmp_path, EMAIL, PASSWORD)
        with serve(url, tmp_path, 2) as (first, second), httpx.Client() as client:
            # Anonymous: the second process sends us to sign in.
            assert client.get(f"{second}/accounts/email/").status_code == 302
            token = _csrf(client, f"{first}/accounts/login/")
            signed_in = client.post(
                f"{first}/accounts/login/",
                data={"login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": token},
                headers={"Referer": f"{first}/accounts/login/"},
            )
            assert signed_in.status_code == 302, signed_in.text[:500]
            assert "sessionid" in client.cookies
            # The cookie set by the first process is a session on the second.
            page = client.get(f"{second}/accounts/email/")
            assert page.status_code == 200 and EMAIL in page.text
            # Signing out on the second ends it on the first too (one session table): the
            # old cookie, replayed, no longer signs anyone in anywhere.
            stolen = client.cookies["sessionid"]
            token = _csrf(client, f"{second}/accounts/logout/")
            out = client.post(
                f"{second}/accounts/logout/",
                data={"csrfmiddlewaretoken": token},
                headers={"Referer": f"{second}/accounts/logout/"},
            )
            assert out.status_code == 302
            again = httpx.get(f"{first}/accounts/email/", cookies={"sessionid": stolen})
            assert again.status_code == 302 and "/accounts/login/" in again.headers["location"]

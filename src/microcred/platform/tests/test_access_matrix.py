"""Issue 7's access-control matrix: every route, as every kind of user, for GET and the
unsafe methods, against what ``access_matrix.expected`` derives from the tables.

One test per row (a page case, an API operation or an admin route) tries all eight actors
(``access_matrix.ACTORS``). Each request runs in a savepoint that is rolled back, so one
actor's allowed write never changes what the next one sees; an unsafe request that is
refused or rejected (any 4xx) must leave every table as it was. On a learner's pages
(``Kind.LEARNER``/``SIGNED_IN``) nobody else may see anything of learner A's (her address,
goal, matching name) nor, by a write of their own, change any of her rows (``anas()``).
A failure prints the row's matrix: wrong cells as ``expected!=got``, ``changed!``,
``Ana's data!`` or ``shows '...'``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from microcred.platform.tests import access_matrix as matrix
from microcred.platform.tests import access_table as table
from microcred.platform.tests.access_cases import Kind
from microcred.platform.tests.access_checks import LOGIN, send
from microcred.platform.tests.access_matrix import ACTORS, REFUSALS, Row
from microcred.platform.tests.access_world import (
    LEARNER_A,
    PRIVATE_GOAL,
    PRIVATE_NAME,
    World,
    anas,
    everything,
)
from microcred.platform.tests.api_table import API_OPERATIONS
from microcred.platform.tests.api_table import fill as fill_op

# No xdist group: the rows spread over the workers (each builds the world once).
pytestmark = [pytest.mark.django_db, pytest.mark.storage]
ROWS = list(matrix.rows([route.pattern for route in table.admin_routes()]))
PRIVATE = (LEARNER_A, PRIVATE_GOAL, PRIVATE_NAME)
WRITE = "run: python -m microcred.platform.tests.access_doc"
PROFILE = {"type": ["Profile"], "name": "Somebody Else"}


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Thousands of requests from one address: the abuse limits are tested elsewhere."""
    settings.MICROCRED_RATES = {}


Clients = dict[tuple[str, bool], tuple[Client, str | None]]


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker: Any) -> Clients:
    """A client per actor, plain and with the API's X-Provider header, with its session key
    (made once: a client loads the middleware on its first request)."""
    made: Clients = {}
    with django_db_blocker.unblock():
        for actor, user in ACTORS.items():
            for api in (False, True):
                headers = {"X-Provider": world.providers["a"].slug} if api else {}
                client, key = Client(headers=headers), None
                if user is not None:
                    client.force_login(world.users[user])
                    key = client.cookies[settings.SESSION_COOKIE_NAME].value
                made[actor, api] = client, key
        token = world.oauth["learner_a"]  # the learner's wallet, for the Open Badges API
        made["wallet", False] = Client(headers={"Authorization": f"Bearer {token}"}), None
    return made


def _client(clients: Clients, actor: str, api: bool = False) -> Client:
    """The actor's client with its session cookie only: a sign-out or a deleted account in
    one (rolled back) request cannot leak into the next through the cookie jar."""
    client, key = clients[actor, api]
    client.cookies.clear()
    if key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


def _request(row: Row, method: str, actor: str, world: World, keys: Clients) -> Any:
    if row.op is not None:
        client = _client(keys, actor, api=True)
        body = row.op.body() if row.op.body else None
        return send(client, method, fill_op(row.op, world), body, row.op.multipart)
    if row.kind is Kind.ADMIN:
        client, url = _client(keys, actor), "/" + table.admin_url(row.route)
        return client.get(url) if method == "get" else client.post(url, {"name": "x"})
    assert row.case is not None
    url = "/" + table.fill(row.case, world)
    if row.kind is Kind.OBAPI:
        client = _client(keys, "wallet" if actor == "learner" else actor)
        body = world.credentials["a_active"].document if method == "post" else PROFILE
        return send(client, method, url, body)
    client = _client(keys, actor)
    return client.get(url) if method == "get" else client.post(url, row.case.data())


def _token(response: Any) -> str:
    if response.status_code == 302:
        where = response["Location"]
        if where.startswith(LOGIN):
            return "login"
        if where.startswith("/admin/login/"):
            return "admin-login"
    return str(response.status_code)


# A claim link names its addressee to whoever holds it (it was mailed to that address).
NAMES_ITS_LEARNER = {"claim"}


def _leaks(row: Row, actor: str, response: Any) -> list[str]:
    if row.kind not in (Kind.LEARNER, Kind.SIGNED_IN) or actor == "learner":
        return []
    if row.label in NAMES_ITS_LEARNER:
        return []
    if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
        return []
    body = response.content.decode("utf-8", errors="replace")
    return [needle for needle in PRIVATE if needle in body]


def _refused(want: str) -> bool:
    """A refusal or a bad request: either way nothing may be written."""
    return want in REFUSALS or (want.isdigit() and 400 <= int(want) < 500)


def _foreign(row: Row, actor: str) -> bool:
    """Someone else's write to a learner's page: it may touch their own data, never Ana's."""
    return row.kind in (Kind.LEARNER, Kind.SIGNED_IN) and actor not in ("anonymous", "learner")


def _cell(row: Row, method: str, actor: str, world: World, keys: Clients) -> str:
    """Run one request in a rolled-back savepoint; its token, marked when it is wrong."""
    want = matrix.expected(row, method, actor)
    with transaction.atomic():
        before = everything() if method != "get" and _refused(want) else None
        hers = anas() if method != "get" and _foreign(row, actor) else None
        response = _request(row, method, actor, world, keys)
        changed = before is not None and everything() != before
        touched = hers is not None and anas() != hers
        transaction.set_rollback(True)
    got = _token(response)
    notes = (
        (["changed!"] if changed else [])
        + (["Ana's data!"] if touched else [])
        + [f"shows {n!r}" for n in _leaks(row, actor, response)]
    )
    if matrix.matches(want, got) and not notes:
        return got
    return " ".join([f"{want}!={got}" if not matrix.matches(want, got) else got, *notes])


def _row_id(row: Row) -> str:
    return row.label


def _wrong(cells: dict[tuple[str, str], str]) -> Iterator[str]:
    return (text for text in cells.values() if "!=" in text or "!" in text or "shows" in text)


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_every_actor_gets_what_the_table_says(row: Row, world: World, clients: Clients) -> None:
    cells = {
        (method, actor): _cell(row, method, actor, world, clients)
        for method in row.methods
        for actor in ACTORS
    }
    assert not list(_wrong(cells)), "\n" + matrix.grid(row, cells)


def test_the_matrix_covers_every_route_and_operation() -> None:
    site = {route.pattern for route in table.walk()}
    covered = {row.route for row in ROWS} | {
        route for route, cases in table.ROUTES.items() if cases[0].kind is Kind.API
    }
    assert site <= covered
    assert {row.label for row in ROWS if row.op} == {op.id for op in API_OPERATIONS}
    assert len(ROWS) * len(ACTORS) > 1000  # the matrix tries this many (route, actor) pairs


def test_the_document_is_current() -> None:
    assert matrix.DOC.exists(), WRITE
    current = matrix.DOC.read_text(encoding="utf-8")
    assert current == matrix.markdown(), WRITE

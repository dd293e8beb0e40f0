"""Access control of the two APIs, operation by operation (``api_table``).

Provider API (``/api/v1``): no token, an unknown token or a learner's OAuth token gets a
401 problem; provider B's token gets a 403/404 problem for A's objects and lists only B's
things; B's owner signed in cannot name provider A; A's viewer token cannot write; a
signed-in session cannot write without the CSRF token. Every refusal leaves the database
unchanged; A's issuer token (or signed-in owner) is the positive control.

Open Badges API (``/ims/ob/v3p0``): bearer OAuth tokens of learners only; one learner's
token neither reads nor changes another learner's credentials or profile.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from microcred.platform.tests import access_table as table
from microcred.platform.tests.access_cases import Case, Kind
from microcred.platform.tests.access_checks import (
    assert_problem,
    bearer,
    mentions,
    send,
    signed_in,
)
from microcred.platform.tests.access_world import World, snapshot
from microcred.platform.tests.api_table import (
    API_OPERATIONS,
    PUBLIC_OPERATIONS,
    Op,
    a_identifiers,
    fill,
)

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("access-control")]
WRITES = [op for op in API_OPERATIONS if op.write]
OB = "/ims/ob/v3p0"
OB_METHODS = {"ob-credentials": ("get", "post"), "ob-profile": ("get", "put")}
PROFILE = {"type": ["Profile"], "name": "Somebody Else"}


def _op_id(op: Op) -> str:
    return op.id


def _call(client: Client, op: Op, world: World) -> Any:
    return send(client, op.method, fill(op, world), op.body() if op.body else None, op.multipart)


def _session(world: World, who: str, provider: str, **options: Any) -> Client:
    slug = world.providers[provider].slug
    return signed_in(world, who, headers={"X-Provider": slug}, **options)


def test_the_api_tables_cover_every_operation_and_route() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    served = {f"{method} {path}" for path, ops in schema["paths"].items() for method in ops}
    assert served - PUBLIC_OPERATIONS == {op.id for op in API_OPERATIONS}
    routes = {re.sub(r"<(\w+)>", r"{\1}", case.url) for case in table.cases(Kind.API)}
    assert routes == {op.path.lstrip("/") for op in API_OPERATIONS}
    assert set(OB_METHODS) == {case.id for case in table.cases(Kind.OBAPI)}


@pytest.mark.parametrize("op", API_OPERATIONS, ids=_op_id)
def test_no_provider_token_is_a_401_problem(op: Op, world: World) -> None:
    before = snapshot()
    for client in (Client(), bearer("mc_unknown_x"), bearer(world.oauth["learner_a"])):
        assert_problem(_call(client, op, world), (401,))
    assert snapshot() == before


@pytest.mark.parametrize("op", API_OPERATIONS, ids=_op_id)
def test_provider_b_token_cannot_reach_provider_a(op: Op, world: World) -> None:
    before = snapshot(world.providers["a"])
    response = _call(bearer(world.tokens["b_issuer"]), op, world)
    if op.target == "a":
        assert_problem(response, (403, 404))
    elif op.target == "list":
        assert response.status_code == 200
    assert response.status_code < 500
    assert not mentions(response, a_identifiers(world))
    assert snapshot(world.providers["a"]) == before


@pytest.mark.parametrize("op", API_OPERATIONS, ids=_op_id)
def test_provider_b_staff_cannot_name_provider_a(op: Op, world: World) -> None:
    before = snapshot()
    assert_problem(_call(_session(world, "b_owner", "a"), op, world), (403,))
    assert snapshot() == before


@pytest.mark.parametrize("op", WRITES, ids=_op_id)
def test_a_viewer_token_cannot_write(op: Op, world: World) -> None:
    before = snapshot()
    assert_problem(_call(bearer(world.tokens["a_viewer"]), op, world), (403,))
    assert snapshot() == before


@pytest.mark.parametrize("op", WRITES, ids=_op_id)
def test_session_writes_need_the_csrf_token(op: Op, world: World) -> None:
    client = _session(world, "a_owner", "a", enforce_csrf_checks=True)
    before = snapshot()
    assert "CSRF" in assert_problem(_call(client, op, world), (403,))["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("op", API_OPERATIONS, ids=_op_id)
def test_provider_a_can(op: Op, world: World) -> None:
    """The positive control: A's issuer token (or its owner, for token management)."""
    client = _session(world, "a_owner", "a") if op.session else bearer(world.tokens["a_issuer"])
    before = snapshot()
    response = _call(client, op, world)
    assert response.status_code == op.success, response.content[:300]
    assert (snapshot() != before) is op.changes


# ---------------------------------------------------------------------- Open Badges API


@pytest.mark.parametrize("case", table.cases(Kind.OBAPI), ids=lambda case: case.id)
def test_ob_api_needs_a_learners_access_token(case: Case, world: World) -> None:
    url = "/" + case.url
    before = snapshot()
    for method in OB_METHODS[case.id]:
        for client in (Client(), bearer(world.tokens["a_issuer"]), bearer("unknown")):
            response = send(client, method, url, PROFILE)
            assert response.status_code == 401, (method, url, response.status_code)
    assert snapshot() == before


def test_ob_api_tokens_reach_only_their_own_learner(world: World) -> None:
    ana, bo = bearer(world.oauth["learner_a"]), bearer(world.oauth["learner_b"])
    anas = ana.get(f"{OB}/credentials").json()
    ids = {document["id"] for document in anas["credential"]}
    assert world.credentials["a_active"].credential_id in ids
    bos = bo.get(f"{OB}/credentials").json().get("credential", [])
    assert not ids & {document["id"] for document in bos}
    anas_profile = ana.get(f"{OB}/profile").json()
    assert send(bo, "put", f"{OB}/profile", PROFILE).status_code == 200
    # Bo may keep a copy of a credential he holds; it lands in his account, not Ana's.
    copied = send(bo, "post", f"{OB}/credentials", world.credentials["a_active"].document)
    assert copied.status_code == 201
    assert ana.get(f"{OB}/profile").json() == anas_profile
    assert ana.get(f"{OB}/credentials").json() == anas

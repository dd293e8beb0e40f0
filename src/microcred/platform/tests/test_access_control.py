"""Access control for every route of the site, driven by one table (``access_table``).

Issue 3's bar: staff of provider A can neither see nor issue nor revoke for provider B.
Every URL the resolver knows must be classified; provider pages are tried by anonymous
users, by the owner of another provider (with A's objects in A's URL and in their own),
by A's staff below the needed role, and without a CSRF token. Each refusal must leave the
database as it was; a positive control shows each request would have worked for the right
user. The provider API and the Open Badges API get the same treatment with tokens.

Uploads (size and type) are tested where they are handled:
``credentials/tests/test_provider_pages.py::test_upload_limits`` (CSV: wrong extension,
wrong content type, binary, over the size limit), ``credentials/tests/test_definition_image.py``
(image: too large, too many pixels, not an image, broken PNG, hostile SVG) and
``test_oversize_and_wrong_type_uploads_are_refused`` below (through the page and the API).

The demo data (``world``, see conftest.py) is built once per module.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.credentials import forms, images
from microcred.platform.tests import access_forms
from microcred.platform.tests import access_table as table
from microcred.platform.tests.access_cases import OWNER, RANKS, Case, Kind
from microcred.platform.tests.access_checks import (
    A_STAFF,
    assert_csrf_refusal,
    assert_login_redirect,
    assert_refused,
    mentions,
    signed_in,
)
from microcred.platform.tests.access_world import World, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("access-control")]


def _ids(case: Case) -> str:
    return case.id


def _page(client: Client, method: str, case: Case, world: World) -> Any:
    url = "/" + table.fill(case, world)
    return client.get(url) if method == "get" else client.post(url, case.data())


PROVIDER = table.cases(Kind.PROVIDER)
# Cases with a role below the one needed for GET or POST (viewers may read everything).
GRADED = [case for case in PROVIDER if case.post or RANKS[case.get or OWNER] > 1]
OBJECTS = ("alpha-", "{job}", "{active}", "{suspend")  # A's definitions, job, credentials
WITH_OBJECTS = [case for case in PROVIDER if any(mark in case.url for mark in OBJECTS)]
FORMS = table.cases_with_forms()


def test_every_route_is_classified() -> None:
    routes = {route.pattern for route in table.walk()}
    site = {pattern for pattern in routes if not pattern.startswith(table.ADMIN_PREFIX)}
    unclassified = sorted(site - set(table.ROUTES))
    assert not unclassified, f"classify these routes in access_table.ROUTES: {unclassified}"
    gone = sorted(set(table.ROUTES) - site)
    assert not gone, f"these routes no longer exist; remove them from the table: {gone}"
    assert len(table.admin_routes()) > 20  # the admin's routes are tested one by one below


def test_only_the_listed_views_skip_csrf() -> None:
    exempt = {r.pattern for r in table.walk() if getattr(r.callback, "csrf_exempt", False)}
    unexplained = sorted(p for p in exempt if not any(p.startswith(k) for k in table.CSRF_EXEMPT))
    assert not unexplained, f"csrf_exempt views not in access_table.CSRF_EXEMPT: {unexplained}"
    unused = [key for key in table.CSRF_EXEMPT if not any(p.startswith(key) for p in exempt)]
    assert not unused, unused


# ---------------------------------------------------------------------------------- public


@pytest.mark.parametrize("case", table.cases(Kind.PUBLIC), ids=_ids)
def test_public_routes_answer_anyone(case: Case, world: World) -> None:
    url = "/" + table.fill(case, world)
    response = Client().get(url)
    assert response.status_code == case.status, (url, response.status_code)


@pytest.mark.parametrize("case", table.cases(Kind.SIGNED_IN), ids=_ids)
def test_signed_in_routes_send_anonymous_users_to_sign_in(case: Case, world: World) -> None:
    before = snapshot()
    assert_login_redirect(_page(Client(), "get", case, world), case.url)
    if case.post:
        assert_login_redirect(_page(Client(), "post", case, world), case.url)
    assert snapshot() == before
    assert _page(signed_in(world, "stranger"), "get", case, world).status_code == case.status


def test_the_provider_list_shows_only_the_users_own_providers(world: World) -> None:
    a, b = world.providers["a"], world.providers["b"]
    page = signed_in(world, "b_owner").get("/providers/")
    assert mentions(page, [a.slug, a.name, b.slug]) == [b.slug]
    assert mentions(signed_in(world, "a_viewer").get("/providers/"), [a.slug, b.slug]) == [a.slug]


# ------------------------------------------------------------------------- provider pages


@pytest.mark.parametrize("case", PROVIDER, ids=_ids)
def test_anonymous_users_are_sent_to_sign_in(case: Case, world: World) -> None:
    before = snapshot()
    for method in ("get", "post"):
        assert_login_redirect(_page(Client(), method, case, world), f"{method} {case.url}")
    assert snapshot() == before


def _refused_everywhere(client: Client, case: Case, world: World, url: str) -> None:
    for method, allowed in (("get", case.get), ("post", case.post)):
        codes = (403, 404) if allowed else (403, 404, 405)
        response = client.get(url) if method == "get" else client.post(url, case.data())
        assert_refused(response, f"{method} {url}", codes)


@pytest.mark.parametrize("case", PROVIDER, ids=_ids)
def test_another_providers_owner_can_neither_see_nor_act(case: Case, world: World) -> None:
    outsider = signed_in(world, "b_owner")
    before = snapshot()
    _refused_everywhere(outsider, case, world, "/" + table.fill(case, world))
    assert snapshot() == before


@pytest.mark.parametrize("case", WITH_OBJECTS, ids=_ids)
def test_a_objects_in_the_outsiders_own_url_are_not_found(case: Case, world: World) -> None:
    """B's owner puts A's definition, job or credential into a URL of provider B."""
    outsider = signed_in(world, "b_owner")
    url = "/" + table.fill(case, world).replace(
        f"providers/{world.providers['a'].slug}/", f"providers/{world.providers['b'].slug}/"
    )
    before = snapshot()
    _refused_everywhere(outsider, case, world, url)
    assert snapshot() == before


@pytest.mark.parametrize("case", GRADED, ids=_ids)
def test_staff_below_the_role_are_refused(case: Case, world: World) -> None:
    for role, user in A_STAFF.items():
        client = signed_in(world, user)
        before = snapshot()
        if case.get and RANKS[role] < RANKS[case.get]:
            assert_refused(_page(client, "get", case, world), f"{role} GET {case.url}")
        if case.post and RANKS[role] < RANKS[case.post]:
            assert_refused(_page(client, "post", case, world), f"{role} POST {case.url}")
        assert snapshot() == before, role


@pytest.mark.parametrize("case", PROVIDER, ids=_ids)
def test_staff_with_the_role_get_the_page_and_can_act(case: Case, world: World) -> None:
    """The positive control: the same requests work for A's staff with the role."""
    reader = signed_in(world, A_STAFF[case.get or OWNER])
    assert _page(reader, "get", case, world).status_code == (200 if case.get else 405)
    writer = signed_in(world, A_STAFF[case.post or OWNER])
    before = snapshot()
    response = _page(writer, "post", case, world)
    if not case.post:
        assert response.status_code == 405
        return
    assert response.status_code == 302, (case.url, response.status_code)
    assert (snapshot() != before) is case.changes


# --------------------------------------------------------------------------------- learners


def test_my_credentials_lists_only_the_learners_own(world: World) -> None:
    assert_login_redirect(Client().get("/me/credentials"), "/me/credentials")
    mine = world.uuid("a_active")
    assert mine in signed_in(world, "learner_a").get("/me/credentials").content.decode()
    assert mine not in signed_in(world, "learner_b").get("/me/credentials").content.decode()


def test_a_claim_link_claims_only_for_the_addressee(world: World) -> None:
    url = "/" + table.fill(table.ROUTES["claim/<str:token>"][0], world)
    assert Client().get(url).status_code == 200  # the link explains itself to anyone
    other = signed_in(world, "learner_b")
    before = snapshot()
    assert_login_redirect(Client().post(url), url)
    assert other.post(url).status_code == 403
    assert snapshot() == before
    response = signed_in(world, "learner_a").post(url)
    assert (response.status_code, response["Location"]) == (302, "/me/credentials")


# ------------------------------------------------------------------------------------ CSRF


@pytest.mark.parametrize("case", FORMS, ids=_ids)
def test_forms_refuse_a_post_without_the_csrf_token(case: Case, world: World) -> None:
    client = signed_in(world, table.form_user(case), enforce_csrf_checks=True)
    before = snapshot()
    assert_csrf_refusal(_page(client, "post", case, world), case.url)
    assert snapshot() == before


# ----------------------------------------------------------------------------------- admin


def test_the_admin_is_for_staff_users_only(world: World) -> None:
    """Every admin route (one loop: they are many, generated, and cheap to check)."""
    anonymous, owner = Client(), signed_in(world, "a_owner")  # a provider's owner: no operator
    wrong = []
    for pattern in [r.pattern for r in table.admin_routes()]:
        url = "/" + table.admin_url(pattern)
        if pattern == table.ADMIN_LOGIN:
            assert anonymous.get(url).status_code == 200
            continue
        target = "/admin/" if pattern == table.ADMIN_LOGOUT else "/admin/login/"
        for who, client in (("anonymous", anonymous), ("a_owner", owner)):
            response = client.get(url)
            where = response.get("Location", "").split("?")[0]
            if response.status_code != 302 or where != target:
                wrong.append((who, url, response.status_code, where))
    assert not wrong, wrong


def test_admin_forms_refuse_a_post_without_the_csrf_token(world: World) -> None:
    operator = signed_in(world, "operator", enforce_csrf_checks=True)
    for pattern in [r.pattern for r in table.admin_routes()]:
        url = "/" + table.admin_url(pattern)
        assert_csrf_refusal(operator.post(url, {"name": "x"}), url)


# --------------------------------------------------------------------------------- uploads


def test_oversize_and_wrong_type_uploads_are_refused(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = signed_in(world, "a_owner")
    slug = world.providers["a"].slug
    edit = f"/providers/{slug}/definitions/alpha-draft/edit"
    fields = access_forms.definition_edit()
    before = snapshot()
    for name, content, kind, message in (
        ("x.png", b"\x89PNG" + b"0" * images.MAX_BYTES, "image/png", "larger than 512 KiB"),
        ("x.gif", b"GIF89a;", "image/gif", "not a PNG or SVG image"),
    ):
        upload = SimpleUploadedFile(name, content, kind)
        page = owner.post(edit, fields | {"image": upload}).content.decode()
        assert message in page, name
    bulk = f"/providers/{slug}/definitions/alpha-data/bulk"
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 50)
    for name, content, message in (
        ("c.csv", b"email\n" + b"a@example.org\n" * 10, "larger than"),
        ("c.xlsx", b"email\n", "choose a .csv file"),
    ):
        response = owner.post(bulk, {"csv": SimpleUploadedFile(name, content, "text/csv")})
        assert message in response.content.decode(), name
    assert snapshot() == before

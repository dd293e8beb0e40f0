"""Who may use which URL: every route of the site, classified in one table.

``ROUTES`` maps each URL pattern (as the resolver spells it, includes joined) to the cases
that test it. A route that is missing here fails ``test_every_route_is_classified``, so a
new URL cannot ship without someone deciding who may use it. Only the admin site is
classified by its prefix: its routes are generated per registered model, and every one of
them is tested (``ADMIN_PREFIX``).

The issue-7 matrix (``access_matrix``, ``test_access_matrix``) tries every case as eight
kinds of user; what each gets follows from the case's Kind and least role, exceptions in
its ``odd``; docs/access-control.md is generated from it (``access_doc``).

URLs are templates filled from the demo data (``access_world``): ``{a}`` is provider A's
slug, ``{job}`` its bulk job, ``{active}`` the UUID of one of its credentials, and so on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from microcred.obapi.conf import CREDENTIAL_READ
from microcred.platform.tests import access_forms as forms
from microcred.platform.tests.access_cases import (
    ANYONE,
    ISSUER,
    NOT_OURS,
    OWNER,
    SIGNED,
    VIEWER,
    Case,
    Kind,
)
from microcred.platform.tests.access_cases import employer as _employer
from microcred.platform.tests.access_cases import public as _public
from microcred.platform.tests.access_cases import signed_in as _signed_in
from microcred.platform.tests.access_cases import staff as _staff
from microcred.platform.tests.access_world import CLAIM_TOKEN, World


def values(world: World) -> dict[str, Any]:
    application = world.oauth_client
    return {
        "a": world.providers["a"].slug,
        "b": world.providers["b"].slug,
        "job": world.jobs["a"].pk,
        "active": world.uuid("a_active"),
        "suspendable": world.uuid("a_suspendable"),
        "suspended": world.uuid("a_suspended"),
        "claim": CLAIM_TOKEN,
        "client_id": application,
        "scope": CREDENTIAL_READ,
        "employer": world.employer,
        "role": world.role,
        "other_role": world.other_role,
    }


def fill(case: Case, world: World) -> str:
    return case.url.format(**values(world))


P = "providers/{a}"
D = f"{P}/definitions"
POST_ONLY = {"get": None, "post": ISSUER}
GET_POST = {"get": ISSUER, "post": ISSUER}
ACCOUNTS = "accounts/"
READS_POST: dict[str, int | str] = {"* post": 200}
BAD_POST: dict[str, int | str] = {"* post": 400}
EMPTY_FORM: dict[str, Any] = {"post": SIGNED, "done": 400}
_allauth_public = {
    "login/": 200,
    "signup/": 200,
    "inactive/": 200,
    "confirm-email/": 200,
    "password/reset/": 200,
    "password/reset/done/": 200,
    "password/reset/key/done/": 200,
    "login/code/confirm/": 302,  # no login code pending: back to the sign-in page
    "logout/": 302,  # nobody to sign out: back home
    "^confirm-email/(?P<key>[-:\\w]+)/$": 200,  # shows "invalid link" for a wrong key
    "^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": 200,
}
# (password/set/ sends a user who has a password on to password/change/.)
_allauth_signed_in = ("email/", "password/change/", "password/set/", "reauthenticate/")
_allauth_forms = ("login/", "signup/", "password/reset/", "logout/")
# For the matrix: an empty form is shown again (200); signed-in users are sent on (302).
_SENT_ON: dict[str, int | str] = {"signed-in get": 302, "signed-in post": 302}
_allauth_options: dict[str, dict[str, Any]] = {
    "login/": {"done": 200, "odd": _SENT_ON},
    "signup/": {"done": 200, "odd": _SENT_ON},
    "password/reset/": {"done": 200},
    # no login code pending: to the sign-in page, or on for those signed in
    "login/code/confirm/": {
        "odd": {"anonymous get": "login", "anonymous post": "login", "signed-in post": 302}
    },
    "logout/": {"odd": {"signed-in get": 200}},  # asks "sign out?"
    "^confirm-email/(?P<key>[-:\\w]+)/$": {"odd": {"* post": 404}},  # no such key
    "^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": {"odd": READS_POST},
    "password/change/": {"done": 200},
    "reauthenticate/": {"done": 200},
}
_allauth_urls = {
    "^confirm-email/(?P<key>[-:\\w]+)/$": "confirm-email/bad-key/",
    "^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": "password/reset/key/1-bad/",
}

ROUTES: dict[str, tuple[Case, ...]] = {
    # A few read-only views answer a POST as a GET (they write nothing): "* post" in odd.
    "": _public("home", "", odd=READS_POST),
    "healthz": _public("healthz", "healthz", odd=READS_POST),
    "providers/<slug:slug>/did.json": _public("did-json", f"{P}/did.json"),
    "credentials/<uuid:credential_uuid>": _public("credential", "credentials/{active}"),
    "credentials/<uuid:credential_uuid>.json": _public(
        "credential-json", "credentials/{active}.json"
    ),
    "credentials/<uuid:credential_uuid>/badge.png": _public(
        "badge-png", "credentials/{active}/badge.png"
    ),
    "credentials/<uuid:credential_uuid>/badge.svg": _public(
        "badge-svg", "credentials/{active}/badge.svg"
    ),
    "credentials/<uuid:credential_uuid>/certificate.pdf": _public(
        "certificate", "credentials/{active}/certificate.pdf"
    ),
    # Published achievements are public; drafts are not (404 for anybody, as for no draft).
    "achievements/<slug:provider>/<slug:slug>/v<int:version>": (
        *_public("achievement", "achievements/{a}/alpha-data/v1"),
        *_public("achievement-draft", "achievements/{a}/alpha-draft/v1", status=404),
    ),
    "achievements/<slug:provider>/<slug:slug>/v<int:version>/image": (
        *_public("achievement-image", "achievements/{a}/alpha-data/v1/image"),
        *_public("achievement-draft-image", "achievements/{a}/alpha-draft/v1/image", status=404),
    ),
    "status/<slug:provider>/<str:purpose>": _public("status-list", "status/{a}/revocation"),
    "status/<slug:provider>/<str:purpose>/<int:number>": _public(
        "status-list-2", "status/{a}/revocation/2"
    ),
    # GET explains a claim link to anyone holding it; POST claims it (signed in).
    # (The link holder may read whom it is for: it was mailed to that address.)
    "claim/<str:token>": (
        Case(
            "claim",
            Kind.LEARNER,
            "claim/{claim}",
            post=SIGNED,
            odd={"anonymous get": 200, "others post": 403},
        ),
    ),
    "me/credentials": (
        Case("my-credentials", Kind.LEARNER, "me/credentials", odd={"signed-in post": 200}),
    ),
    # Matching consent: the learner's own choice to be found by employers.
    "me/matching": (
        Case("my-matching", Kind.LEARNER, "me/matching", post=SIGNED, data=forms.matching),
    ),
    # Employers: any signed-in user lists their own and may create one; an employer's pages
    # are a 404 for anyone not its member (operators included: talent/employers.py).
    "employers/": _signed_in("employers", "employers/", post=SIGNED, data=forms.employer),
    # Acme's member is refused another employer, and its role under Acme's slug (NOT_OURS).
    "employers/<slug:slug>/": (
        *_employer("employer", "", data=forms.role),
        *_employer("other-employer", "", data=forms.role, odd=NOT_OURS, slug="globex"),
    ),
    "employers/<slug:slug>/roles/<int:pk>/": (
        *_employer("employer-role", "roles/{role}/", data=forms.role_skill),
        *_employer("other-role", "roles/{other_role}/", data=forms.role_skill, odd=NOT_OURS),
    ),
    "employers/<slug:slug>/roles/<int:pk>/candidates": (
        *_employer("employer-candidates", "roles/{role}/candidates", post=None),
        *_employer(
            "other-candidates",
            "roles/{other_role}/candidates",
            post=None,
            odd={"employer get": 404},
        ),
    ),
    # The wallet: the learner's own only; another learner's ids are 404s for every route
    # (wallet/tests/test_privacy.py tries each with a real wallet item).
    "wallet": (Case("wallet", Kind.LEARNER, "wallet"),),
    "wallet/import": (
        Case(
            "wallet-import",
            Kind.LEARNER,
            "wallet/import",
            post=SIGNED,
            data=forms.paste,
            done=200,  # the pasted JSON is no credential: the form says so
        ),
    ),
    "wallet/presentation": (
        Case("wallet-presentation", Kind.LEARNER, "wallet/presentation", get=None, post=SIGNED),
    ),
    "wallet/<int:pk>": (Case("wallet-item", Kind.LEARNER, "wallet/1", status=404),),
    "wallet/<int:pk>/remove": (
        Case("wallet-remove", Kind.LEARNER, "wallet/1/remove", get=None, post=SIGNED, done=404),
    ),
    "wallet/claimed/<uuid:credential_uuid>": (
        Case("wallet-claimed", Kind.LEARNER, "wallet/claimed/{active}", odd={"others get": 404}),
    ),
    # Sharing: the learner's own settings and links (another learner's link ids are 404s;
    # sharing/tests/test_privacy.py tries each route); visitors open links and profiles.
    "sharing": (Case("sharing", Kind.LEARNER, "sharing"),),
    "sharing/visibility": (
        Case("sharing-visibility", Kind.LEARNER, "sharing/visibility", get=None, post=SIGNED),
    ),
    "sharing/profile": (
        Case("sharing-profile", Kind.LEARNER, "sharing/profile", post=SIGNED, data=forms.profile),
    ),
    "sharing/links/new": (
        Case("sharing-new-link", Kind.LEARNER, "sharing/links/new", post=SIGNED, done=400),
    ),
    "sharing/links/<int:pk>/revoke": (
        Case(
            "sharing-revoke",
            Kind.LEARNER,
            "sharing/links/1/revoke",
            get=None,
            post=SIGNED,
            done=404,  # nobody's link 1
        ),
    ),
    # Export, backup, restore, account deletion: the signed-in learner's own data only
    # (portability/tests/test_privacy.py shows another learner gets nothing of Ana's).
    # (done=400: an empty form, named wrong; the valid ones are tested in portability/.)
    "wallet/export": (Case("wallet-export", Kind.LEARNER, "wallet/export", **EMPTY_FORM),),
    "wallet/backup": (Case("wallet-backup", Kind.LEARNER, "wallet/backup", **EMPTY_FORM),),
    "wallet/restore": (Case("wallet-restore", Kind.LEARNER, "wallet/restore", **EMPTY_FORM),),
    "account/delete": (Case("account-delete", Kind.LEARNER, "account/delete", **EMPTY_FORM),),
    # The platform's did:web document (CLR signer); 404 while it is a did:key (http base URL).
    ".well-known/did.json": _public("platform-did", ".well-known/did.json", status=404),
    "share/<str:token>": _public("share-link", "share/" + "x" * 43, status=404),
    "people/<str:handle>": _public("profile", "people/nobody-here", status=404),
    "people/<str:handle>/<str:key>": _public("profile-credential", "people/nobody/w1", status=404),
    "people/<str:handle>/<str:key>/badge.svg": _public(
        "profile-badge", "people/nobody/w1/badge.svg", status=404
    ),
    "providers/": _signed_in("provider-list", "providers/", post=SIGNED, data=forms.provider),
    "providers/<slug:slug>/": (_staff("dashboard", f"{P}/"),),
    "providers/<slug:slug>/credentials": (_staff("credential-list", f"{P}/credentials"),),
    "providers/<slug:slug>/definitions/new": (
        _staff("definition-new", f"{D}/new", **GET_POST, data=forms.definition),
    ),
    "providers/<slug:slug>/definitions/<slug:definition_slug>/edit": (
        _staff("definition-edit", f"{D}/alpha-draft/edit", **GET_POST, data=forms.definition_edit),
    ),
    "providers/<slug:slug>/definitions/<slug:definition_slug>/publish": (
        _staff("definition-publish", f"{D}/alpha-draft/publish", **POST_ONLY),
    ),
    "providers/<slug:slug>/definitions/<slug:definition_slug>/archive": (
        _staff("definition-archive", f"{D}/alpha-data/archive", **POST_ONLY),
    ),
    "providers/<slug:slug>/definitions/<slug:definition_slug>/issue": (
        _staff(
            "issue",
            f"{D}/alpha-data/issue",
            **GET_POST,
            data=lambda: {"recipient_email": "new@example.org"},
        ),
    ),
    "providers/<slug:slug>/definitions/<slug:definition_slug>/bulk": (
        _staff("bulk-upload", f"{D}/alpha-data/bulk", **GET_POST, data=forms.csv_upload),
    ),
    "providers/<slug:slug>/bulk/<int:job_id>": (_staff("bulk-job", f"{P}/bulk/{{job}}"),),
    # Pathways: staff read them; owners and issuers save (and publish) a pathway's source.
    "providers/<slug:slug>/pathways": (
        _staff("pathways", f"{P}/pathways", get=VIEWER, post=ISSUER, data=forms.pathway),
    ),
    "providers/<slug:slug>/pathways/<slug:pathway_slug>": (
        _staff(
            "pathway-edit", f"{P}/pathways/alpha-path", get=VIEWER, post=ISSUER, data=forms.pathway
        ),
    ),
    # The learner's pathways: every published one with her own progress (no draft: a 404).
    "pathways": (Case("my-pathways", Kind.LEARNER, "pathways"),),
    # A published pathway's CTDL is public (registries harvest it); a draft's is not found.
    "pathways/<slug:provider>/<slug:slug>/ctdl.json": _public(
        "pathway-ctdl", "pathways/{a}/alpha-path/ctdl.json", status=404
    ),
    "pathways/<slug:provider>/<slug:slug>": (
        Case("my-pathway", Kind.LEARNER, "pathways/{a}/alpha-path", status=404),
    ),
    # The learner's own goal (a target, the gap, the plan): nobody else's is reachable.
    # (Others have no goal to cost: a 400 naming the field.)
    "me/goal": (
        Case(
            "my-goal",
            Kind.LEARNER,
            "me/goal",
            post=SIGNED,
            data=forms.goal,
            odd={"others post": 400},
        ),
    ),
    "providers/<slug:slug>/bulk/<int:job_id>/start": (
        _staff("bulk-start", f"{P}/bulk/{{job}}/start", **POST_ONLY),
    ),
    "providers/<slug:slug>/credentials/<uuid:credential_uuid>/<str:action>": tuple(
        _staff(
            f"change-state-{action}",
            f"{P}/credentials/{{{target}}}/{action}",
            **POST_ONLY,
            data=lambda: {"reason": "tested"},
        )
        for action, target in (
            ("revoke", "active"),
            ("suspend", "suspendable"),
            ("unsuspend", "suspended"),
        )
    ),
    # The provider API: every operation is in api_table.API_OPERATIONS.
    **{
        f"api/v1/{path}": (Case(f"api {path}", Kind.API, f"api/v1/{path}", csrf=False),)
        for path in (
            "provider",
            "tokens",
            "tokens/<prefix>/revoke",
            "definitions",
            "definitions/<slug>",
            "definitions/<slug>/publish",
            "credentials",
            "credentials/<credential_uuid>",
            "credentials/<credential_uuid>/revoke",
            "credentials/<credential_uuid>/suspend",
            "credentials/<credential_uuid>/unsuspend",
            "bulk-jobs/dry-run",
            "bulk-jobs",
            "bulk-jobs/<job_id>/start",
            "bulk-jobs/<job_id>",
            "pathways",
            "pathways/validate",
            "pathways/<slug>/publish",
            "skills/suggest",
        )
    },
    # The verification portal: anyone may verify (rate-limited per address); nothing is stored.
    "verify": _public("verify", "verify", post=ANYONE, data=forms.verify, changes=False, done=200),
    # The catalog: published offerings and their CTDL are public; drafts are a 404.
    "catalog/": _public("catalog", "catalog/"),
    "catalog/ctdl.json": _public("catalog-ctdl", "catalog/ctdl.json"),
    "catalog/<slug:provider>/<slug:slug>/": _public("offering", "catalog/{a}/alpha-course/"),
    "catalog/<slug:provider>/<slug:slug>/ctdl.json": _public(
        "offering-ctdl", "catalog/{a}/alpha-course/ctdl.json"
    ),
    "providers/<slug:slug>/offerings/": (
        _staff("offerings", f"{P}/offerings/", get=VIEWER, post=ISSUER, data=forms.offering),
    ),
    "providers/<slug:slug>/offerings/<slug:offering>/": (
        _staff(
            "offering-edit",
            f"{P}/offerings/alpha-offer/",
            get=VIEWER,
            post=ISSUER,
            data=forms.offering_edit,
        ),
    ),
    "api/v1/catalog": _public("api-catalog", "api/v1/catalog", csrf=False),
    "api/v1/catalog/<provider>/<slug>": (
        Case("api-offering", Kind.PUBLIC, "api/v1/catalog/{a}/alpha-course", csrf=False),
        Case(
            "api catalog/<provider>/<slug>",
            Kind.API,
            "api/v1/catalog/<provider>/<slug>",
            csrf=False,
        ),
    ),
    **{
        f"api/v1/{path}": (Case(f"api {path}", Kind.API, f"api/v1/{path}", csrf=False),)
        for path in (
            "catalog/<provider>",
            "catalog/<provider>/<slug>/publish",
            "catalog/<provider>/<slug>/unpublish",
        )
    },
    # POST only (a form body is no JSON: 400).
    "api/v1/verify": _public(
        "api-verify", "api/v1/verify", status=405, csrf=False, odd={"* post": 400}
    ),
    "api/v1/": _public("api-root", "api/v1/", status=404, odd={"* post": 404}),  # nothing there
    "api/v1/openapi.json": _public("openapi", "api/v1/openapi.json", odd=READS_POST),
    "api/v1/docs": _public("api-docs", "api/v1/docs", odd=READS_POST),
    # Open Badges 3.0: bearer-token endpoints, registration and OAuth (tested in obapi).
    "ims/ob/v3p0/discovery": _public("ob-discovery", "ims/ob/v3p0/discovery"),
    "ims/ob/v3p0/credentials": (Case("ob-credentials", Kind.OBAPI, "ims/ob/v3p0/credentials"),),
    "ims/ob/v3p0/profile": (Case("ob-profile", Kind.OBAPI, "ims/ob/v3p0/profile"),),
    # Dynamic client registration is open by design (RFC 7591); a 405 for GET.
    # (POST with no client metadata or credentials: 400.)
    "ims/ob/v3p0/register": _public(
        "ob-register", "ims/ob/v3p0/register", status=405, odd=BAD_POST
    ),
    # Token and revocation endpoints authenticate the client, not a user: POST only.
    "ims/ob/v3p0/oauth/token/": _public(
        "oauth-token", "ims/ob/v3p0/oauth/token/", status=405, odd=BAD_POST
    ),
    "ims/ob/v3p0/oauth/revoke/": _public(
        "oauth-revoke", "ims/ob/v3p0/oauth/revoke/", status=405, odd=BAD_POST
    ),
    "ims/ob/v3p0/oauth/authorize/": _signed_in(
        "oauth-authorize",
        "ims/ob/v3p0/oauth/authorize/?response_type=code&client_id={client_id}"
        "&redirect_uri=http://127.0.0.1:8765/callback&scope={scope}"
        "&code_challenge=" + "E" * 43 + "&code_challenge_method=S256",
        post=SIGNED,
        done=200,
    ),
    **{
        ACCOUNTS + route: _public(
            f"allauth {route}",
            ACCOUNTS + _allauth_urls.get(route, route),
            status,
            post=ANYONE if route in _allauth_forms else None,
            **_allauth_options.get(route, {}),
        )
        for route, status in _allauth_public.items()
    },
    **{
        ACCOUNTS + route: _signed_in(
            f"allauth {route}",
            ACCOUNTS + route,
            post=SIGNED,
            status=302 if route == "password/set/" else 200,
            **_allauth_options.get(route, {}),
        )
        for route in _allauth_signed_in
    },
}

ADMIN_PREFIX = "admin/"
ADMIN_LOGIN = "admin/login/"  # the one admin page for anybody
ADMIN_LOGOUT = "admin/logout/"  # sends those who are no staff to the admin's index
# Sample values for the admin's URL parameters (nobody gets far enough to look them up).
_ADMIN_PARAMETERS = {
    "<path:object_id>": "1",
    "<path:content_type_id>": "1",
    "<id>": "1",
}
# Views that skip Django's CSRF check, and why that is safe.
CSRF_EXEMPT = {
    "api/v1/": "Ninja: bearer tokens carry no ambient authority; its cookie auth checks CSRF",
    "verify": "checks the upload size first, then runs Django's CSRF check (csrf_protect)",
    "ims/ob/v3p0/credentials": "bearer token only",
    "ims/ob/v3p0/profile": "bearer token only",
    "ims/ob/v3p0/discovery": "bearer token only",
    "ims/ob/v3p0/register": "RFC 7591 registration: no session, no ambient authority",
    "ims/ob/v3p0/oauth/token/": "OAuth client authentication (RFC 6749), no session",
    "ims/ob/v3p0/oauth/revoke/": "OAuth client authentication (RFC 7009), no session",
}


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    callback: Any


def walk(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[Route]:
    """Every route of the site (recursively through include())."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield Route(prefix + str(entry.pattern), entry.name, entry.callback)


def cases(kind: Kind) -> list[Case]:
    return [case for entries in ROUTES.values() for case in entries if case.kind is kind]


def admin_routes() -> list[Route]:
    return [route for route in walk() if route.pattern.startswith(ADMIN_PREFIX)]


def admin_url(pattern: str) -> str:
    """An admin URL for ``pattern`` with sample parameters."""
    if "(?P<app_label>" in pattern:
        return ADMIN_PREFIX + "providers/"
    if "(?P<url>" in pattern:
        return ADMIN_PREFIX + "no-such-page/"
    for parameter, value in _ADMIN_PARAMETERS.items():
        pattern = pattern.replace(parameter, value)
    return pattern


def cases_with_forms() -> list[Case]:
    """Every case that POSTs a browser form (Django's CSRF check applies)."""
    return [case for entries in ROUTES.values() for case in entries if case.post and case.csrf]


def form_user(case: Case) -> str | None:
    """Who may send the form of ``case`` (a name in the demo data; None: anonymous)."""
    if case.kind is Kind.PROVIDER:
        return {VIEWER: "a_viewer", ISSUER: "a_issuer", OWNER: "a_owner"}[str(case.post)]
    if case.kind is Kind.LEARNER:
        return "learner_a"
    if case.kind is Kind.EMPLOYER:
        return "employer"
    return "stranger" if case.post == SIGNED else None

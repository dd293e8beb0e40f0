"""Every operation of the provider API (``/api/v1``), with a request aimed at provider A.

``target`` says what a caller from provider B can reach with it:
- ``"a"``: one of A's objects (by slug, UUID, job id or token prefix): B gets 403/404;
- ``"list"``: a collection, which B sees for B: none of A's identifiers may be in it;
- ``"own"``: creates something for the caller's own provider: A's data stays as it is.
``write``: viewers are refused. ``session``: only a signed-in owner may (not a token).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.platform.tests.access_world import A, World, pathway_source

COHORT = b"email\nnew1@example.org\nnew2@example.org\n"


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # as in the OpenAPI document
    url: str  # filled from the demo data
    target: str
    write: bool = False
    session: bool = False
    body: Callable[[], Any] | None = None
    multipart: bool = False
    success: int = 200
    dry: bool = False  # a write that stores nothing (a dry run)

    @property
    def changes(self) -> bool:
        return self.write and not self.dry

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def _json(value: Any) -> Callable[[], Any]:
    return lambda: value


def _upload() -> dict[str, Any]:
    return {"definition": "alpha-data", "file": SimpleUploadedFile("c.csv", COHORT, "text/csv")}


def _op(method: str, path: str, url: str = "", target: str = "a", **options: Any) -> Op:
    return Op(method, f"/api/v1{path}", url or path, target, **options)


def _pathway(slug: str) -> Callable[[], Any]:
    return lambda: {"source": pathway_source(slug, "https://elsewhere.example/achievements/1")}


WRITE: dict[str, Any] = {"write": True}
STATE: dict[str, Any] = {"write": True, "body": _json({"reason": "tested"})}
API_OPERATIONS: list[Op] = [
    _op("get", "/provider", target="list"),
    _op("get", "/tokens", target="list"),
    _op(
        "post",
        "/tokens",
        target="own",
        **WRITE,
        session=True,
        success=201,
        body=_json({"name": "new", "role": "viewer"}),
    ),
    _op("post", "/tokens/{prefix}/revoke", "/tokens/{viewer_token}/revoke", **WRITE, session=True),
    _op("get", "/definitions", target="list"),
    _op(
        "post",
        "/definitions",
        target="own",
        **WRITE,
        success=201,
        body=_json({"slug": "api-course", "name": "API course", "description": "Made."}),
    ),
    _op("get", "/definitions/{slug}", "/definitions/alpha-data"),
    _op(
        "patch",
        "/definitions/{slug}",
        "/definitions/alpha-draft",
        **WRITE,
        body=_json({"name": "Renamed"}),
    ),
    _op("post", "/definitions/{slug}/publish", "/definitions/alpha-draft/publish", **WRITE),
    _op(
        "post",
        "/credentials",
        **WRITE,
        success=201,
        body=_json({"definition": "alpha-data", "recipient_email": "new@example.org"}),
    ),
    _op("get", "/credentials", target="list"),
    _op("get", "/credentials/{credential_uuid}", "/credentials/{active}"),
    _op("post", "/credentials/{credential_uuid}/revoke", "/credentials/{active}/revoke", **STATE),
    _op(
        "post",
        "/credentials/{credential_uuid}/suspend",
        "/credentials/{suspendable}/suspend",
        **STATE,
    ),
    _op(
        "post",
        "/credentials/{credential_uuid}/unsuspend",
        "/credentials/{suspended}/unsuspend",
        **STATE,
    ),
    _op("post", "/bulk-jobs/dry-run", **WRITE, body=_upload, multipart=True, dry=True),
    _op("post", "/bulk-jobs", **WRITE, body=_upload, multipart=True, success=201),
    _op("get", "/bulk-jobs", target="list"),
    _op("post", "/bulk-jobs/{job_id}/start", "/bulk-jobs/{job}/start", **WRITE, success=202),
    _op("get", "/bulk-jobs/{job_id}", "/bulk-jobs/{job}"),
    _op("get", "/pathways", target="list"),
    _op("post", "/pathways", target="own", **WRITE, success=201, body=_pathway("alpha-path-3")),
    _op("post", "/pathways/validate", target="own", **WRITE, dry=True, body=_pathway("x")),
    _op("post", "/pathways/{slug}/publish", "/pathways/alpha-path/publish", **WRITE),
    # Reads the public taxonomies only: any staff role; B sees what A sees.
    _op("post", "/skills/suggest", target="list", body=_json({"text": "Write SQL queries"})),
    _op("get", "/catalog/{provider}", f"/catalog/{A}"),
    _op(
        "post",
        "/catalog/{provider}",
        f"/catalog/{A}",
        **WRITE,
        success=201,
        body=_json({"slug": "api-offer", "title": "API offer", "hours": 3}),
    ),
    _op(
        "put",
        "/catalog/{provider}/{slug}",
        f"/catalog/{A}/alpha-offer",
        **WRITE,
        body=_json({"title": "Renamed", "price": 10}),
    ),
    _op("post", "/catalog/{provider}/{slug}/publish", f"/catalog/{A}/alpha-offer/publish", **WRITE),
    _op(
        "post",
        "/catalog/{provider}/{slug}/unpublish",
        f"/catalog/{A}/alpha-course/unpublish",
        **WRITE,
    ),
]


# Public operations (no token; classified as public routes in access_table.ROUTES).
PUBLIC_OPERATIONS = {
    "post /api/v1/verify",
    "get /api/v1/catalog",
    "get /api/v1/catalog/{provider}/{slug}",
}


def fill(op: Op, world: World) -> str:
    names = {
        "viewer_token": world.token_prefixes["a_viewer"],
        "active": world.uuid("a_active"),
        "suspendable": world.uuid("a_suspendable"),
        "suspended": world.uuid("a_suspended"),
        "job": world.jobs["a"].pk,
    }
    return "/api/v1" + op.url.format(**names)


def a_identifiers(world: World) -> list[str]:
    """Strings that only A's data contains: none may show up in B's answers."""
    found = [world.providers["a"].slug, world.providers["a"].did]
    found += [world.uuid(name) for name in world.credentials if name.startswith("a_")]
    found += [world.token_prefixes["a_issuer"], world.token_prefixes["a_viewer"]]
    return [*found, "alpha-data", "alpha-draft", "alpha-review", "cohort.csv"]

"""The vocabulary of the access tables: the kinds of route, the least roles, and ``Case``
(one way of using a route), with the small builders ``access_table.ROUTES`` is written in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Kind(Enum):
    PUBLIC = "anyone may GET it"
    SIGNED_IN = "any signed-in user (their own things only)"
    LEARNER = "a learner's own credentials (claim links, their list)"
    EMPLOYER = "members of the employer in the URL (anyone else: 404, operators too)"
    PROVIDER = "staff of the provider in the URL, with a minimum role"
    API = "provider API: bearer token or staff session (api_table.py)"
    OBAPI = "Open Badges API: the learner's OAuth access token"
    ADMIN = "Django admin: is_staff users only"


VIEWER, ISSUER, OWNER = "viewer", "issuer", "owner"
SIGNED, ANYONE = "signed-in", "anyone"  # who may POST to a non-provider form
RANKS = {VIEWER: 1, ISSUER: 2, OWNER: 3}
Data = Callable[[], dict[str, Any]]


def _nothing() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Case:
    """One way of using a route. ``get``/``post``: the least role (PROVIDER) that may, or
    None when the method is not allowed; ``data`` makes a valid POST body (fresh each time,
    so files can be read again); ``changes``: an allowed POST writes to the database;
    ``status``: what an anonymous GET gets (PUBLIC), or a signed-in one (SIGNED_IN);
    ``done``: what an allowed POST answers; ``odd``: the exceptions to the rules of
    ``access_matrix.expected`` as {"<actor> <method>": status, ...}, each with its reason
    in a comment where the case is written."""

    id: str
    kind: Kind
    url: str
    get: str | None = VIEWER
    post: str | None = None
    data: Data = field(default=_nothing)
    changes: bool = True
    status: int = 200
    csrf: bool = True  # an unsafe method needs Django's CSRF token
    done: int = 302
    odd: dict[str, int | str] = field(default_factory=dict)


def public(name: str, url: str, status: int = 200, **options: Any) -> tuple[Case, ...]:
    return (Case(name, Kind.PUBLIC, url, status=status, **options),)


def signed_in(name: str, url: str, **options: Any) -> tuple[Case, ...]:
    return (Case(name, Kind.SIGNED_IN, url, **options),)


def employer(name: str, path: str, slug: str = "{employer}", **options: Any) -> tuple[Case, ...]:
    options = {"post": SIGNED} | options
    return (Case(name, Kind.EMPLOYER, f"employers/{slug}/" + path, get=SIGNED, **options),)


NOT_OURS: dict[str, int | str] = {"employer get": 404, "employer post": 404}


def staff(name: str, url: str, **options: Any) -> Case:
    return Case(name, Kind.PROVIDER, url, **options)

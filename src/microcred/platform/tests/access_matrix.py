"""The access-control matrix: every route x every kind of user x GET and its unsafe methods.

Each row is a route of ``access_table.ROUTES`` (one per case), an operation of the provider
API (``api_table``) or an admin route. What each actor must get is derived from the row's
classification (``Kind`` + least role) by :func:`expected`, except where a case lists an
exception in its ``odd`` field. Answers are written as short tokens:

- ``200``, ``201``, ``302``, ... the status code (302: a redirect that is not to a sign-in);
- ``login``: a redirect to the sign-in page; ``admin-login``: to the admin's sign-in page;
- ``in``: the operator in the admin: anything but a sign-in redirect or a 5xx (a page, or a
  403/404/405 where a model is read-only, a sample object id does not exist, or a method
  is not used).

``python -m microcred.platform.tests.access_doc`` writes docs/access-control.md (a test
checks that it is current).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from microcred.platform.tests import access_table as table
from microcred.platform.tests.access_cases import OWNER, RANKS, Case, Kind
from microcred.platform.tests.api_table import API_OPERATIONS, Op

# The eight kinds of user, and who plays each in the demo data (access_world).
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "learner": "learner_a",  # holds A's credentials, has a goal and a matching consent
    "employer": "employer",  # the only member of the employer "acme"
    "other-staff": "b_owner",  # the owner of provider B
    "viewer": "a_viewer",
    "issuer": "a_issuer",
    "owner": "a_owner",
    "operator": "operator",  # is_staff and is_superuser
}
OUTSIDERS = ("learner", "employer", "other-staff")  # signed in, no role at provider A
REFUSALS = {"login", "admin-login", "401", "403", "404", "405"}
# Bodies for the Open Badges API (a credential of her own for POST, a profile for PUT).
OB_METHODS = {"ob-credentials": ("get", "post"), "ob-profile": ("get", "put")}
OB_DONE = {"get": 200, "post": 201, "put": 200}
DOC = Path(__file__).resolve().parents[4] / "docs" / "access-control.md"


@dataclass(frozen=True)
class Row:
    """One line of the matrix: a page case, an API operation or an admin route."""

    label: str
    route: str
    kind: Kind
    methods: tuple[str, ...]
    case: Case | None = None
    op: Op | None = None


def _case_methods(case: Case) -> tuple[str, ...]:
    if case.kind is Kind.OBAPI:
        return OB_METHODS[case.id]
    return ("get", "post")


def rows(admin: list[str] | None = None) -> Iterator[Row]:
    """Every row; ``admin`` (admin patterns) is None for the documentation's single line."""
    for route, entries in table.ROUTES.items():
        for case in entries:
            if case.kind is not Kind.API:
                yield Row(case.id, route, case.kind, _case_methods(case), case=case)
    for op in API_OPERATIONS:
        yield Row(op.id, op.path.lstrip("/"), Kind.API, (op.method,), op=op)
    for pattern in admin if admin is not None else [table.ADMIN_PREFIX + "..."]:
        yield Row(pattern, pattern, Kind.ADMIN, ("get", "post"))


def _least(case: Case, method: str) -> str | None:
    return case.get if method == "get" else case.post


def _page(case: Case, method: str, actor: str) -> str:
    least = _least(case, method)
    success = str(case.status if method == "get" else case.done)
    kind = case.kind
    if kind is Kind.PUBLIC:
        return success if least else "405"
    if actor == "anonymous":
        return "login"
    if not least:
        return "405"
    if kind in (Kind.SIGNED_IN, Kind.LEARNER):
        return success
    if kind is Kind.EMPLOYER:
        return success if actor == "employer" else "404"
    if actor in OUTSIDERS:
        return "404"  # nobody learns which providers exist
    if actor == "operator" or RANKS[actor] >= RANKS[least]:
        return success
    return "403"


def _api(op: Op, actor: str) -> str:
    if actor == "anonymous":
        return "401"
    if actor in OUTSIDERS:
        return "403"
    least = OWNER if op.session else ("issuer" if op.write else "viewer")
    if actor == "operator" or RANKS[actor] >= RANKS[least]:
        return str(op.success)
    return "403"


def _admin(route: str, method: str, actor: str) -> str:
    if route == table.ADMIN_LOGIN:  # the sign-in form for all; the operator is sent on
        return "302" if actor == "operator" and method == "get" else "200"
    if actor == "operator":
        return "in"
    if route == table.ADMIN_LOGOUT:
        return "302"  # to the admin's index, which sends them on to its sign-in
    return "admin-login"


def expected(row: Row, method: str, actor: str) -> str:
    """What ``actor`` must get for ``method`` on ``row`` (see the module's docstring)."""
    odd = _odd(row, method, actor)
    if odd is not None:
        return odd
    if row.op is not None:
        return _api(row.op, actor)
    if row.kind is Kind.ADMIN:
        return _admin(row.route, method, actor)
    assert row.case is not None
    if row.kind is Kind.OBAPI:
        return str(OB_DONE[method]) if actor == "learner" else "401"
    return _page(row.case, method, actor)


def _odd(row: Row, method: str, actor: str) -> str | None:
    """The case's exception for this cell: by actor, "others" (signed in, not the learner
    whose page it is), "signed-in" or "*" (everybody), most specific first."""
    if row.case is None:
        return None
    groups = [actor]
    if actor != "anonymous":
        groups += (["others"] if actor != "learner" else []) + ["signed-in"]
    for group in [*groups, "*"]:
        if f"{group} {method}" in row.case.odd:
            return str(row.case.odd[f"{group} {method}"])
    return None


def matches(want: str, got: str) -> bool:
    if want == "in":  # into the admin: anything but a sign-in page or a server error
        return got not in ("login", "admin-login") and int(got) < 500
    return want == got


# ------------------------------------------------------------------------------ rendering


def grid(row: Row, cell: dict[tuple[str, str], str]) -> str:
    """A readable block: one line per method, one column per actor."""
    width = max(12, *(len(text) + 2 for text in cell.values()))
    head = "method".ljust(8) + "".join(actor.ljust(width) for actor in ACTORS)
    title = f"{row.label}  [{row.kind.name}]  {row.route}  (cells: got, or expected!=got)"
    lines = [title, head]
    for method in row.methods:
        texts = [cell.get((method, actor), "").ljust(width) for actor in ACTORS]
        lines.append(method.upper().ljust(8) + "".join(texts))
    return "\n".join(lines)


_WHO = {
    Kind.PUBLIC: "anyone",
    Kind.SIGNED_IN: "signed in (own things)",
    Kind.LEARNER: "the learner (own data)",
    Kind.EMPLOYER: "a member",
    Kind.OBAPI: "the learner's OAuth token",
    Kind.ADMIN: "is_staff",
}


def _who(row: Row) -> str:
    """Who may, in words, for the documentation."""
    case, op = row.case, row.op
    if op is not None:
        return "owner (session)" if op.session else ("issuer" if op.write else "viewer")
    if case is None or case.kind is not Kind.PROVIDER:
        return _WHO[row.kind]
    least = {method: _least(case, method) for method in row.methods}
    return ", ".join(f"{method.upper()}: {who}" for method, who in least.items() if who)


def markdown() -> str:
    actors = list(ACTORS)
    lines = [
        "# Access control matrix",
        "",
        "Generated from `src/microcred/platform/tests/access_table.py` and `api_table.py` by",
        "`python -m microcred.platform.tests.access_doc`; `test_access_matrix.py` tries",
        "every cell against the running site and checks this file is current.",
        "",
        "Cells: the HTTP status; `login`: sent to the sign-in page; `admin-login`: to the",
        "admin's sign-in page; `in`: let into the admin (a page, or 403/404/405 where a model",
        "is read-only or a sample object does not exist; never a sign-in page or a 5xx).",
        "An unsafe request answered with a refusal or any 4xx must leave the database",
        "unchanged; on a learner's pages, nobody else's write may touch her rows.",
        "",
        "Actors: " + "; ".join(f"**{actor}**" for actor in actors) + ".",
        "Every admin route (generated per model) is tried one by one; one line stands for all.",
        "",
        "| route | kind | who may | method | " + " | ".join(actors) + " |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in actors) + " |",
    ]
    for row in rows():
        for method in row.methods:
            cells = " | ".join(expected(row, method, actor) for actor in actors)
            route = row.route.replace("|", "\\|")
            tried = f"{row.label}: `{row.case.url.split('?')[0]}`" if row.case else row.label
            lines.append(
                f"| `{route}` ({tried}) | {row.kind.name.lower()} | {_who(row)} "
                f"| {method.upper()} | {cells} |"
            )
    return "\n".join(lines) + "\n"

"""Profile handles (``/people/<handle>``): how they are written and which are refused.
Plain Python, no Django."""

from __future__ import annotations

import re

MIN_LENGTH, MAX_LENGTH = 3, 30
_HANDLE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
# Words that would read as the site speaking, or collide with a path someone may add later.
RESERVED = frozenset(
    [
        "about",
        "abuse",
        "account",
        "accounts",
        "admin",
        "administrator",
        "api",
        "app",
        "apps",
        "auth",
        "badge",
        "badges",
        "billing",
        "blog",
        "contact",
        "credential",
        "credentials",
        "dashboard",
        "did",
        "docs",
        "help",
        "home",
        "ims",
        "info",
        "issuer",
        "issuers",
        "legal",
        "login",
        "logout",
        "mail",
        "me",
        "microcred",
        "new",
        "null",
        "official",
        "operator",
        "people",
        "postmaster",
        "privacy",
        "profile",
        "profiles",
        "provider",
        "providers",
        "root",
        "security",
        "settings",
        "share",
        "shares",
        "sharing",
        "signin",
        "signout",
        "signup",
        "staff",
        "static",
        "status",
        "support",
        "system",
        "team",
        "terms",
        "undefined",
        "verify",
        "wallet",
        "webmaster",
        "www",
    ]
)


def normalise(value: str) -> str:
    return value.strip().lower()


def handle_error(handle: str) -> str | None:
    """Why a normalised ``handle`` cannot be used, in words a learner can act on; None if it can."""
    if not MIN_LENGTH <= len(handle) <= MAX_LENGTH:
        return f"a handle is {MIN_LENGTH} to {MAX_LENGTH} characters long"
    if not _HANDLE.fullmatch(handle):
        return (
            "use lower-case letters, digits and single hyphens, starting with a letter "
            "(for example ana-lima)"
        )
    if handle in RESERVED:
        return f"“{handle}” is reserved; choose another handle"
    return None

"""How issuer identifiers are written and compared; plain Python, no Django.

The registry holds DIDs exactly as issuers sign with them and bare host names
(``example.edu``: lowercase, no scheme, port or path). An issuer id ties to a domain only
where whoever controls that host also controls the id: a did:web DID (its document is
served from that host) or an https URL. A DID URL's fragment or query names a key or a
service, not the issuer, so lookups drop it.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import urlsplit

from microcred.core.crypto.did import did_web_url
from microcred.core.errors import InputError

# DID Core §3.1: did:<method-name>:<method-specific-id>, idchar = ALPHA / DIGIT / . - _ / pct-encoded
_IDCHAR = r"(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})"
_DID = re.compile(rf"did:[a-z0-9]+:(?:{_IDCHAR}*:)*{_IDCHAR}+")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
MAX_DID = 500
MAX_DOMAIN = 253


def did_error(value: str) -> str | None:
    """Why ``value`` is not a DID, in words an operator can act on; None if it is one."""
    if not value:
        return "enter a DID such as did:web:example.edu or did:key:z6Mk…"
    if len(value) > MAX_DID:
        return f"a DID is at most {MAX_DID} characters"
    if not value.startswith("did:"):
        return "a DID starts with 'did:', e.g. did:web:example.edu"
    if "#" in value or "?" in value or "/" in value:
        return "enter the DID itself, without a '#key', '?query' or '/path' part"
    if not _DID.fullmatch(value):
        return "not a DID: expected did:<method>:<id> (method in lowercase letters and digits)"
    if value.startswith("did:web:"):
        try:
            did_web_url(value)
        except InputError as error:
            return f"not a usable did:web DID ({error.message})"
    return None


def normalise_domain(value: str) -> str:
    """``HTTPS://Example.EDU/`` -> ``example.edu``; other input is returned trimmed, unchanged."""
    text = value.strip()
    lowered = text.lower()
    for scheme in ("https://", "http://"):
        if lowered.startswith(scheme):
            text = text[len(scheme) :]
            break
    text = text.rstrip("/").rstrip(".")
    with contextlib.suppress(UnicodeError):  # then domain_error says what is wrong
        text = text.encode("idna").decode("ascii")  # internationalised names as punycode
    return text.lower()


def domain_error(value: str) -> str | None:
    """Why a normalised ``value`` is not a bare host name; None if it is one."""
    if not value:
        return "enter a domain such as example.edu"
    if any(sign in value for sign in "/:@?#") or not value.isascii():
        return "enter the host name only, e.g. example.edu (no path, port or e-mail address)"
    labels = value.split(".")
    if len(value) > MAX_DOMAIN or len(labels) < 2 or not all(_LABEL.fullmatch(x) for x in labels):
        return "not a domain name: use letters, digits and hyphens, e.g. example.edu"
    if labels[-1].isdigit():
        return "enter a domain name, not an IP address"
    return None


def bare_did(issuer_id: str) -> str:
    """The DID of a DID URL (``did:key:z6Mk…#z6Mk…`` -> ``did:key:z6Mk…``)."""
    return issuer_id.strip().split("#", 1)[0].split("?", 1)[0]


def controlling_domain(issuer_id: str) -> str | None:
    """The host that controls ``issuer_id``: a did:web DID's host or an https URL's host."""
    text = issuer_id.strip()
    if text.startswith("did:web:"):
        try:
            text = did_web_url(bare_did(text))
        except InputError:
            return None
    elif not text.lower().startswith("https://"):
        return None  # did:key and friends have no domain; plain http proves nothing
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return None
    if host is None:
        return None
    domain = normalise_domain(host)
    return None if domain_error(domain) else domain

"""Which DID a provider gets, and how its keys are named.

Decision (also in docs/operations.md, "Providers and keys"): a provider is by default a
did:web identity under the platform's base URL, ``did:web:<host>%3A<port>:providers:<slug>``,
whose document microcred serves at ``<base>/providers/<slug>/did.json``. did:web is only
resolvable over https, so when ``MICROCRED_BASE_URL`` is not https (development, the demo)
new providers default to **did:key**: credentials they issue verify anywhere without
fetching anything. A did:key provider's DID *is* its first key, so it can never rotate;
asking for ``did_method="web"`` explicitly is still allowed (tests, staging behind a proxy).
Keys of a did:web provider are ``#key-1``, ``#key-2``…; a did:key provider's only key is
``did:key:z6Mk…#z6Mk…``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from microcred.core.crypto.did import did_web_from_host
from microcred.core.crypto.keys import Ed25519KeyPair

WEB = "web"
KEY = "key"
METHODS = (WEB, KEY)


def default_did_method(base_url: str) -> str:
    """did:web when the platform is served over https, did:key otherwise."""
    return WEB if urlsplit(base_url).scheme == "https" else KEY


def did_web_for(base_url: str, slug: str) -> str:
    """``did:web:host%3Aport[:path]:providers:<slug>`` for a provider served by this platform."""
    return did_web_from_host(f"{base_url.rstrip('/')}/providers/{slug}")


def first_key_id(method: str, key: Ed25519KeyPair) -> str:
    """The fragment of a provider's first key."""
    return "key-1" if method == WEB else key.public_key_multibase


def next_key_id(existing: int) -> str:
    """The fragment of a did:web provider's next key, given how many it already has."""
    return f"key-{existing + 1}"


def vm_id(did: str, key_id: str) -> str:
    """The verification method id (DID URL) of a key."""
    return f"{did}#{key_id}"

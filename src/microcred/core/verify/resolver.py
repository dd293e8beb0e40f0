"""Verification method -> public key: did:key locally, did:web and https through the Fetcher.

A local keys map (``--keys``, the format of ``../shared/interop``) is consulted
first: an object mapping verification-method id -> Multikey document, a list of
Multikey documents, or entries that are whole controller documents (with
``verificationMethod``). A bare key in that map is authorised for
``assertionMethod`` and ``authentication`` by its (synthesised) controller, as
the interop tool does.

Every failure is a :class:`ResolutionError` whose message can be shown after
"issuer key could not be resolved offline: ".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from microcred.core import jsonio
from microcred.core.crypto.did import did_key_document, did_web_url
from microcred.core.crypto.keys import ED25519_VM_TYPES, Ed25519KeyPair
from microcred.core.errors import FetchError, InputError
from microcred.core.verify.fetcher import Fetcher, NoFetcher

PURPOSES = ("assertionMethod", "authentication", "capabilityInvocation", "capabilityDelegation")
JWK_VM_TYPES = frozenset({"JsonWebKey2020", "JsonWebKey"})
MAX_KEY_DOCUMENT_BYTES = 256 * 1024


class ResolutionError(FetchError):
    """A verification method could not be turned into a usable public key."""


@dataclass(frozen=True)
class ResolvedKey:
    """A resolved verification method.

    ``purposes`` lists the proof purposes the controller document authorises this
    method for, or is ``None`` when no controller document was available to say.
    """

    vm_id: str
    key_type: str  # "Ed25519", or a JWK kty ("EC", "RSA", "OKP")
    controller: str | None
    method: dict[str, Any]
    ed25519: Ed25519KeyPair | None = None
    jwk: dict[str, Any] | None = None
    purposes: frozenset[str] | None = None
    controller_document: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def public_key(self) -> bytes | dict[str, Any]:
        """Raw Ed25519 public key bytes, or the public JWK."""
        if self.ed25519 is not None:
            return self.ed25519.public_key
        return dict(self.jwk or {})

    def authorised_for(self, purpose: str) -> bool | None:
        """True/False when a controller document says so, None when unknown."""
        return None if self.purposes is None else purpose in self.purposes


def _purposes(controller_doc: dict[str, Any], vm_id: str) -> frozenset[str]:
    base = str(controller_doc.get("id", ""))
    found = set()
    for purpose in PURPOSES:
        for entry in _as_list(controller_doc.get(purpose)):
            ref = entry.get("id") if isinstance(entry, dict) else entry
            if isinstance(ref, str) and _absolute(ref, base) == vm_id:
                found.add(purpose)
    return frozenset(found)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _absolute(ref: str, base: str) -> str:
    return base + ref if ref.startswith("#") else ref


def _find_method(controller_doc: dict[str, Any], vm_id: str) -> dict[str, Any] | None:
    base = str(controller_doc.get("id", ""))
    candidates = _as_list(controller_doc.get("verificationMethod"))
    for purpose in PURPOSES:  # methods may also be embedded under a purpose
        candidates += [e for e in _as_list(controller_doc.get(purpose)) if isinstance(e, dict)]
    for method in candidates:
        if isinstance(method, dict) and _absolute(str(method.get("id", "")), base) == vm_id:
            resolved = dict(method)
            resolved["id"] = vm_id
            resolved.setdefault("controller", base or None)
            return resolved
    return None


def build_resolved(
    vm_id: str, method: dict[str, Any], controller_doc: dict[str, Any] | None
) -> ResolvedKey:
    """Turn a verification-method document into a :class:`ResolvedKey` (or ResolutionError)."""
    controller = method.get("controller")
    if controller is not None and not isinstance(controller, str):
        raise ResolutionError(f"{vm_id}: controller must be a string")
    purposes = _purposes(controller_doc, vm_id) if controller_doc is not None else None
    vm_type = method.get("type", "Multikey")
    common: dict[str, Any] = {
        "vm_id": vm_id,
        "controller": controller,
        "method": method,
        "purposes": purposes,
        "controller_document": controller_doc,
    }
    try:
        if vm_type in JWK_VM_TYPES or "publicKeyJwk" in method:
            jwk = _public_jwk(method.get("publicKeyJwk"), vm_id)
            return ResolvedKey(key_type=str(jwk["kty"]), jwk=jwk, **common)
        if vm_type not in ED25519_VM_TYPES:
            raise ResolutionError(f"{vm_id}: unsupported verification method type {vm_type!r}")
        public_only = {
            k: v
            for k, v in method.items()
            if k not in ("secretKeyMultibase", "privateKeyMultibase")
        }
        key = Ed25519KeyPair.from_multikey(public_only, where=vm_id)
    except InputError as exc:
        raise ResolutionError(str(exc)) from None
    return ResolvedKey(key_type="Ed25519", ed25519=key, **common)


def _public_jwk(jwk: Any, vm_id: str) -> dict[str, Any]:
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kty"), str):
        raise ResolutionError(f"{vm_id}: publicKeyJwk is missing or has no kty")
    if "d" in jwk:
        raise ResolutionError(f"{vm_id}: publicKeyJwk contains a private key ('d'); refusing it")
    return dict(jwk)


class KeyResolver:
    """Resolve verification-method ids; results are cached for the resolver's lifetime."""

    def __init__(self, fetcher: Fetcher | None = None, local_keys: Any = None) -> None:
        self._fetcher: Fetcher = fetcher or NoFetcher()
        self._methods: dict[str, dict[str, Any]] = {}
        self._controllers: dict[str, dict[str, Any]] = {}
        self._cache: dict[str, ResolvedKey] = {}
        if local_keys is not None:
            self.add_local_keys(local_keys)

    def add_local_keys(self, local_keys: Any) -> None:
        """Register a keys map (id -> Multikey or controller document), or a list of documents."""
        if isinstance(local_keys, list):
            entries = [(d.get("id") if isinstance(d, dict) else None, d) for d in local_keys]
        elif isinstance(local_keys, Mapping):
            entries = list(local_keys.items())
        else:
            raise InputError("the keys file must be a JSON object or array", where="keys")
        for key_id, doc in entries:
            if not isinstance(doc, dict):
                raise InputError("each entry must be a JSON object", where=f"keys: {key_id}")
            if isinstance(doc.get("verificationMethod"), list):
                self._add_controller(str(doc.get("id") or key_id), doc)
            else:
                self._add_bare_method(key_id, doc)
        self._cache.clear()

    def _add_controller(self, controller_id: str, doc: dict[str, Any]) -> None:
        doc = {**doc, "id": controller_id}
        self._controllers[controller_id] = doc
        for method in doc["verificationMethod"]:
            if isinstance(method, dict) and isinstance(method.get("id"), str):
                found = _find_method(doc, _absolute(method["id"], controller_id))
                if found is not None:
                    self._methods[found["id"]] = found

    def _add_bare_method(self, key_id: Any, doc: dict[str, Any]) -> None:
        vm_id = doc.get("id") or key_id
        if not isinstance(vm_id, str) or not vm_id:
            raise InputError("a key entry needs an id", where="keys")
        method = {**doc, "id": vm_id}
        controller = method.setdefault("controller", vm_id.split("#", 1)[0])
        self._methods[vm_id] = method
        synthetic = self._controllers.setdefault(
            controller, {"id": controller, "verificationMethod": [], "_synthetic": True}
        )
        if synthetic.get("_synthetic"):
            synthetic["verificationMethod"].append(method)
            for purpose in ("assertionMethod", "authentication"):
                synthetic.setdefault(purpose, []).append(vm_id)

    # -- resolution ---------------------------------------------------------------------
    def resolve(self, vm_id: str) -> ResolvedKey:
        """Resolve ``vm_id`` or raise :class:`ResolutionError` saying why not."""
        if not isinstance(vm_id, str) or not vm_id:
            raise ResolutionError("the proof names no verificationMethod")
        cached = self._cache.get(vm_id)
        if cached is None:
            cached = self._resolve_uncached(vm_id)
            self._cache[vm_id] = cached
        return cached

    def _resolve_uncached(self, vm_id: str) -> ResolvedKey:
        if vm_id in self._methods:
            method = self._methods[vm_id]
            controller_doc = self._controllers.get(str(method.get("controller")))
            return build_resolved(vm_id, method, _public_view(controller_doc))
        if vm_id.startswith("did:key:"):
            return self._resolve_did_key(vm_id)
        if vm_id.startswith("did:web:"):
            did = vm_id.split("#", 1)[0]
            try:
                url = did_web_url(did)
            except InputError as exc:
                raise ResolutionError(str(exc)) from None
            return self._from_controller(vm_id, self._fetch_json(url), expected_id=did)
        if vm_id.startswith("https://") or vm_id.startswith("http://"):
            return self._resolve_url(vm_id)
        scheme = ":".join(vm_id.split(":", 2)[:2])
        raise ResolutionError(f"{vm_id}: unsupported verification method scheme ({scheme})")

    def _resolve_did_key(self, vm_id: str) -> ResolvedKey:
        try:
            doc = did_key_document(vm_id)
        except InputError as exc:
            raise ResolutionError(str(exc)) from None
        # A bare did:key (no #fragment) names its only key; accepted when verifying.
        full_id = doc["verificationMethod"][0]["id"]
        return build_resolved(full_id, doc["verificationMethod"][0], doc)

    def _resolve_url(self, vm_id: str) -> ResolvedKey:
        base = vm_id.split("#", 1)[0]
        doc = self._fetch_json(base)
        if _find_method(doc, vm_id) is not None:
            return self._from_controller(vm_id, doc, expected_id=base)
        is_key = "publicKeyMultibase" in doc or "publicKeyJwk" in doc
        if not is_key or doc.get("id") not in (vm_id, base):
            raise ResolutionError(f"{base} does not describe the verification method {vm_id}")
        # The URL served the key itself; its controller document (if any) says what it may do.
        controller = doc.get("controller")
        controller_doc = None
        if isinstance(controller, str) and controller != base:
            controller_doc = self._try_controller(controller)
        return build_resolved(vm_id, {**doc, "id": vm_id}, controller_doc)

    def _try_controller(self, controller: str) -> dict[str, Any] | None:
        try:
            if controller.startswith("did:web:"):
                return self._fetch_json(did_web_url(controller))
            if controller.startswith("https://"):
                return self._fetch_json(controller)
        except (FetchError, InputError):
            return None
        return None

    def _from_controller(self, vm_id: str, doc: dict[str, Any], *, expected_id: str) -> ResolvedKey:
        if doc.get("id") != expected_id:
            raise ResolutionError(f"the document at {expected_id} has id {doc.get('id')!r}")
        method = _find_method(doc, vm_id)
        if method is None:
            raise ResolutionError(f"{expected_id} does not list the verification method {vm_id}")
        return build_resolved(vm_id, method, doc)

    def _fetch_json(self, url: str) -> dict[str, Any]:
        try:
            body = self._fetcher.fetch(url)
            doc = jsonio.loads(body, where=url, max_bytes=MAX_KEY_DOCUMENT_BYTES)
        except FetchError as exc:
            raise ResolutionError(str(exc)) from None
        except InputError as exc:
            raise ResolutionError(f"{url}: {exc.message}") from None
        if not isinstance(doc, dict):
            raise ResolutionError(f"{url} is not a JSON object")
        return doc


def _public_view(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    return {k: v for k, v in doc.items() if k != "_synthetic"}

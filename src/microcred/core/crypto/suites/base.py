"""The cryptosuite registry, signing and proof verification (VC Data Integrity 1.0).

Every suite here hashes the same way: ``SHA-256(canonical proof config) ||
SHA-256(canonical document)`` and signs those 64 bytes with Ed25519; suites
differ only in how they canonicalise (RDFC-1.0 or JCS) and in what the proof
config contains. That shared shape lives in :class:`Cryptosuite`.

Batches (a cohort signed with one key and one ``created``) share their proof
config, so its hash is computed once per distinct ``@context``
(:class:`ProofHashCache`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from microcred.core.crypto.suites.common import (
    MISMATCH,
    XSD_DATETIME,
    ProofError,
    ProofHashCache,
    decode_proof_value,
    encode_proof_value,
    format_created,
    proof_list,
    with_issuer,
    without_proof,
)
from microcred.core.crypto.termcheck import DEFAULT_GUARD, TermGuard
from microcred.core.errors import InputError, SigningError

if TYPE_CHECKING:
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.verify.resolver import KeyResolver, ResolvedKey

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
DEFAULT_SUITE = "eddsa-rdfc-2022"

__all__ = [
    "DATA_INTEGRITY_PROOF",
    "DEFAULT_SUITE",
    "BatchSigner",
    "BatchVerifier",
    "Cryptosuite",
    "ProofCheck",
    "ProofHashCache",
    "get_suite",
    "register",
    "sign_credential",
    "suite_for_proof",
    "verify_proof",
    "verify_proofs",
]


@dataclass(frozen=True)
class ProofCheck:
    """The outcome of checking one proof.

    ``code`` says which kind of failure it was (``None`` when ``ok``): ``unsupported``,
    ``malformed``, ``purpose``, ``unresolved``, ``unauthorised``, ``document``
    (canonicalisation refused the document) or ``signature``. ``controller`` is the
    key's controller, for the verifier's issuer == controller check.
    """

    ok: bool
    message: str
    verification_method: str | None
    cryptosuite: str
    controller: str | None = None
    code: str | None = None


class Cryptosuite:
    """One (proof type, cryptosuite) pair. Subclasses set the names and canonicalisation."""

    proof_type: str = DATA_INTEGRITY_PROOF
    cryptosuite: str | None = None  # the `cryptosuite` property; None for legacy proof types
    name: str = ""  # what users type (--suite) and what ProofCheck reports
    can_sign: bool = True

    def canonicalize(self, document: dict[str, Any]) -> bytes:
        raise NotImplementedError

    def canonicalize_for_signing(self, document: dict[str, Any], guard: TermGuard) -> bytes:
        """The document's canonical bytes when signing; suites that do not go through RDF
        first make sure every term is defined (an RDF suite's safe mode already does)."""
        return self.canonicalize(document)

    def proof_options(self, document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        """The proof (without ``proofValue``) to emit for ``options``."""
        proof = {"type": self.proof_type}
        if self.cryptosuite is not None:
            proof["cryptosuite"] = self.cryptosuite
        proof.update(options)
        return proof

    def proof_config(
        self, unsecured: dict[str, Any], proof_options: dict[str, Any]
    ) -> dict[str, Any]:
        """The object whose canonical form is hashed first: options + the document @context."""
        config = dict(proof_options)
        if "@context" in unsecured:
            config["@context"] = unsecured["@context"]
        return config

    def unsecured_for_verify(
        self, unsecured: dict[str, Any], proof_options: dict[str, Any]
    ) -> dict[str, Any]:
        """Suite-specific checks on the document before hashing (JCS: @context prefix)."""
        return unsecured

    def hash_data(
        self,
        unsecured: dict[str, Any],
        proof_options: dict[str, Any],
        cache: ProofHashCache | None = None,
        document_bytes: bytes | None = None,
    ) -> bytes:
        config = self.proof_config(unsecured, proof_options)

        def config_hash() -> bytes:
            return hashlib.sha256(self.canonicalize(config)).digest()

        first = cache.get(config, config_hash) if cache is not None else config_hash()
        if document_bytes is None:
            document_bytes = self.canonicalize(unsecured)
        return first + hashlib.sha256(document_bytes).digest()


# -- registry ---------------------------------------------------------------------------
_BY_NAME: dict[str, Cryptosuite] = {}
_BY_PROOF: dict[tuple[str, str | None], Cryptosuite] = {}


def register(suite: Cryptosuite, *aliases: str) -> Cryptosuite:
    """Add ``suite`` to the registry under its (proof type, cryptosuite) and its names."""
    _BY_PROOF[(suite.proof_type, suite.cryptosuite)] = suite
    for name in (suite.name, *aliases):
        _BY_NAME[name] = suite
    return suite


def _load_builtin() -> None:
    # Imported lazily: the suite modules import this one to subclass Cryptosuite.
    from microcred.core.crypto.suites import (  # noqa: F401
        ed25519_signature_2020,
        eddsa_jcs_2022,
        eddsa_rdfc_2022,
    )


def get_suite(name: str) -> Cryptosuite:
    """The suite called ``name`` (e.g. ``eddsa-rdfc-2022``) or InputError listing the known ones."""
    _load_builtin()
    suite = _BY_NAME.get(name)
    if suite is None:
        known = ", ".join(sorted(n for n, s in _BY_NAME.items() if s.can_sign))
        raise InputError(f"unknown cryptosuite {name!r}; use one of {known}", where="suite")
    return suite


def suite_for_proof(proof: dict[str, Any]) -> Cryptosuite | None:
    """The suite that checks ``proof`` (by its ``type`` and ``cryptosuite``), if any."""
    _load_builtin()
    cryptosuite = proof.get("cryptosuite") if proof.get("type") == DATA_INTEGRITY_PROOF else None
    if cryptosuite is not None and not isinstance(cryptosuite, str):
        return None  # e.g. a list (found by fuzzing): unhashable, and names no suite
    return _BY_PROOF.get((str(proof.get("type")), cryptosuite))


def registered() -> dict[tuple[str, str | None], Cryptosuite]:
    _load_builtin()
    return dict(_BY_PROOF)


def sign_credential(
    document: dict[str, Any],
    key: Ed25519KeyPair,
    *,
    suite: str | Cryptosuite = DEFAULT_SUITE,
    created: str | datetime | None = None,
    proof_purpose: str = "assertionMethod",
    verification_method: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    cache: ProofHashCache | None = None,
    check_issuer: bool = True,
    term_guard: TermGuard | None = None,
) -> dict[str, Any]:
    """A copy of ``document`` with a Data Integrity proof added (existing proofs are kept).

    A credential without an issuer id gets the key's controller; one whose issuer is
    another DID is refused (:class:`SigningError`) unless ``check_issuer`` is False
    (reproducing third-party test vectors). Documents that canonicalisation
    refuses (undefined terms, unknown contexts) raise the InputError subclass saying why.
    """
    chosen = get_suite(suite) if isinstance(suite, str) else suite
    if not chosen.can_sign:
        raise SigningError(f"{chosen.name} proofs can be verified but are not issued any more")
    if not isinstance(document, dict):
        raise InputError("a credential must be a JSON object", where="document")
    # No deep copy: nothing below mutates the input, and the result is a new top-level dict
    # that shares nested values with it (copying cost a third of a JCS signature).
    if check_issuer:
        document = with_issuer(document, key)
    options: dict[str, Any] = {
        "created": format_created(created),
        "verificationMethod": verification_method or key.id,
        "proofPurpose": proof_purpose,
    }
    if challenge is not None:
        options["challenge"] = challenge
    if domain is not None:
        options["domain"] = domain
    unsecured = without_proof(document)
    proof = chosen.proof_options(unsecured, options)
    document_bytes = chosen.canonicalize_for_signing(unsecured, term_guard or DEFAULT_GUARD)
    data = chosen.hash_data(unsecured, proof, cache, document_bytes)
    proof["proofValue"] = encode_proof_value(key.sign(data))
    existing = proof_list(document.get("proof"))
    return {**document, "proof": [*existing, proof] if existing else proof}


class BatchSigner:
    """Sign a cohort with one key and one ``created``: the proof-config hash is computed once.

    ``suite`` may also be ``"vc-jwt"``; :meth:`sign` then returns the compact JWT string.
    """

    def __init__(
        self,
        key: Ed25519KeyPair,
        *,
        suite: str = DEFAULT_SUITE,
        created: str | datetime | None = None,
        proof_purpose: str = "assertionMethod",
        verification_method: str | None = None,
    ) -> None:
        self.key = key
        self.jwt = suite == "vc-jwt"
        self.suite = None if self.jwt else get_suite(suite)
        if self.suite is not None and not self.suite.can_sign:
            raise SigningError(
                f"{self.suite.name} proofs can be verified but are not issued any more"
            )
        self.created = format_created(created)
        self.proof_purpose = proof_purpose
        self.verification_method = verification_method
        self.cache = ProofHashCache()
        self.term_guard = TermGuard()

    def sign(self, document: dict[str, Any]) -> dict[str, Any] | str:
        if self.suite is None:
            from microcred.core.crypto.suites.vc_jwt import sign_jwt

            return sign_jwt(
                document, self.key, kid=self.verification_method, term_guard=self.term_guard
            )
        return sign_credential(
            document,
            self.key,
            suite=self.suite,
            created=self.created,
            proof_purpose=self.proof_purpose,
            verification_method=self.verification_method,
            cache=self.cache,
            term_guard=self.term_guard,
        )


# -- verification -----------------------------------------------------------------------
def _unsecured(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    """The document as it was when ``proof`` was made (a chain keeps its previous proofs)."""
    unsecured = without_proof(document)
    previous = proof.get("previousProof")
    if previous is None:
        return unsecured
    wanted = [previous] if isinstance(previous, str) else previous
    if not isinstance(wanted, list) or not all(isinstance(w, str) for w in wanted):
        raise ProofError("previousProof must be a proof id or a list of them", "malformed")
    proofs = [p for p in proof_list(document.get("proof")) if isinstance(p, dict)]
    matching = [p for p in proofs if p.get("id") in wanted]
    if len(matching) != len(wanted):
        raise ProofError("a proof named in previousProof is missing from the document", "malformed")
    unsecured["proof"] = matching
    return unsecured


def _check_structure(
    proof: dict[str, Any], purpose: str, challenge: str | None, domain: str | None
) -> None:
    if proof.get("proofPurpose") != purpose:
        raise ProofError(
            f"the proof purpose is {proof.get('proofPurpose')!r}, expected {purpose!r}", "purpose"
        )
    created = proof.get("created")
    if created is not None and not (isinstance(created, str) and XSD_DATETIME.match(created)):
        raise ProofError(
            f"the proof's created {created!r} is not an XML Schema dateTime", "malformed"
        )
    if challenge is not None and proof.get("challenge") != challenge:
        raise ProofError("the proof's challenge does not match the expected one", "purpose")
    if domain is not None and proof.get("domain") != domain:
        raise ProofError("the proof's domain does not match the expected one", "purpose")


def _resolve(resolver: KeyResolver, vm_id: Any, purpose: str) -> ResolvedKey:
    from microcred.core.verify.resolver import ResolutionError

    if not isinstance(vm_id, str) or not vm_id:
        raise ProofError("the proof names no verificationMethod", "malformed")
    try:
        resolved = resolver.resolve(vm_id)
    except ResolutionError as exc:
        raise ProofError(f"issuer key could not be resolved: {exc}", "unresolved") from None
    if resolved.ed25519 is None:
        raise ProofError(f"{vm_id} is a {resolved.key_type} key, not an Ed25519 key", "unsupported")
    if resolved.authorised_for(purpose) is False:
        raise ProofError(
            f"{vm_id} is not authorised for {purpose} by its controller {resolved.controller}",
            "unauthorised",
        )
    return resolved


def verify_proof(
    document: dict[str, Any],
    proof: Any,
    resolver: KeyResolver,
    *,
    purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    cache: ProofHashCache | None = None,
) -> ProofCheck:
    """Check one proof of ``document``; never raises for bad input, returns a failed check."""
    if not isinstance(proof, dict):
        return ProofCheck(
            False, "the proof is not a JSON object", None, "unknown", code="malformed"
        )
    suite = suite_for_proof(proof)
    name = suite.name if suite else str(proof.get("cryptosuite") or proof.get("type") or "unknown")
    vm_id = (
        proof.get("verificationMethod")
        if isinstance(proof.get("verificationMethod"), str)
        else None
    )
    controller = None
    try:
        if suite is None:
            raise ProofError(f"unsupported proof type {name!r}", "unsupported")
        signature = decode_proof_value(proof)
        _check_structure(proof, purpose, challenge, domain)
        resolved = _resolve(resolver, vm_id, purpose)
        controller = resolved.controller
        options = {k: v for k, v in proof.items() if k != "proofValue"}
        try:
            unsecured = suite.unsecured_for_verify(_unsecured(document, proof), options)
            data = suite.hash_data(unsecured, options, cache)
        except InputError as exc:
            raise ProofError(f"the document cannot be canonicalised: {exc}", "document") from None
        assert resolved.ed25519 is not None  # checked by _resolve
        if not resolved.ed25519.verify(signature, data):
            raise ProofError(MISMATCH, "signature")
    except ProofError as exc:
        return ProofCheck(False, exc.message, vm_id, name, controller, exc.code)
    return ProofCheck(True, f"{name} signature verified with {vm_id}", vm_id, name, controller)


def verify_proofs(
    document: dict[str, Any], resolver: KeyResolver, *, cache: ProofHashCache | None = None
) -> list[ProofCheck]:
    """Check every proof of ``document`` (a proof set or chain); [] if it has none."""
    return [
        verify_proof(document, p, resolver, cache=cache) for p in proof_list(document.get("proof"))
    ]


class BatchVerifier:
    """Verify many credentials with one resolver and one proof-config hash cache."""

    def __init__(self, resolver: KeyResolver) -> None:
        self.resolver = resolver
        self.cache = ProofHashCache()

    def verify(self, document: dict[str, Any], proof: Any) -> ProofCheck:
        return verify_proof(document, proof, self.resolver, cache=self.cache)

    def verify_all(self, document: dict[str, Any]) -> list[ProofCheck]:
        return verify_proofs(document, self.resolver, cache=self.cache)

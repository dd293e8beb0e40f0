"""Proof and issuer checks: each proof's signature, and whether the key belongs to the issuer."""

from __future__ import annotations

from typing import Any

from microcred.core.crypto.suites.base import BatchVerifier, ProofCheck
from microcred.core.crypto.suites.common import proof_list
from microcred.core.crypto.suites.vc_jwt import JwtCheck, verify_jwt
from microcred.core.verify.checks import issuer_id
from microcred.core.verify.report import CheckResult

NO_PROOF = "The credential has no proof: nothing shows who wrote it or that it is unchanged."


def _issuer_result(controller: str | None, vm: str | None, document: dict[str, Any]) -> CheckResult:
    """The key's controller must be the credential's issuer (a key cannot vouch for another)."""
    expected = issuer_id(document)
    if controller is None:
        return CheckResult(
            "issuer", False, f"The key {vm} names no controller; the issuer is unconfirmed."
        )
    if expected is not None and controller != expected:
        message = (
            f"Signed with a key of {controller}, but the credential names {expected} as issuer."
        )
        return CheckResult("issuer", False, message)
    return CheckResult("issuer", True, f"Signed with {vm}, a key of the issuer {controller}.")


def _unresolved(label: str, why: str) -> list[CheckResult]:
    """The key could not be obtained: the signature was not checked (which is not forgery)."""
    return [
        CheckResult(
            "issuer", False, f"Issuer key could not be resolved offline: {why}", "key-unavailable"
        ),
        CheckResult(
            "proof", False, f"{label}: signature not checked, the key is unavailable.",
            "key-unavailable",
        ),
    ]  # fmt: skip


def _from_proof_check(check: ProofCheck, document: dict[str, Any]) -> list[CheckResult]:
    suite = check.cryptosuite or "proof"
    if check.code == "unresolved":
        return _unresolved(suite, check.message)
    if check.code == "unauthorised":
        return [
            CheckResult("issuer", False, check.message),
            CheckResult("proof", False, check.message),
        ]
    text = check.message if check.message.startswith(suite) else f"{suite}: {check.message}"
    proof = CheckResult("proof", check.ok, text)
    if check.code in ("unsupported", "malformed", "purpose", "document"):
        return [proof]
    return [proof, _issuer_result(check.controller, check.verification_method, document)]


RDF_SUITES = frozenset({"eddsa-rdfc-2022", "eddsa-2022", "Ed25519Signature2020"})


def rdf_was_checked(outcomes: list[ProofCheck]) -> bool:
    """True when a proof check canonicalised the document's RDF in safe mode (so every term
    is defined): it got as far as comparing the signature."""
    return any(o.cryptosuite in RDF_SUITES and (o.ok or o.code == "signature") for o in outcomes)


def verify_embedded(document: dict[str, Any], verifier: BatchVerifier) -> list[ProofCheck]:
    return [verifier.verify(document, proof) for proof in proof_list(document.get("proof"))]


def check_embedded_proofs(
    document: dict[str, Any], outcomes: list[ProofCheck]
) -> list[CheckResult]:
    """One proof result (and one issuer result) per embedded proof."""
    if not outcomes:
        return [CheckResult("proof", False, NO_PROOF)]
    # OB 3.0: a verifier may use any one proof. A proof type we do not know is skipped when
    # another proof verified; every proof we do know must hold.
    verified_one = any(outcome.ok for outcome in outcomes)
    results: list[CheckResult] = []
    for outcome in outcomes:
        if outcome.code == "unsupported" and verified_one:
            message = (
                f"{outcome.cryptosuite}: not supported here, skipped (another proof verified)."
            )
            results.append(CheckResult("proof", True, message))
        else:
            results.extend(_from_proof_check(outcome, document))
    return results


def _jwt_issuer(check: JwtCheck, document: dict[str, Any]) -> CheckResult:
    if check.key_source == "jwk":
        # An embedded jwk proves the token is intact, not who made it: say so plainly.
        message = (
            "Signed with a key embedded in the JWT header; it is not published by the issuer "
            f"{issuer_id(document)}, so the issuer is taken on the credential's word."
        )
        return CheckResult("issuer", True, message, "embedded-key")
    return _issuer_result(check.controller, check.kid, document)


def check_jwt_proof(
    token: str, document: dict[str, Any], verifier: BatchVerifier
) -> list[CheckResult]:
    """The JWS signature and claims of a VC-JWT, and the issuer behind its key."""
    check = verify_jwt(token, verifier.resolver)
    alg = check.alg or "JWS"
    if check.code == "unresolved":
        return _unresolved(f"VC-JWT ({alg})", check.message)
    results = [CheckResult("proof", check.ok, f"VC-JWT ({alg}): {check.message}")]
    if check.code in (None, "signature", "claims"):
        results.append(_jwt_issuer(check, document))
    return results

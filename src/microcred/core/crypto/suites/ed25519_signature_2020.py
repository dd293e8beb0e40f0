"""Ed25519Signature2020 (legacy, VC-DI-EDDSA appendix): verification, and signing for tests.

Same hashing as eddsa-rdfc-2022 (the proof options take the document's
``@context``; RDFC-1.0 for both halves) but the proof has ``type``
``Ed25519Signature2020`` and no ``cryptosuite``; the document must use the
``https://w3id.org/security/suites/ed25519-2020/v1`` context so the proof's terms
are defined. New credentials should use eddsa-rdfc-2022, so it is not offered
for issuing by name (``get_suite`` lists only suites that sign).
"""

from __future__ import annotations

from typing import Any

from microcred.core.crypto.suites.base import Cryptosuite, register
from microcred.core.crypto.suites.common import ProofError
from microcred.core.crypto.suites.eddsa_rdfc_2022 import rdfc_bytes

ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


class Ed25519Signature2020(Cryptosuite):
    proof_type = "Ed25519Signature2020"
    cryptosuite = None
    name = "Ed25519Signature2020"
    # Legacy: verified for old credentials; signing exists to produce regression fixtures.
    can_sign = True

    def canonicalize(self, document: dict[str, Any]) -> bytes:
        return rdfc_bytes(document)

    def unsecured_for_verify(
        self, unsecured: dict[str, Any], proof_options: dict[str, Any]
    ) -> dict[str, Any]:
        contexts = unsecured.get("@context")
        contexts = contexts if isinstance(contexts, list) else [contexts]
        if ED25519_2020_CONTEXT not in contexts:
            raise ProofError(
                f"an Ed25519Signature2020 proof needs the {ED25519_2020_CONTEXT} context "
                "in the document",
                "malformed",
            )
        return unsecured


ED25519_SIGNATURE_2020 = register(Ed25519Signature2020())

"""eddsa-rdfc-2022 (VC-DI-EDDSA §3.2): RDFC-1.0 canonical N-Quads, Ed25519.

The proof configuration is the proof options with the document's ``@context``;
both it and the document are canonicalised with RDFC-1.0. The pre-standard name
``eddsa-2022`` (data-integrity v1 context; e.g. the 1EdTech fixture
``simple-eddsa-2022.json``) used the same algorithm and is accepted for
verification only.
"""

from __future__ import annotations

from typing import Any

from microcred.core.crypto.suites.base import Cryptosuite, register


def rdfc_bytes(document: dict[str, Any]) -> bytes:
    """RDFC-1.0 canonical N-Quads of ``document`` as UTF-8."""
    # Imported on first use: JSON-LD processing is heavy and JCS-only users never need it.
    from microcred.core.crypto import rdfc

    return rdfc.canonicalize(document).encode("utf-8")


class EddsaRdfc2022(Cryptosuite):
    cryptosuite = "eddsa-rdfc-2022"
    name = "eddsa-rdfc-2022"

    def canonicalize(self, document: dict[str, Any]) -> bytes:
        return rdfc_bytes(document)


class LegacyEddsa2022(EddsaRdfc2022):
    """The 2022 draft name of eddsa-rdfc-2022; verification only."""

    cryptosuite = "eddsa-2022"
    name = "eddsa-2022"
    can_sign = False


EDDSA_RDFC_2022 = register(EddsaRdfc2022())
LEGACY_EDDSA_2022 = register(LegacyEddsa2022())

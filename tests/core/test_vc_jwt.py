"""VC-JWT: the 1EdTech fixtures, EdDSA sign/verify, ES256/RS256 verification, claim checks."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from joserfc import jws
from joserfc.jwk import ECKey, OKPKey, RSAKey

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import BatchSigner
from microcred.core.crypto.suites.vc_jwt import sign_jwt, verify_jwt
from microcred.core.verify.resolver import KeyResolver
from tests.conftest import EXAMPLES

CLR_JWT = (EXAMPLES / "clr_v2p0" / "validator" / "simple.jwt").read_text().strip()
OB_JWT = (EXAMPLES / "ob_v3p0" / "validator" / "simple.jwt").read_text().strip()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _part(token: str, index: int) -> dict[str, Any]:
    part = token.split(".")[index]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def _replace_part(token: str, index: int, value: dict[str, Any]) -> str:
    parts = token.split(".")
    parts[index] = _b64(json.dumps(value).encode())
    return ".".join(parts)


CREDENTIAL: dict[str, Any] = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
    "type": ["VerifiableCredential"],
    "validFrom": "2025-01-15T09:30:00Z",
    "validUntil": "2030-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:learner"},
}


def test_clr_fixture_rs256_with_embedded_jwk_verifies() -> None:
    check = verify_jwt(CLR_JWT, KeyResolver())
    assert check.ok, check.message
    assert (check.alg, check.key_source) == ("RS256", "jwk")
    assert check.credential is not None
    assert check.credential["issuer"]["id"] == check.claims["iss"]


def test_tampered_clr_fixture_fails() -> None:
    payload = _part(CLR_JWT, 1)
    payload["vc"]["credentialSubject"]["id"] = "did:example:someone-else"
    check = verify_jwt(_replace_part(CLR_JWT, 1, payload), KeyResolver())
    assert (check.ok, check.code) == (False, "signature")
    assert "changed after signing" in check.message


def test_embedded_private_jwk_is_refused() -> None:
    header = _part(CLR_JWT, 0)
    header["jwk"]["d"] = "AQAB"
    check = verify_jwt(_replace_part(CLR_JWT, 0, header), KeyResolver())
    assert not check.ok
    assert "private key" in check.message


def test_ob_fixture_without_kid_or_jwk_says_so() -> None:
    check = verify_jwt(OB_JWT, KeyResolver())
    assert (check.ok, check.code) == (False, "unresolved")
    assert "neither a kid nor a jwk" in check.message
    assert check.credential is not None  # still readable for the report


def test_eddsa_round_trip_ob3_style() -> None:
    key = Ed25519KeyPair.generate()
    token = sign_jwt(CREDENTIAL, key)
    assert _part(token, 0) == {"alg": "EdDSA", "kid": key.id, "typ": "JWT"}
    payload = _part(token, 1)
    assert payload["@context"] == CREDENTIAL["@context"]  # the credential is the payload
    assert payload["iss"] == key.controller == payload["issuer"]
    assert payload["jti"] == CREDENTIAL["id"]
    assert payload["sub"] == "did:example:learner"
    assert payload["nbf"] == 1736933400
    assert payload["exp"] == 1893456000
    check = verify_jwt(token, KeyResolver())
    assert check.ok, check.message
    assert check.controller == key.controller
    assert check.credential is not None
    assert "iss" not in check.credential
    assert check.credential["issuer"] == key.controller


def test_eddsa_tampered_payload_and_other_key_fail() -> None:
    key = Ed25519KeyPair.generate()
    token = sign_jwt(CREDENTIAL, key)
    payload = _part(token, 1)
    payload["credentialSubject"]["id"] = "did:example:mallory"
    payload["sub"] = "did:example:mallory"
    assert verify_jwt(_replace_part(token, 1, payload), KeyResolver()).code == "signature"
    other = Ed25519KeyPair.generate()
    header = {**_part(token, 0), "kid": other.id}
    assert verify_jwt(_replace_part(token, 0, header), KeyResolver()).code == "signature"


def test_batch_signer_emits_jwts() -> None:
    key = Ed25519KeyPair.generate()
    token = BatchSigner(key, suite="vc-jwt").sign(CREDENTIAL)
    assert isinstance(token, str)
    assert verify_jwt(token, KeyResolver()).ok


def _okp_jwk(key: Ed25519KeyPair) -> OKPKey:
    assert key.seed is not None
    return OKPKey.import_key(
        {"kty": "OKP", "crv": "Ed25519", "x": _b64(key.public_key), "d": _b64(key.seed)}
    )


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_claims_that_contradict_the_credential_fail() -> None:
    key = Ed25519KeyPair.generate()
    credential = {**CREDENTIAL, "issuer": key.controller}
    payload = {**credential, "iss": "did:example:impostor", "nbf": 1736933400}
    header = {"alg": "EdDSA", "kid": key.id, "typ": "JWT"}
    token = jws.serialize_compact(header, json.dumps(payload), _okp_jwk(key), algorithms=["EdDSA"])
    check = verify_jwt(token, KeyResolver())
    assert (check.ok, check.code) == (False, "claims")
    assert "iss" in check.message


def test_es256_with_kid_from_local_keys_and_vc_claim_style() -> None:
    ec = ECKey.generate_key("P-256")
    kid = "https://issuer.example/keys#es"
    public = ec.as_dict(private=False)
    resolver = KeyResolver(local_keys={kid: {"type": "JsonWebKey2020", "publicKeyJwk": public}})
    vc = {**CREDENTIAL, "issuer": "https://issuer.example/keys"}
    payload = {
        "vc": vc,
        "iss": vc["issuer"],
        "jti": vc["id"],
        "sub": "did:example:learner",
        "exp": 1893456000,
    }
    token = jws.serialize_compact(
        {"alg": "ES256", "kid": kid}, json.dumps(payload), ec, algorithms=["ES256"]
    )
    check = verify_jwt(token, resolver)
    assert check.ok, check.message
    assert check.credential == vc
    assert check.controller == "https://issuer.example/keys"


def test_algorithm_must_fit_the_key_and_none_is_refused() -> None:
    rsa = RSAKey.generate_key(2048)
    kid = "https://issuer.example/keys#rsa"
    resolver = KeyResolver(
        local_keys={kid: {"type": "JsonWebKey2020", "publicKeyJwk": rsa.as_dict(private=False)}}
    )
    payload = json.dumps(
        {
            **CREDENTIAL,
            "iss": "https://issuer.example/keys",
            "issuer": "https://issuer.example/keys",
            "exp": 1893456000,
        }
    )
    good = jws.serialize_compact({"alg": "RS256", "kid": kid}, payload, rsa, algorithms=["RS256"])
    assert verify_jwt(good, resolver).ok
    as_eddsa = _replace_part(good, 0, {"alg": "EdDSA", "kid": kid})
    assert verify_jwt(as_eddsa, resolver).code == "unsupported"
    unsigned = _replace_part(good, 0, {"alg": "none"}).rsplit(".", 1)[0] + ".x"
    assert verify_jwt(unsigned, resolver).code == "unsupported"


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c", "e30.e30.", "W10.e30.AA"])
def test_malformed_tokens_fail_cleanly(token: str) -> None:
    check = verify_jwt(token, KeyResolver())
    assert not check.ok
    assert check.code == "malformed"

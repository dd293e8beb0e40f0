"""Checks that need no key and no network: validity period, recipient, structure."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime
from typing import Any

from microcred.core.verify.report import CheckResult

VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def parse_datetime(value: Any) -> datetime | None:
    """An XML Schema dateTime as an aware datetime (no time zone means UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _bounds(document: dict[str, Any]) -> tuple[tuple[str, Any], tuple[str, Any]]:
    """(start field, value), (end field, value): VC 2.0 names, else the VC 1.1 ones."""
    if "validFrom" in document or "validUntil" in document or "issuanceDate" not in document:
        return ("validFrom", document.get("validFrom")), ("validUntil", document.get("validUntil"))
    return ("issuanceDate", document.get("issuanceDate")), (
        "expirationDate",
        document.get("expirationDate"),
    )


def check_validity(document: dict[str, Any], now: datetime) -> CheckResult:
    (start_name, start_raw), (end_name, end_raw) = _bounds(document)
    start, end = parse_datetime(start_raw), parse_datetime(end_raw)
    if start_raw is not None and start is None:
        return CheckResult(
            "validity", False, f"{start_name} is not a valid date-time: {start_raw!r}"
        )
    if end_raw is not None and end is None:
        return CheckResult("validity", False, f"{end_name} is not a valid date-time: {end_raw!r}")
    if start is not None and now < start:
        message = f"Not yet valid: valid from {_day(start)}."
        return CheckResult("validity", False, message, "not-yet-valid")
    if end is not None and now > end:
        return CheckResult("validity", False, f"Expired on {_day(end)}.", "expired")
    since = f"Valid since {_day(start)}" if start else "No start date given"
    until = f"until {_day(end)}." if end else "with no expiry date."
    return CheckResult("validity", True, f"{since}, {until}")


def check_jwt_claims(claims: dict[str, Any], now: datetime) -> CheckResult | None:
    """A failed validity result when the JWT's nbf/exp say so, else None."""
    nbf, exp = claims.get("nbf"), claims.get("exp")
    if isinstance(nbf, int | float) and now.timestamp() < nbf:
        message = "Not yet valid: the JWT's nbf is in the future."
        return CheckResult("validity", False, message, "not-yet-valid")
    if isinstance(exp, int | float) and now.timestamp() > exp:
        moment = datetime.fromtimestamp(exp, UTC)
        return CheckResult("validity", False, f"Expired on {_day(moment)} (JWT exp).", "expired")
    return None


def _identity_matches(identifier: dict[str, Any], email: str) -> bool:
    if identifier.get("identityType") not in ("emailAddress", None):
        return False
    value = str(identifier.get("identityHash", ""))
    if identifier.get("hashed") in (True, "true"):
        algorithm, _, digest = value.partition("$")
        if algorithm not in ("sha256", "md5"):
            return False
        salt = str(identifier.get("salt") or "")
        candidates = {email, email.strip().lower()}
        return any(
            hmac.compare_digest(
                hashlib.new(algorithm, (c + salt).encode("utf-8")).hexdigest(), digest.lower()
            )
            for c in candidates
        )
    return value.strip().lower() == email.strip().lower()


def check_recipient(
    document: dict[str, Any], *, email: str | None, subject_id: str | None
) -> CheckResult:
    """Does the credential name this recipient (by id, or by a plain or hashed email)?"""
    subjects = document.get("credentialSubject")
    subject_list = subjects if isinstance(subjects, list) else [subjects]
    for subject in (s for s in subject_list if isinstance(s, dict)):
        if subject_id and subject.get("id") == subject_id:
            return CheckResult("recipient", True, f"Issued to {subject_id}, as expected.")
        identifiers = subject.get("identifier") or []
        identifiers = identifiers if isinstance(identifiers, list) else [identifiers]
        if email and any(isinstance(i, dict) and _identity_matches(i, email) for i in identifiers):
            return CheckResult("recipient", True, f"Issued to {email}, as expected.")
    expected = subject_id or email
    return CheckResult("recipient", False, f"Not issued to {expected}: no identifier matches.")


def check_structure(document: dict[str, Any], *, jsonld: bool = True) -> CheckResult:
    """The VC data-model shape, the Open Badges 3.0 model for Open Badges, and (``jsonld``)
    that every term is defined: a Data Integrity signature covers the RDF, so a dropped term
    would be unsigned. A VC-JWT signs the bytes themselves, so its terms are not checked."""
    problem = _vc_shape_problem(document) or (_jsonld_problem(document) if jsonld else None)
    if problem:
        return CheckResult("structure", False, problem)
    types = _types(document)
    if types & {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}:
        from microcred.core.errors import InputError
        from microcred.core.model import parse_credential, parse_endorsement

        parse = parse_endorsement if "EndorsementCredential" in types else parse_credential
        try:
            parsed = parse(document)
        except InputError as exc:
            return CheckResult("structure", False, f"Not a valid Open Badge: {exc}")
        kind = "an Open Badges 3.0 credential"
        subject = getattr(parsed, "credential_subject", None)
        if subject is not None and not getattr(subject, "names_recipient", True):
            kind += " (it names no recipient id or identifier, so whose it is cannot be checked)"
    elif "ClrCredential" in types:
        kind = "a CLR 2.0 credential"
    else:
        kind = "a W3C Verifiable Credential"
    return CheckResult("structure", True, f"Well-formed: {kind}.")


def _jsonld_problem(document: dict[str, Any]) -> str | None:
    """Undefined terms and unknown contexts: what a signature over RDF would silently miss."""
    from microcred.core.crypto import rdfc
    from microcred.core.errors import ContextError, InputError

    unsecured = {key: value for key, value in document.items() if key != "proof"}
    try:
        rdfc.canonicalize(unsecured)
    except ContextError as exc:
        return f"Uses a JSON-LD context microcred does not know (never fetched): {exc.message}"
    except InputError as exc:
        return f"Not well-defined JSON-LD: {exc}"
    return None


def _types(document: dict[str, Any]) -> set[str]:
    raw = document.get("type")
    return {t for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}


def _vc_shape_problem(document: dict[str, Any]) -> str | None:
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in (VC1_CONTEXT, VC2_CONTEXT):
        return f"@context must start with {VC2_CONTEXT} (or {VC1_CONTEXT}), found {first!r}."
    if "VerifiableCredential" not in _types(document):
        return "type must include VerifiableCredential."
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id:
        return "issuer is missing (it must be a URI or an object with an id)."
    if not isinstance(document.get("credentialSubject"), dict | list):
        return "credentialSubject is missing."
    if first == VC1_CONTEXT and "issuanceDate" not in document:
        return "issuanceDate is missing (required by VC 1.1)."
    return None


def issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else None

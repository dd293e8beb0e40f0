"""Reading an imported credential, framework-free: its format, its dedupe key, whether it
is a credential at all, to whom it is issued, and the one-word verdict of its report."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import rfc8785

from microcred.core.model.identity import identity_hash_matches, normalize_email
from microcred.core.verify.inputs import DecodedInput

CREDENTIAL_TYPES = frozenset(
    {"VerifiableCredential", "OpenBadgeCredential", "AchievementCredential", "Assertion"}
)


def _types(document: dict[str, Any]) -> set[str]:
    raw = document.get("type")
    values = raw if isinstance(raw, list) else [raw]
    return {value for value in values if isinstance(value, str)}


def credential_problem(document: dict[str, Any]) -> str | None:
    """Why ``document`` is not a credential (None when it is one)."""
    types = _types(document)
    if types & CREDENTIAL_TYPES:
        return None
    if "VerifiablePresentation" in types:
        return "This is a presentation, not a single credential: import the credentials it holds."
    named = ", ".join(sorted(types)) or "none"
    return (
        "This JSON is not a credential: its type ("
        + named
        + ") is none of VerifiableCredential, OpenBadgeCredential or an Open Badges 2.0 Assertion."
    )


def ob2_format(document: dict[str, Any], *, signed: bool) -> str:
    verification = document.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    return "ob2-signed" if signed or str(kind).lower() == "signed" else "ob2-hosted"


def format_of(decoded: DecodedInput) -> str:
    """The wallet's format name for what the learner handed in."""
    if decoded.container == "baked PNG":
        return "baked-png"
    if decoded.container == "baked SVG":
        return "baked-svg"
    if decoded.encoding == "ob2":
        return ob2_format(decoded.document, signed=decoded.jwt is not None)
    return "vc-jwt" if decoded.jwt is not None else "ob3-json"


def credential_id(document: dict[str, Any]) -> str:
    value = document.get("id")
    return value.strip()[:500] if isinstance(value, str) else ""


def dedupe_key(document: dict[str, Any]) -> str:
    """The credential's id when it has one (the same credential as JSON, JWT or baked image
    is one entry); otherwise a digest of its canonical (JCS) form."""
    identifier = credential_id(document)
    if identifier:
        return "id:" + identifier
    return "sha256:" + hashlib.sha256(rfc8785.dumps(document)).hexdigest()


# ------------------------------------------------------------------------------ recipient


@dataclass(frozen=True)
class EmailIdentity:
    value: str
    hashed: bool
    salt: str | None


def email_identities(document: dict[str, Any]) -> list[EmailIdentity]:
    """The email identities a credential names its recipient by (OB 3.0 or OB 2.0)."""
    found: list[EmailIdentity] = []
    subject = document.get("credentialSubject")
    subjects = subject if isinstance(subject, list) else [subject]
    for item in subjects:
        identifiers = item.get("identifier") if isinstance(item, dict) else None
        for identity in identifiers if isinstance(identifiers, list) else []:
            if isinstance(identity, dict) and identity.get("identityType") == "emailAddress":
                found.append(_identity(identity.get("identityHash"), identity))
    recipient = document.get("recipient")
    if isinstance(recipient, dict) and recipient.get("type") == "email":
        found.append(_identity(recipient.get("identity"), recipient))
    return [identity for identity in found if identity.value]


def _identity(value: Any, holder: dict[str, Any]) -> EmailIdentity:
    salt = holder.get("salt")
    return EmailIdentity(
        value=value if isinstance(value, str) else "",
        hashed=bool(holder.get("hashed")),
        salt=salt if isinstance(salt, str) else None,
    )


@dataclass(frozen=True)
class RecipientMatch:
    """``kind``: "yours" (``address`` is the verified address it names), "other" (an email
    that is none of the learner's verified addresses) or "none" (no email in it)."""

    kind: str
    address: str = ""


def recipient_match(document: dict[str, Any], addresses: set[str]) -> RecipientMatch:
    identities = email_identities(document)
    if not identities:
        return RecipientMatch("none")
    for identity in identities:
        for address in sorted(addresses):
            if _names(identity, address):
                return RecipientMatch("yours", address)
    return RecipientMatch("other")


def _names(identity: EmailIdentity, address: str) -> bool:
    if not identity.hashed:
        return normalize_email(identity.value) == normalize_email(address)
    # Issuers that do not normalise hashed the address as typed; ours are lower case.
    return any(
        identity_hash_matches(identity.value, candidate, identity.salt)
        for candidate in {normalize_email(address), address}
    )


# -------------------------------------------------------------------------------- verdict


def verdict_of(report: dict[str, Any]) -> str:
    """One word for a report (``VerificationReport.to_json()``): a forged or broken credential
    is "invalid" before anything else; then revoked, suspended, expired; a status list that
    could not be read is "unchecked". Only a fully verified report is "valid"."""
    if report.get("verified") is True:
        return "valid"
    failed = [c for c in report.get("checks", []) if isinstance(c, dict) and not c.get("ok")]
    if not failed:
        return "invalid"
    names = {str(c.get("check")) for c in failed}
    if names - {"status", "validity", "endorsement", "recipient"}:
        return "invalid"
    codes = {str(c.get("code", "")) for c in failed}  # stable reasons (see docs/verification.md)
    for code in ("revoked", "suspended", "expired"):
        if code in codes:
            return code
    if "status-unknown" in codes:
        return "unchecked"
    return "invalid"

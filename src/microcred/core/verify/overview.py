"""One row of a verification summary table: who holds it, what, from whom, when.

Read from the verified document itself (never from anything it points to) with
:func:`facts_of`; a presentation names its holder, an OB 2.0 assertion is described by
:mod:`microcred.core.verify.ob2` from the badge and issuer it fetched.
"""

from __future__ import annotations

from typing import Any

from microcred.core.model.facts import facts_of
from microcred.core.verify.checks import parse_datetime
from microcred.core.verify.report import VerificationReport

COLUMNS = ("holder", "achievement", "issuer", "issued")
UNKNOWN = "—"


def describe(report: VerificationReport) -> dict[str, str]:
    """The report's row (its own ``overview`` when the verifier already filled it)."""
    if report.overview:
        return {column: report.overview.get(column) or UNKNOWN for column in COLUMNS}
    document = report.credential
    if not isinstance(document, dict):
        return dict.fromkeys(COLUMNS, UNKNOWN)
    if report.kind == "presentation":
        return _presentation_row(document)
    return credential_row(document)


def credential_row(document: dict[str, Any]) -> dict[str, str]:
    subject = _first_subject(document)
    achievement = subject.get("achievement")
    if isinstance(achievement, list):  # a CLR subject lists several achievements
        subject = {**subject, "achievement": {"name": f"{len(achievement)} achievement(s)"}}
    try:
        facts = facts_of({**document, "credentialSubject": subject})
        name, issuer, issued = facts.name, facts.issuer_name, facts.issued
    except (AttributeError, TypeError, ValueError):
        # Other issuers' documents vary wildly; the row then says less, never fails.
        name, issuer, issued = "", "", None
    issued = issued or parse_datetime(document.get("issuanceDate"))
    return {
        "holder": recipient_label(subject),
        "achievement": name or UNKNOWN,
        "issuer": issuer or UNKNOWN,
        "issued": issued.date().isoformat() if issued else UNKNOWN,
    }


def _presentation_row(document: dict[str, Any]) -> dict[str, str]:
    holder = document.get("holder")
    holder = holder.get("id") if isinstance(holder, dict) else holder
    raw = document.get("verifiableCredential")
    count = len(raw) if isinstance(raw, list) else 0 if raw is None else 1
    proof = document.get("proof")
    created = parse_datetime(proof.get("created")) if isinstance(proof, dict) else None
    return {
        "holder": holder if isinstance(holder, str) and holder else UNKNOWN,
        "achievement": f"Presentation of {count} credential(s)",
        "issuer": "(signed by the holder)",
        "issued": created.date().isoformat() if created else UNKNOWN,
    }


def _first_subject(document: dict[str, Any]) -> dict[str, Any]:
    subject = document.get("credentialSubject")
    if isinstance(subject, list):
        subject = next((s for s in subject if isinstance(s, dict)), None)
    return subject if isinstance(subject, dict) else {}


def recipient_label(subject: dict[str, Any]) -> str:
    """How the credential names its recipient: an id, a plain email, or a hashed one."""
    if isinstance(subject.get("id"), str) and subject["id"]:
        return str(subject["id"])
    identifiers = subject.get("identifier") or []
    for identity in identifiers if isinstance(identifiers, list) else [identifiers]:
        if not isinstance(identity, dict):
            continue
        kind = str(identity.get("identityType") or "identifier")
        if identity.get("hashed") in (True, "true"):
            return f"hashed {kind}"
        if isinstance(identity.get("identityHash"), str):
            return str(identity["identityHash"])
    name = subject.get("name")
    return name if isinstance(name, str) and name else UNKNOWN

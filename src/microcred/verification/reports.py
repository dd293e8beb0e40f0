"""The plain-language report: what an employer reads about one credential.

A presenter over the engine's :class:`VerificationReport`, the facts the credential states
(``facts_of``) and the issuer trust registry. It decides the verdict and the words; pages
and the API only lay them out. The registry is consulted only when the signature holds and
ties the credential to its issuer's key: otherwise anyone could claim a known issuer's DID.
Matching uses the issuer id alone (its DID, or the host of a did:web or https id), never
the ``url`` an issuer profile claims for itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from microcred.core.model.facts import CredentialFacts, facts_of
from microcred.core.verify.checks import parse_datetime
from microcred.core.verify.report import CheckResult, VerificationReport
from microcred.verification import selectors
from microcred.verification.selectors import TrustMatch


class Verdict(Enum):
    """key, label, icon (shown beside the text, never alone), tone (colour class)."""

    VALID = ("valid", "Valid", "✔", "ok")
    NOT_VALID = ("not-valid", "Not valid", "✘", "bad")
    EXPIRED = ("expired", "Expired", "!", "warn")
    SUSPENDED = ("suspended", "Suspended", "‖", "warn")
    REVOKED = ("revoked", "Revoked", "⊘", "bad")
    BAD_SIGNATURE = ("bad-signature", "Signature does not hold", "✘", "bad")
    UNUSABLE = ("unusable", "Unusable input", "?", "neutral")

    def __init__(self, key: str, label: str, icon: str, tone: str) -> None:
        self.key, self.label, self.icon, self.tone = key, label, icon, tone


CHECK_LABELS = {
    "structure": "Format",
    "proof": "Signature",
    "issuer": "Issuer's key",
    "validity": "Dates",
    "status": "Revocation and suspension",
    "recipient": "Recipient",
    "endorsement": "Endorsement",
    "holder": "Holder's key",
    "challenge": "Challenge and domain",
    "credentials": "Credentials inside",
}
PRESENTATION_TRUST = (
    "A presentation is signed by its holder, not by an issuer: each credential in it has its "
    "own report below, with its issuer's trust."
)

HASHED_PREFIX = "a holder identified by a "


@dataclass(frozen=True)
class Trust:
    kind: str  # "known", "suspended", "unknown", "unconfirmed" or "none" (unusable input)
    text: str
    entry: TrustMatch | None = None


@dataclass(frozen=True)
class CheckLine:
    label: str
    ok: bool
    message: str


@dataclass(frozen=True)
class PlainReport:
    number: int  # 1-based position on the page; the anchor is ``credential-<number>``
    input: str
    verdict: Verdict
    headline: str
    issuer_name: str
    issuer_id: str
    trust: Trust
    holder: str
    recipient: str
    achievement: str
    description: str
    issued: str | None
    expires: str | None
    status: str
    signature: str
    checks: list[CheckLine] = field(default_factory=list)
    issued_at: datetime | None = None
    expires_at: datetime | None = None
    facts: CredentialFacts | None = None
    kind: str = "credential"  # or "presentation", "ob2"
    verified: bool = False
    raw_checks: list[CheckResult] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"credential-{self.number}"

    @property
    def holder_short(self) -> str:
        """The holder for a table cell: "Hashed email address" rather than a sentence."""
        return (
            self.holder.removeprefix(HASHED_PREFIX).capitalize()
            if self.holder.startswith(HASHED_PREFIX)
            else self.holder
        )


def day(moment: datetime | None) -> str | None:
    """``3 March 2025``: the date as people write it (the engine's messages keep UTC times)."""
    return f"{moment.day} {moment:%B %Y}" if moment is not None else None


def verdict_of(report: VerificationReport) -> Verdict:
    """The one word for the table. Order matters: a forged credential's claims (revoked,
    expired) mean nothing, and revocation outweighs a lapsed date."""
    failed = report.failed()
    if report.credential is None or any(c.code == "unusable" for c in failed):
        return Verdict.UNUSABLE
    if report.kind == "credential" and "credentialSubject" not in report.credential:
        return Verdict.UNUSABLE  # JSON, but not a credential: its "signature" means nothing
    signature = [c for c in failed if c.check in ("proof", "issuer", "holder")]
    if signature and not all(c.code == "key-unavailable" for c in signature):
        return Verdict.BAD_SIGNATURE
    status = [c for c in failed if c.check == "status"]
    if any(c.code == "revoked" for c in status):
        return Verdict.REVOKED
    if any(c.code == "suspended" for c in status):
        return Verdict.SUSPENDED
    if any(c.code == "expired" for c in failed):
        return Verdict.EXPIRED
    return Verdict.NOT_VALID if failed or not report.checks else Verdict.VALID


def holder_of(document: dict[str, Any]) -> str:
    """Who the credential is about, as far as it says so in the clear."""
    subject = document.get("credentialSubject")
    subject = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(subject, dict):
        return "an unnamed holder"
    name = subject.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    identifiers = [i for i in subject.get("identifier") or [] if isinstance(i, dict)]
    for identity in identifiers:
        value = identity.get("identityHash")
        if identity.get("hashed") is False and isinstance(value, str) and value:
            return value
    if identifiers:
        return HASHED_PREFIX + "hashed email address"
    if isinstance(subject.get("id"), str) and subject["id"]:
        return f"the holder of {subject['id']}"
    return "an unnamed holder"


@dataclass(frozen=True)
class _Subject:
    """What the report is about, read from the document (or the engine's overview)."""

    issuer_name: str = ""
    issuer_id: str = ""
    holder: str = ""
    recipient: str = ""
    achievement: str = ""
    description: str = ""
    issued: datetime | None = None
    valid_until: datetime | None = None
    facts: CredentialFacts | None = None


def _credential_subject(document: dict[str, Any]) -> _Subject:
    facts = facts_of(document)
    return _Subject(
        facts.issuer_name, facts.issuer_id, holder_of(document), facts.recipient, facts.name,
        facts.description, facts.issued, facts.valid_until, facts,
    )  # fmt: skip


def _ob2_issuer_id(assertion: dict[str, Any]) -> str:
    """The issuer id when the badge class is embedded (a fetched one is not kept)."""
    badge = assertion.get("badge")
    issuer = badge.get("issuer") if isinstance(badge, dict) else None
    value = issuer.get("id") if isinstance(issuer, dict) else issuer
    return value if isinstance(value, str) else ""


def _from_overview(report: VerificationReport) -> _Subject:
    row = {key: value for key, value in report.overview.items() if value != "—"}
    document = report.credential or {}
    expires = document.get("expires") if report.kind == "ob2" else None
    return _Subject(
        issuer_name=row.get("issuer", ""),
        issuer_id=_ob2_issuer_id(document) if report.kind == "ob2" else "",
        holder=row.get("holder", ""),
        achievement=row.get("achievement", ""),
        issued=parse_datetime(row.get("issued")),
        valid_until=parse_datetime(expires),
    )


def _subject(report: VerificationReport) -> _Subject:
    if report.credential is None:
        return _Subject()
    if report.kind == "credential":
        return _credential_subject(report.credential)
    return _from_overview(report)


Lookups = dict[str, TrustMatch | None]


def _lookup(issuer_id: str, seen: Lookups) -> TrustMatch | None:
    # A batch of 1,000 from one issuer asks the registry once.
    if issuer_id not in seen:
        seen[issuer_id] = selectors.lookup(issuer_id)
    return seen[issuer_id]


def _trust(subject: _Subject, verdict: Verdict, report: VerificationReport, seen: Lookups) -> Trust:
    if verdict is Verdict.UNUSABLE:
        return Trust("none", "No issuer could be read.")
    if report.kind == "presentation":
        return Trust("none", PRESENTATION_TRUST)
    if verdict is Verdict.BAD_SIGNATURE or any(
        c.check == "issuer" and c.code == "embedded-key" for c in report.checks
    ):
        named = subject.issuer_id or subject.issuer_name or "no issuer"
        return Trust(
            "unconfirmed",
            f"Issuer not confirmed: the credential names {named}, but no key of that issuer "
            "signed it, so the trust registry was not consulted.",
        )
    match = _lookup(subject.issuer_id, seen) if subject.issuer_id else None
    if match is None:
        return Trust("unknown", "Unknown issuer: not in this platform's trust registry.")
    return Trust("known" if match.active else "suspended", match.summary(), match)


def _first_failure(report: VerificationReport, fallback: str) -> str:
    failed = report.failed()
    return failed[0].message if failed else fallback


def _presentation_headline(verdict: Verdict, subject: _Subject, report: Any) -> str:
    holder = subject.holder or "an unnamed holder"
    if verdict is Verdict.VALID:
        return f"{holder} presented {subject.achievement.lower()}, signed with their own key; each one verifies."
    if verdict is Verdict.BAD_SIGNATURE:
        return f"This presentation claims to come from {holder}, but its signature does not hold."
    return f"The presentation from {holder} cannot be accepted: {_lower_first(_first_failure(report, ''))}"


def _headline(verdict: Verdict, subject: _Subject, report: VerificationReport) -> str:
    if report.kind == "presentation" and verdict is not Verdict.UNUSABLE:
        return _presentation_headline(verdict, subject, report)
    issuer = subject.issuer_name or "An unnamed issuer"
    what, holder = subject.achievement or "a credential", subject.holder or "an unnamed holder"
    when = f" on {day(subject.issued)}" if subject.issued else ""
    said = f"{issuer} says {holder} completed {what}{when}"
    if verdict is Verdict.VALID:
        return f"{said}."
    if verdict is Verdict.EXPIRED:
        return f"{said}, but the credential expired on {day(subject.valid_until) or 'a past date'}."
    if verdict in (Verdict.REVOKED, Verdict.SUSPENDED):
        return f"{issuer} has {verdict.label.lower()} “{what}”, which it issued to {holder}."
    if verdict is Verdict.BAD_SIGNATURE:
        return (
            f"This claims that {issuer} awarded {what} to {holder}, but the signature does not "
            "hold: it was changed after signing or not signed by that issuer."
        )
    if verdict is Verdict.UNUSABLE:
        default = "it has no credentialSubject, so it is no credential"
        reason = _unprefixed(_first_failure(report, default)).rstrip(".")
        return f"This is not a credential that can be checked: {reason}."
    reason = _first_failure(report, "no check could be run.")
    return f"{said}, but it cannot be accepted: {_lower_first(reason)}"


def _unprefixed(message: str) -> str:
    return message.removeprefix("Unusable input: ")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _status(report: VerificationReport, verdict: Verdict) -> str:
    checks = [c for c in report.checks if c.check == "status"]
    if verdict is Verdict.REVOKED:
        return "Revoked by the issuer: it is no longer valid."
    if verdict is Verdict.SUSPENDED:
        return "Suspended by the issuer: it is not valid while suspended."
    bad = [c for c in checks if not c.ok]
    if bad:
        return f"Unknown: {bad[0].message}"
    if not checks:
        return "Not checked."
    if any(c.message.startswith("No status information") for c in checks):
        return "The issuer publishes no status for it, so it cannot be revoked."
    return "Not revoked or suspended (checked with the issuer just now)."


def _signature(report: VerificationReport, issuer: str) -> str:
    checks = [c for c in report.checks if c.check in ("proof", "issuer", "holder")]
    bad = [c for c in checks if not c.ok]
    if bad and all(c.code == "key-unavailable" for c in bad):
        return f"Not checked: {bad[-1].message}"
    if bad:
        return f"Does not hold: {bad[0].message}"
    if not checks:
        return "Not checked."
    if report.kind == "presentation":
        return "Holds: the holder signed this presentation with a key they control."
    return f"Holds: the credential is unchanged since {issuer} signed it."


def present(
    report: VerificationReport, number: int = 1, seen: Lookups | None = None
) -> PlainReport:
    """The plain-language report on one credential (or presentation)."""
    subject = _subject(report)
    verdict = verdict_of(report)
    return PlainReport(
        number=number,
        input=report.input,
        verdict=verdict,
        headline=_headline(verdict, subject, report),
        issuer_name=subject.issuer_name,
        issuer_id=subject.issuer_id,
        trust=_trust(subject, verdict, report, {} if seen is None else seen),
        holder=subject.holder,
        recipient=subject.recipient,
        achievement=subject.achievement,
        description=subject.description,
        issued=day(subject.issued),
        expires=day(subject.valid_until),
        issued_at=subject.issued,
        expires_at=subject.valid_until,
        status=_status(report, verdict),
        signature=_signature(report, subject.issuer_name or "the issuer"),
        checks=[_line(check) for check in report.checks],
        facts=subject.facts,
        kind=report.kind,
        verified=report.verified,
        raw_checks=list(report.checks),
    )


def _line(check: CheckResult) -> CheckLine:
    return CheckLine(CHECK_LABELS.get(check.check, check.check.title()), check.ok, check.message)


def present_all(reports: list[VerificationReport]) -> list[PlainReport]:
    seen: Lookups = {}
    return [present(report, number, seen) for number, report in enumerate(reports, start=1)]


def as_json(report: PlainReport) -> dict[str, Any]:
    """The API's entry for one credential (``api.ResultPublic``)."""
    facts = report.facts
    entry = report.trust.entry
    return {
        "input": report.input,
        "verified": report.verified,
        "verdict": report.verdict.key,
        "verdict_label": report.verdict.label,
        "kind": report.kind,
        "headline": report.headline,
        "facts": {
            "credential_id": facts.credential_id if facts else "",
            "issuer_id": report.issuer_id,
            "issuer_name": report.issuer_name,
            "holder": report.holder,
            "achievement": report.achievement,
            "issued": report.issued_at.isoformat() if report.issued_at else None,
            "valid_until": report.expires_at.isoformat() if report.expires_at else None,
        },
        "trust": {
            "kind": report.trust.kind,
            "summary": report.trust.text,
            "registry_name": entry.name if entry else None,
            "vetted_by": (entry.vetted_by or None) if entry else None,
            "vetting_method": entry.vetting_method if entry else None,
        },
        "checks": [check.to_json() for check in report.raw_checks],
    }

"""The verifier: every input gets a report with one result per check, never an exception.

Order follows OB 3.0 "Verification and Validation": structure, proof (with issuer key
resolution), validity period, status, optional recipient, then each embedded endorsement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from microcred.core import jsonio
from microcred.core.crypto.suites.base import BatchVerifier
from microcred.core.errors import FetchError, InputError
from microcred.core.verify import checks
from microcred.core.verify.fetcher import Fetcher, NoFetcher
from microcred.core.verify.inputs import DecodedInput, decode_bytes
from microcred.core.verify.proofs import (
    check_embedded_proofs,
    check_jwt_proof,
    rdf_was_checked,
    verify_embedded,
)
from microcred.core.verify.report import CheckCode, CheckResult, VerificationReport
from microcred.core.verify.resolver import KeyResolver

MAX_STATUS_DEPTH = 2


@dataclass
class VerifyOptions:
    """How to verify: where remote things come from, local keys, the clock, the expected holder."""

    fetcher: Fetcher = field(default_factory=NoFetcher)
    #: verification-method id -> Multikey document (or controller documents), for offline keys
    local_keys: dict[str, Any] = field(default_factory=dict)
    now: datetime | None = None
    recipient_email: str | None = None
    recipient_id: str | None = None
    #: what a presentation's proof must carry (the verifier's nonce and its own domain)
    challenge: str | None = None
    domain: str | None = None

    _verifier: BatchVerifier | None = field(default=None, init=False, repr=False)

    def clock(self) -> datetime:
        return self.now or datetime.now(UTC)

    @property
    def verifier(self) -> BatchVerifier:
        """One resolver and proof-hash cache for every credential checked with these options."""
        if self._verifier is None:
            resolver = KeyResolver(self.fetcher, self.local_keys or None)
            self._verifier = BatchVerifier(resolver)
        return self._verifier


def verify_bytes(data: bytes, *, name: str, options: VerifyOptions) -> VerificationReport:
    """Verify a file's content (JSON, JWT, baked PNG/SVG); unusable input becomes a failed report."""
    try:
        decoded = decode_bytes(data, where=name)
    except InputError as exc:
        report = VerificationReport(name)
        report.add("structure", False, f"Unusable input: {exc.message}", "unusable")
        return report
    return verify_decoded(decoded, name=name, options=options)


def verify_document(
    document: dict[str, Any], *, name: str, options: VerifyOptions
) -> VerificationReport:
    return verify_decoded(DecodedInput("json", document), name=name, options=options)


def verify_decoded(
    decoded: DecodedInput, *, name: str, options: VerifyOptions
) -> VerificationReport:
    if decoded.encoding == "ob2":
        from microcred.core.verify.ob2 import verify_ob2

        return verify_ob2(decoded, name=name, options=options)
    if decoded.encoding == "vp":
        from microcred.core.verify.presentations import verify_presentation

        # One report: the presentation's, whose "credentials" check sums up those inside.
        return verify_presentation(decoded.document, name=name, options=options)[0]
    report = VerificationReport(name, credential=decoded.document)
    _run_checks(report, decoded, options, depth=0)
    report.summary = _summary(decoded.document)
    return report


def _run_checks(
    report: VerificationReport, decoded: DecodedInput, options: VerifyOptions, *, depth: int
) -> None:
    document = decoded.document
    # Every check runs even when the structure is wrong: the report then says all it can.
    if decoded.jwt is not None:
        report.checks.append(checks.check_structure(document, jsonld=False))
        report.checks.extend(check_jwt_proof(decoded.jwt, document, options.verifier))
    else:
        outcomes = verify_embedded(document, options.verifier)
        # An RDF proof check already canonicalised the document in safe mode: not twice.
        jsonld = not rdf_was_checked(outcomes)
        report.checks.append(checks.check_structure(document, jsonld=jsonld))
        report.checks.extend(check_embedded_proofs(document, outcomes))
    report.checks.append(checks.check_validity(document, options.clock()))
    if decoded.jwt is not None:
        from microcred.core.verify.inputs import jwt_payload

        claims_result = checks.check_jwt_claims(jwt_payload(decoded.jwt), options.clock())
        if claims_result is not None:
            report.checks.append(claims_result)
    report.checks.extend(check_status(document, options, depth=depth))
    if options.recipient_email or options.recipient_id:
        report.checks.append(
            checks.check_recipient(
                document, email=options.recipient_email, subject_id=options.recipient_id
            )
        )
    if depth == 0:
        report.checks.extend(check_endorsements(document, options))


def _status_entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    raw = document.get("credentialStatus")
    entries = raw if isinstance(raw, list) else [raw] if raw is not None else []
    return [entry for entry in entries if isinstance(entry, dict)]


def check_status(
    document: dict[str, Any], options: VerifyOptions, *, depth: int
) -> list[CheckResult]:
    """Revocation and suspension; an unreachable or unverifiable list is a failure."""
    entries = _status_entries(document)
    if not entries:
        return [CheckResult("status", True, "No status information: the issuer cannot revoke it.")]
    return [_check_one_status(entry, document, options, depth) for entry in entries]


def _list_url(entry: dict[str, Any]) -> str | None:
    """Where the list lives: ``statusListCredential``, or the entry id for 1EdTech lists."""
    key = "id" if entry.get("type") == "1EdTechRevocationList" else "statusListCredential"
    url = entry.get(key)
    return url if isinstance(url, str) and url else None


def _list_problem(decoded: DecodedInput, options: VerifyOptions, depth: int) -> str | None:
    """Why the fetched list cannot be trusted, or None. A 1EdTech list may be plain JSON."""
    document = decoded.document
    if decoded.jwt is None and "proof" not in document and "@context" not in document:
        return None
    list_report = VerificationReport("status list")
    _run_checks(list_report, decoded, options, depth=depth + 1)
    failed = list_report.failed()
    return failed[0].message if failed else None


def _check_one_status(
    entry: dict[str, Any], document: dict[str, Any], options: VerifyOptions, depth: int
) -> CheckResult:
    from microcred.core.crypto.statuscheck import check_entry

    url, issuer = _list_url(entry), checks.issuer_id(document)
    if url is None:
        return CheckResult("status", False, "The status entry does not say where its list is.")
    if depth >= MAX_STATUS_DEPTH:
        return CheckResult("status", False, f"Status list {url} is nested too deeply to check.")
    try:
        decoded = decode_bytes(options.fetcher.fetch(url), where=url)
    except FetchError as exc:
        return CheckResult(
            "status",
            False,
            f"Status list unreachable, so revocation is unknown: {exc}",
            "status-unknown",
        )
    except InputError as exc:
        message = f"Status list {url} is unusable: {exc.message}"
        return CheckResult("status", False, message, "status-unknown")
    problem = _list_problem(decoded, options, depth)
    if problem is not None:
        return CheckResult("status", False, f"Status list {url} does not verify: {problem}")
    list_issuer = checks.issuer_id(decoded.document)
    if list_issuer is not None and issuer is not None and list_issuer != issuer:
        # Whoever can serve the URL must not be able to "un-revoke" with a key of their own.
        message = f"Status list {url} is signed by {list_issuer}, not by the credential's issuer."
        return CheckResult("status", False, message)
    credential_id = document.get("id") if isinstance(document.get("id"), str) else None
    result = check_entry(entry, decoded.document, credential_id=credential_id)
    if result.error is not None:
        return CheckResult(
            "status", False, f"Status could not be read from {url}: {result.message}"
        )
    message = result.message[:1].upper() + result.message[1:] + "."
    return CheckResult("status", result.valid, message, _status_code(result))


def _status_code(result: Any) -> CheckCode:
    if result.valid:
        return ""
    if result.purpose == "revocation":
        return "revoked"
    return "suspended" if result.purpose == "suspension" else ""


def _endorsements(document: dict[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    places = [("credential", document)]
    subject = document.get("credentialSubject")
    if isinstance(subject, dict) and isinstance(subject.get("achievement"), dict):
        places.append(("achievement", subject["achievement"]))
    if isinstance(document.get("issuer"), dict):
        places.append(("issuer", document["issuer"]))
    for where, holder in places:
        for key in ("endorsement", "endorsementJwt"):
            raw = holder.get(key)
            for item in raw if isinstance(raw, list) else [raw] if raw is not None else []:
                found.append((where, item))
    return found


def check_endorsements(document: dict[str, Any], options: VerifyOptions) -> list[CheckResult]:
    results = []
    for where, item in _endorsements(document):
        if isinstance(item, str):
            report = verify_bytes(item.encode("utf-8"), name="endorsement", options=options)
        elif isinstance(item, dict):
            report = verify_document(item, name="endorsement", options=options)
        else:
            results.append(
                CheckResult("endorsement", False, f"An endorsement of the {where} is malformed.")
            )
            continue
        results.append(_endorsement_result(where, report))
    return results


def _endorsement_result(where: str, report: VerificationReport) -> CheckResult:
    """A forged or tampered endorsement fails; one that merely expired (or was withdrawn)
    no longer vouches for anything, which the message says, but the credential stays valid."""
    endorser = checks.issuer_id(report.credential or {}) or "an unknown endorser"
    failed = report.failed()
    fatal = [c for c in failed if c.check not in ("validity", "status")]
    if fatal:
        message = f"Endorsement of the {where} by {endorser} fails: {fatal[0].message}"
        return CheckResult("endorsement", False, message)
    if failed:
        message = f"Endorsement of the {where} by {endorser} is authentic but no longer holds: {failed[0].message}"
        return CheckResult("endorsement", True, message)
    return CheckResult("endorsement", True, f"Endorsement of the {where} by {endorser} verifies.")


def _summary(document: dict[str, Any]) -> str:
    subject = document.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    title = (achievement or {}).get("name") if isinstance(achievement, dict) else None
    issuer = document.get("issuer")
    issuer_name = issuer.get("name") if isinstance(issuer, dict) else None
    return f"{title or document.get('name') or 'credential'}, issued by {issuer_name or checks.issuer_id(document)}"


def load_keys_file(data: bytes, *, where: str) -> dict[str, Any]:
    """A ``--keys`` file: verification-method id -> Multikey document (or controller documents)."""
    return jsonio.loads_object(data, where=where)

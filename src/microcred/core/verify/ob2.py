"""Open Badges 2.0 assertions: hosted and signed verification (OB 2.0 §Verification).

*Hosted* (``verification.type`` HostedBadge / "hosted"): the assertion is authentic when
the copy at its ``id`` (fetched now, through the fetcher) is the same assertion, and that
``id`` lives where the issuer says its assertions live (the issuer's
``verification.allowedOrigins`` and ``startsWith``; by default the host of the issuer's
``id``). *Signed* (SignedBadge / "signed"): a compact JWS, RS256, whose key is the
``CryptographicKey`` at ``verification.creator`` (or the issuer's ``publicKey``) and whose
``owner`` is the issuer. Revocation: a hosted copy saying ``revoked``, or the assertion's id
in the issuer's ``revocationList``. The BadgeClass and the Issuer are fetched when they are
URLs. Everything remote goes through the fetcher; a failed fetch fails the check it was
needed for, saying so.
"""

from __future__ import annotations

import hashlib
import hmac
import warnings
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from microcred.core import jsonio
from microcred.core.errors import FetchError, InputError
from microcred.core.verify.checks import parse_datetime
from microcred.core.verify.inputs import DecodedInput, is_compact_jws
from microcred.core.verify.report import CheckResult, VerificationReport

if TYPE_CHECKING:
    from microcred.core.verify.verifier import VerifyOptions

HOSTED = frozenset({"HostedBadge", "hosted"})
SIGNED = frozenset({"SignedBadge", "signed"})
REQUIRED = ("id", "recipient", "badge", "verification", "issuedOn")


class _Remote(Exception):
    """Internal: a linked document that could not be had; the message is shown."""


def verify_ob2(decoded: DecodedInput, *, name: str, options: VerifyOptions) -> VerificationReport:
    assertion = decoded.document
    report = VerificationReport(name, credential=assertion, kind="ob2")
    method = _method(assertion)
    report.checks.append(_structure(assertion, method, decoded))
    if assertion.get("type") not in ("Assertion", ["Assertion"]):
        return report  # a key, badge class or list: nothing to verify as a badge
    badge, issuer, link_problem = _linked(assertion, options)
    if method in HOSTED:
        hosted, proof = _hosted_proof(assertion, options)
        report.checks.append(proof)
        report.checks.append(link_problem or _hosted_issuer(assertion, issuer))
    else:
        hosted = None
        report.checks.extend(_signed_checks(decoded, issuer, link_problem, options))
    report.checks.append(_validity(assertion, options))
    report.checks.append(_status(assertion, hosted, issuer, options))
    if options.recipient_email:
        report.checks.append(_recipient(assertion, options.recipient_email))
    report.overview = _overview(assertion, badge, issuer)
    report.summary = f"{report.overview['achievement']}, issued by {report.overview['issuer']}"
    return report


def _method(assertion: dict[str, Any]) -> str | None:
    verification = assertion.get("verification")
    kind = verification.get("type") if isinstance(verification, dict) else None
    return kind if isinstance(kind, str) else None


def _structure(assertion: dict[str, Any], method: str | None, decoded: DecodedInput) -> CheckResult:
    missing = [key for key in REQUIRED if key not in assertion]
    if assertion.get("type") not in ("Assertion", ["Assertion"]):
        kind = assertion.get("type")
        message = f"An OB 2.0 {kind} document, not a badge assertion: there is nothing to verify."
        return CheckResult("structure", False, message)
    if missing:
        return CheckResult("structure", False, f"OB 2.0 assertion lacks {', '.join(missing)}.")
    if method not in HOSTED | SIGNED:
        return CheckResult("structure", False, f"Unknown OB 2.0 verification type {method!r}.")
    if method in SIGNED and decoded.jwt is None:
        return CheckResult(
            "structure", False, "A signed OB 2.0 assertion given without its signature (JWS)."
        )
    kind = "hosted" if method in HOSTED else "signed"
    return CheckResult("structure", True, f"Well-formed: an Open Badges 2.0 {kind} assertion.")


def _fetch_json(url: Any, options: VerifyOptions, what: str) -> dict[str, Any]:
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        raise _Remote(f"the {what} is neither embedded nor an http(s) URL")
    try:
        data = options.fetcher.fetch(url)
    except FetchError as exc:
        raise _Remote(f"the {what} could not be fetched: {exc}") from None
    try:
        text = data.decode("utf-8-sig").strip()
        if is_compact_jws(text):  # a signed assertion hosted as its JWS
            from microcred.core.verify.inputs import jwt_payload

            return jwt_payload(text, where=url)
        return jsonio.loads_object(text, where=url)
    except (InputError, UnicodeDecodeError) as exc:
        raise _Remote(f"the {what} at {url} is not JSON: {exc}") from None


def _embedded_or_fetched(value: Any, options: VerifyOptions, what: str) -> dict[str, Any]:
    return value if isinstance(value, dict) else _fetch_json(value, options, what)


def _linked(
    assertion: dict[str, Any], options: VerifyOptions
) -> tuple[dict[str, Any], dict[str, Any], CheckResult | None]:
    """The BadgeClass and the Issuer profile, or a failed issuer check saying why not."""
    badge: dict[str, Any] = {}
    try:
        badge = _embedded_or_fetched(assertion.get("badge"), options, "BadgeClass")
        issuer = _embedded_or_fetched(badge.get("issuer"), options, "Issuer profile")
    except _Remote as exc:
        problem = CheckResult(
            "issuer", False, f"The issuer cannot be confirmed: {exc}.", "key-unavailable"
        )
        return badge, {}, problem
    return badge, issuer, None


def _hosted_proof(
    assertion: dict[str, Any], options: VerifyOptions
) -> tuple[dict[str, Any] | None, CheckResult]:
    url = assertion.get("id")
    try:
        hosted = _fetch_json(url, options, "hosted assertion")
    except _Remote as exc:
        return None, CheckResult(
            "proof", False, f"Hosted badge not confirmed: {exc}.", "key-unavailable"
        )
    if hosted.get("id") != url:
        message = f"The document at {url} is another assertion ({hosted.get('id')!r})."
        return hosted, CheckResult("proof", False, message)
    # The hosted copy is the assertion; a local copy (say, baked into a PNG) may leave out
    # optional fields but must not say anything the issuer does not.
    changed = sorted(key for key, value in assertion.items() if hosted.get(key) != value)
    if changed:
        message = (
            f"This copy differs from the assertion its issuer hosts at {url} "
            f"({', '.join(changed)}): it was changed."
        )
        return hosted, CheckResult("proof", False, message)
    return hosted, CheckResult(
        "proof", True, f"Hosted badge: the issuer hosts this assertion at {url}."
    )


def _host(url: Any) -> str:
    return (urlsplit(url).hostname or "") if isinstance(url, str) else ""


def _hosted_issuer(assertion: dict[str, Any], issuer: dict[str, Any]) -> CheckResult:
    """OB 2.0: the assertion id must be on an allowed origin (default: the issuer id's host)
    and start with one of ``startsWith`` when the issuer sets it."""
    url, name = str(assertion.get("id")), _issuer_name(issuer)
    raw_policy = issuer.get("verification")
    policy: dict[str, Any] = raw_policy if isinstance(raw_policy, dict) else {}
    origins = _strings(policy.get("allowedOrigins")) or [_host(issuer.get("id"))]
    prefixes = _strings(policy.get("startsWith"))
    if _host(url) not in origins:
        message = (
            f"The assertion is hosted on {_host(url)!r}, not on the issuer's {', '.join(origins)}."
        )
        return CheckResult("issuer", False, message)
    if prefixes and not any(url.startswith(prefix) for prefix in prefixes):
        message = f"The assertion URL {url} is not under the issuer's {', '.join(prefixes)}."
        return CheckResult("issuer", False, message)
    return CheckResult("issuer", True, f"Hosted where the issuer {name} hosts its assertions.")


def _strings(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item]


def _signed_checks(
    decoded: DecodedInput,
    issuer: dict[str, Any],
    link_problem: CheckResult | None,
    options: VerifyOptions,
) -> list[CheckResult]:
    if decoded.jwt is None:
        return [CheckResult("proof", False, "No signature to check.")]
    verification = decoded.document.get("verification") or {}
    creator = verification.get("creator") if isinstance(verification, dict) else None
    key_urls = _strings(creator) or _strings(issuer.get("publicKey"))
    if not key_urls:
        return [CheckResult("proof", False, "The signed assertion names no key (creator).")]
    try:
        key = _fetch_json(key_urls[0], options, "signing key")
    except _Remote as exc:
        return [
            CheckResult("proof", False, f"Signature not checked: {exc}.", "key-unavailable"),
            link_problem or CheckResult("issuer", False, "The issuer's key is unavailable."),
        ]
    proof = _jws_result(decoded.jwt, key)
    owner = key.get("owner")
    if link_problem is not None:
        return [proof, link_problem]
    if owner != issuer.get("id"):
        message = f"Signed with a key of {owner}, but the badge names {issuer.get('id')} as issuer."
        return [proof, CheckResult("issuer", False, message)]
    return [
        proof,
        CheckResult("issuer", True, f"Signed with {key_urls[0]}, a key of {_issuer_name(issuer)}."),
    ]


def _jws_result(token: str, key_document: dict[str, Any]) -> CheckResult:
    from joserfc import jws
    from joserfc.errors import JoseError
    from joserfc.jwk import RSAKey

    pem = key_document.get("publicKeyPem")
    if not isinstance(pem, str):
        return CheckResult("proof", False, "The signing key has no publicKeyPem.")
    try:
        key = RSAKey.import_key(pem)
    except (JoseError, ValueError, TypeError) as exc:
        return CheckResult("proof", False, f"The signing key is not an RSA public key: {exc}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # joserfc warns about short RSA keys
            jws.deserialize_compact(token.strip(), key, algorithms=["RS256"])
    except (JoseError, ValueError) as exc:
        detail = "signature does not match: the assertion was changed, or signed with another key"
        if "algorithm" in str(exc).lower():
            detail = "the JWS must be RS256"
        return CheckResult("proof", False, f"Signed badge (RS256): {detail}.")
    return CheckResult("proof", True, "Signed badge: RS256 signature verified.")


def _validity(assertion: dict[str, Any], options: VerifyOptions) -> CheckResult:
    now = options.clock()
    issued, expires = parse_datetime(assertion.get("issuedOn")), assertion.get("expires")
    if issued is None:
        return CheckResult(
            "validity", False, f"issuedOn is not a date-time: {assertion.get('issuedOn')!r}"
        )
    if issued > now:
        return CheckResult("validity", False, f"Issued in the future ({issued:%Y-%m-%d}).")
    if expires is not None:
        end = parse_datetime(expires)
        if end is None:
            return CheckResult("validity", False, f"expires is not a date-time: {expires!r}")
        if now > end:
            return CheckResult(
                "validity", False, f"Expired on {end:%Y-%m-%d %H:%M} UTC.", "expired"
            )
        return CheckResult(
            "validity", True, f"Issued {issued:%Y-%m-%d}, valid until {end:%Y-%m-%d}."
        )
    return CheckResult("validity", True, f"Issued {issued:%Y-%m-%d}, with no expiry date.")


def _status(
    assertion: dict[str, Any],
    hosted: dict[str, Any] | None,
    issuer: dict[str, Any],
    options: VerifyOptions,
) -> CheckResult:
    current = hosted if hosted is not None else assertion
    if current.get("revoked") in (True, "true"):
        reason = current.get("revocationReason")
        return CheckResult(
            "status",
            False,
            "Revoked by the issuer" + (f": {reason}." if reason else "."),
            "revoked",
        )
    list_url = issuer.get("revocationList")
    if not issuer:
        return CheckResult(
            "status", False, "Revocation unknown: the issuer profile is unavailable."
        )
    if list_url is None:
        note = (
            "the hosted copy is current"
            if hosted is not None
            else "the issuer keeps no revocation list"
        )
        return CheckResult("status", True, f"Not revoked ({note}).")
    try:
        revocations = _fetch_json(list_url, options, "revocation list")
    except _Remote as exc:
        return CheckResult("status", False, f"Revocation unknown: {exc}.")
    for entry in _revoked(revocations):
        entry_id = entry.get("id") if isinstance(entry, dict) else entry
        if entry_id == assertion.get("id"):
            reason = entry.get("revocationReason") if isinstance(entry, dict) else None
            return CheckResult(
                "status",
                False,
                "Revoked by the issuer" + (f": {reason}." if reason else "."),
                "revoked",
            )
    return CheckResult("status", True, f"Not revoked (checked the issuer's list {list_url}).")


def _revoked(revocations: dict[str, Any]) -> list[Any]:
    raw = revocations.get("revokedAssertions")
    return raw if isinstance(raw, list) else []


def _recipient(assertion: dict[str, Any], email: str) -> CheckResult:
    recipient = assertion.get("recipient")
    if not isinstance(recipient, dict):
        return CheckResult("recipient", False, "The assertion names no recipient.")
    if recipient.get("type", "email") != "email":
        return CheckResult(
            "recipient", False, f"Issued to a {recipient.get('type')}, not an email."
        )
    if _identity_matches(recipient, email):
        return CheckResult("recipient", True, f"Issued to {email}, as expected.")
    return CheckResult("recipient", False, f"Not issued to {email}.")


def _identity_matches(recipient: dict[str, Any], email: str) -> bool:
    identity = str(recipient.get("identity", ""))
    candidates = {email.strip(), email.strip().lower()}
    if recipient.get("hashed") not in (True, "true"):
        return identity.strip().lower() in {c.lower() for c in candidates}
    algorithm, _, digest = identity.partition("$")
    if algorithm not in ("sha256", "md5"):
        return False
    salt = str(recipient.get("salt") or "")
    return any(
        hmac.compare_digest(hashlib.new(algorithm, (c + salt).encode()).hexdigest(), digest.lower())
        for c in candidates
    )


def _issuer_name(issuer: dict[str, Any]) -> str:
    name = issuer.get("name")
    return name if isinstance(name, str) and name else str(issuer.get("id") or "an unknown issuer")


def _overview(
    assertion: dict[str, Any], badge: dict[str, Any], issuer: dict[str, Any]
) -> dict[str, str]:
    recipient = assertion.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    kind = str(recipient.get("type") or "identity")
    hashed = recipient.get("hashed") in (True, "true")
    holder = f"hashed {kind}" if hashed else str(recipient.get("identity") or "—")
    issued = parse_datetime(assertion.get("issuedOn"))
    return {
        "holder": holder,
        "achievement": str(badge.get("name") or "an OB 2.0 badge"),
        "issuer": _issuer_name(issuer) if issuer else "—",
        "issued": issued.date().isoformat() if issued else "—",
    }

"""Verify a Verifiable Presentation: the holder's proof, then each credential inside.

The presentation report answers "did the holder send this, to us, now?": the proof verifies
with purpose ``authentication``, its key is controlled by the ``holder``, and the verifier's
expected ``challenge`` and ``domain`` are the ones signed. Each embedded credential then gets
its own report, made exactly as for a standalone credential, named
``"<input> › credential <n>"``; the presentation's ``credentials`` check sums them up, so a
presentation is only valid when everything it carries is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from microcred.core.crypto.presentations import ENVELOPED_TYPE, jwt_of_envelope
from microcred.core.crypto.suites.base import ProofCheck, verify_proof
from microcred.core.crypto.suites.common import proof_list
from microcred.core.errors import InputError
from microcred.core.verify.checks import VC1_CONTEXT, VC2_CONTEXT
from microcred.core.verify.inputs import DecodedInput, decode_text, encoding_of
from microcred.core.verify.report import CheckResult, VerificationReport

if TYPE_CHECKING:
    from microcred.core.verify.verifier import VerifyOptions

PURPOSE = "authentication"
MAX_CREDENTIALS = 1000


def credential_name(name: str, position: int) -> str:
    return f"{name} › credential {position}"


def verify_presentation(
    document: dict[str, Any], *, name: str, options: VerifyOptions
) -> list[VerificationReport]:
    """The presentation's report first, then one report per embedded credential."""
    report = VerificationReport(name, credential=document, kind="presentation")
    holder = _holder(document)
    report.checks.append(_structure(document, holder))
    proofs = [p for p in proof_list(document.get("proof"))]
    if not proofs:
        report.add("proof", False, "The presentation has no proof: anyone could have sent it.")
    for proof in proofs:
        report.checks.extend(_proof_results(document, proof, holder, options))
    inner = _credential_reports(document, name, options)
    report.checks.append(_credentials_result(inner))
    report.summary = f"Presentation by {holder or 'an unnamed holder'}, {len(inner)} credential(s)"
    return [report, *inner]


def _holder(document: dict[str, Any]) -> str | None:
    holder = document.get("holder")
    value = holder.get("id") if isinstance(holder, dict) else holder
    return value if isinstance(value, str) and value else None


def _structure(document: dict[str, Any], holder: str | None) -> CheckResult:
    context = document.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first not in (VC1_CONTEXT, VC2_CONTEXT):
        return CheckResult("structure", False, f"@context must start with {VC2_CONTEXT}.")
    if holder is None:
        return CheckResult(
            "structure", False, "The presentation names no holder, so nobody vouches for it."
        )
    return CheckResult("structure", True, f"Well-formed: a Verifiable Presentation by {holder}.")


def _proof_results(
    document: dict[str, Any], proof: Any, holder: str | None, options: VerifyOptions
) -> list[CheckResult]:
    # Challenge and domain are checked apart from the signature, so that a wrong nonce reads
    # as "not meant for this request" rather than as a broken signature.
    check = verify_proof(
        document, proof, options.verifier.resolver, purpose=PURPOSE, cache=options.verifier.cache
    )
    results = [_signature_result(check)]
    if check.code not in ("unsupported", "malformed", "purpose"):
        results.append(_holder_result(check, holder))
    if isinstance(proof, dict):
        results.append(_challenge_result(proof, options))
    return results


def _signature_result(check: ProofCheck) -> CheckResult:
    suite = check.cryptosuite
    if check.ok:
        return CheckResult("proof", True, f"Holder's {suite} signature verified ({PURPOSE}).")
    if check.code == "unresolved":
        return CheckResult(
            "proof", False, f"{suite}: the holder's key is unavailable: {check.message}"
        )
    return CheckResult("proof", False, f"{suite}: {check.message}")


def _holder_result(check: ProofCheck, holder: str | None) -> CheckResult:
    """The key must belong to the holder: otherwise anyone could present someone's badges."""
    vm, controller = check.verification_method, check.controller
    if controller is None:
        return CheckResult(
            "holder", False, f"The key {vm} names no controller; holder unconfirmed."
        )
    if holder is not None and controller != holder:
        message = (
            f"Signed with a key of {controller}, but the presentation names {holder} as holder."
        )
        return CheckResult("holder", False, message)
    return CheckResult("holder", True, f"Signed with {vm}, a key of the holder {controller}.")


def _challenge_result(proof: dict[str, Any], options: VerifyOptions) -> CheckResult:
    got_challenge, got_domain = proof.get("challenge"), proof.get("domain")
    problems = []
    if options.challenge is not None and got_challenge != options.challenge:
        problems.append(f"challenge {got_challenge!r} is not the expected {options.challenge!r}")
    if options.domain is not None and got_domain != options.domain:
        problems.append(f"domain {got_domain!r} is not the expected {options.domain!r}")
    if problems:
        message = "Not made for this request (a replay?): the " + " and the ".join(problems) + "."
        return CheckResult("challenge", False, message)
    if options.challenge is None and options.domain is None:
        message = (
            f"No challenge was expected; the presentation carries challenge {got_challenge!r}"
            f" and domain {got_domain!r}, so it may be replayed from elsewhere."
        )
        return CheckResult("challenge", True, message)
    return CheckResult("challenge", True, "The challenge and domain are the expected ones.")


def _credential_reports(
    document: dict[str, Any], name: str, options: VerifyOptions
) -> list[VerificationReport]:
    raw = document.get("verifiableCredential")
    items = raw if isinstance(raw, list) else [] if raw is None else [raw]
    reports = []
    for position, item in enumerate(items[:MAX_CREDENTIALS], 1):
        reports.append(_verify_item(item, credential_name(name, position), options))
    return reports


def _verify_item(item: Any, where: str, options: VerifyOptions) -> VerificationReport:
    from microcred.core.verify.verifier import verify_decoded

    try:
        decoded = _decode_item(item, where)
    except InputError as exc:
        report = VerificationReport(where)
        report.add("structure", False, f"Unusable credential: {exc.message}")
        return report
    if decoded.encoding == "vp":
        report = VerificationReport(where, credential=decoded.document)
        report.add("structure", False, "A presentation inside a presentation is not accepted.")
        return report
    return verify_decoded(decoded, name=where, options=options)


def _decode_item(item: Any, where: str) -> DecodedInput:
    if isinstance(item, str):
        # VC 1.1 JWT-VPs list bare JWTs; accepted, though VC 2.0 envelopes them.
        return decode_text(item, where=where, container="presentation")
    if not isinstance(item, dict):
        raise InputError("neither a credential object nor a VC-JWT", where=where)
    if item.get("type") == ENVELOPED_TYPE:
        token = jwt_of_envelope(item)
        if token is None:
            raise InputError("an enveloped credential without a VC-JWT data: URL", where=where)
        return decode_text(token, where=where, container="enveloped VC-JWT")
    return DecodedInput(encoding_of(item), item, container="presentation")


def _credentials_result(reports: list[VerificationReport]) -> CheckResult:
    if not reports:
        return CheckResult("credentials", False, "The presentation carries no credentials.")
    bad = [(i, r) for i, r in enumerate(reports, 1) if not r.verified]
    if not bad:
        return CheckResult("credentials", True, f"All {len(reports)} credential(s) inside verify.")
    first_position, first = bad[0]
    reason = first.failed()[0].message
    message = (
        f"{len(bad)} of {len(reports)} credential(s) inside do not verify; "
        f"credential {first_position}: {reason}"
    )
    return CheckResult("credentials", False, message)

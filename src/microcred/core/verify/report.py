"""The verification report: one result per check, each with a plain-language message.

Its JSON form is a contract (tools and tests rely on it)::

    {"input": "...", "verified": true, "kind": "credential", "overview": {"holder": "...", ...},
     "checks": [{"check": "proof", "ok": true, "message": "..."}]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

CheckName = Literal[
    "structure",
    "proof",
    "issuer",
    "validity",
    "status",
    "recipient",
    "endorsement",
    # presentations only: the holder controls the signing key, the verifier's challenge and
    # domain are in the proof, the credentials inside verify
    "holder",
    "challenge",
    "credentials",
]
CHECK_NAMES: tuple[CheckName, ...] = (
    "structure",
    "proof",
    "issuer",
    "validity",
    "status",
    "recipient",
    "endorsement",
    "holder",
    "challenge",
    "credentials",
)
#: what was verified: a VC / OB 3.0 credential, a VP, or an Open Badges 2.0 assertion
ReportKind = Literal["credential", "presentation", "ob2"]


#: Machine-readable reasons for the failures people must tell apart (the message is for
#: people and may be reworded; code is for programs: the portal's verdict, the wallet).
CheckCode = Literal[
    "",
    "unusable",  # the input is not a credential microcred can read
    "expired",
    "not-yet-valid",
    "revoked",
    "suspended",
    "status-unknown",  # the status list could not be fetched or read: revocation unknown
    "key-unavailable",  # the signature was not checked: the key could not be obtained
    "embedded-key",  # a JWT signed with a key it carries itself, not one the issuer published
]


@dataclass(frozen=True)
class CheckResult:
    check: CheckName
    ok: bool
    message: str
    code: CheckCode = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"check": self.check, "ok": self.ok, "message": self.message}
        if self.code:
            out["code"] = self.code
        return out


@dataclass
class VerificationReport:
    """What a verifier found about one input (a file, a URL, a pasted document)."""

    input: str
    checks: list[CheckResult] = field(default_factory=list)
    #: A short description for people: "Data Analysis with SQL, issued by Example University".
    summary: str = ""
    credential: dict[str, Any] | None = None
    kind: ReportKind = "credential"
    #: The summary-table row, filled by ``verify_any``: holder (or recipient), achievement,
    #: issuer, issued (see :mod:`microcred.core.verify.overview`).
    overview: dict[str, str] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        """True only when there is at least one check and every check passed."""
        return bool(self.checks) and all(result.ok for result in self.checks)

    def add(self, check: CheckName, ok: bool, message: str, code: CheckCode = "") -> CheckResult:
        result = CheckResult(check, ok, message, code)
        self.checks.append(result)
        return result

    def failed(self) -> list[CheckResult]:
        return [result for result in self.checks if not result.ok]

    @classmethod
    def from_json(
        cls, data: dict[str, Any], *, credential: dict[str, Any] | None = None
    ) -> VerificationReport:
        """A report read back from :meth:`to_json` (a stored report), with its credential."""
        checks = [
            CheckResult(item["check"], bool(item["ok"]), str(item["message"]), item.get("code", ""))
            for item in data.get("checks", [])
        ]
        return cls(
            input=str(data.get("input", "")),
            checks=checks,
            credential=credential,
            kind=data.get("kind", "credential"),
            overview=dict(data.get("overview") or {}),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "verified": self.verified,
            "kind": self.kind,
            "overview": dict(self.overview),
            "checks": [result.to_json() for result in self.checks],
        }

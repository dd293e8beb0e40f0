"""What a credential says, as people read it: issuer, achievement, recipient, dates, outcomes,
skills, EU elements and results, read from the document itself (never from anything it points
to), for pages, reports and tables. Works on any OB 3.0 / VC document; missing parts read as
empty, never as an error, because imported credentials from other issuers vary."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from microcred.core.errors import InputError
from microcred.core.model.eu import EUElements

LINKEDIN_ADD = "https://www.linkedin.com/profile/add"
SUPERVISION = {
    "UnsupervisedNoIdentityVerification": "Unsupervised, no identity verification",
    "SupervisedNoIdentityVerification": "Supervised, no identity verification",
    "SupervisedWithIdentityVerification": "Supervised, with identity verification",
}
INTEGRATION = {"StandAlone": "Stand-alone", "IntegratedStackable": "Can be stacked / integrated"}


@dataclass(frozen=True)
class Fact:
    """One labelled line of the page (``href`` when the value is a link)."""

    label: str
    value: str
    href: str | None = None


@dataclass(frozen=True)
class CredentialFacts:
    credential_id: str
    name: str
    description: str
    criteria: str
    achievement_id: str
    issuer_id: str
    issuer_name: str
    issuer_url: str | None
    issuer_country: str | None
    issuer_region: str | None
    issued: datetime | None
    valid_until: datetime | None
    recipient: str
    outcomes: list[str] = field(default_factory=list)
    skills: list[Fact] = field(default_factory=list)
    eu: list[Fact] = field(default_factory=list)
    results: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _skills(achievement: dict[str, Any]) -> list[Fact]:
    out = []
    for item in achievement.get("alignment") or []:
        if isinstance(item, dict) and _text(item.get("targetName")):
            framework = _text(item.get("targetFramework"))
            url = _text(item.get("targetUrl")) or None
            out.append(Fact(framework or "Skill", _text(item.get("targetName")), url))
    return out


def _eu_facts(achievement: dict[str, Any]) -> list[Fact]:
    """The EU micro-credential elements (Annex I) the achievement carries, in Annex order."""
    try:
        eu = EUElements.from_achievement(achievement)
    except InputError:
        return []
    if eu is None:
        return []
    system = "ECTS credits" if eu.credit_system == "ECTS" else str(eu.credit_system)
    hours = eu.notional_workload_hours
    pairs: list[tuple[str, Any]] = [
        ("Workload", None if eu.credit_points is None else f"{eu.credit_points:g} {system}"),
        ("Notional workload", None if hours is None else f"{hours:g} hours"),
        ("EQF level", eu.eqf_level),
        ("NQF level", eu.nqf_level),
        ("Form of participation", eu.participation_form and eu.participation_form.value),
        ("Type of assessment", eu.assessment_type),
        (
            "Supervision and identity verification",
            eu.supervision_verification and SUPERVISION[eu.supervision_verification.value],
        ),
        ("Quality assurance", eu.quality_assurance),
        ("Stacking", eu.integration_option and INTEGRATION[eu.integration_option.value]),
    ]
    facts = [Fact(label, str(value)) for label, value in pairs if value is not None]
    facts.extend(
        Fact("Stackable towards", str(url), str(url)) for url in eu.stackable_towards or []
    )
    if eu.prerequisites:
        facts.append(Fact("Prerequisites", eu.prerequisites))
    return facts


def _recipient(subject: dict[str, Any]) -> str:
    # The page never shows who holds the credential: only how they are identified.
    for identity in subject.get("identifier") or []:
        if isinstance(identity, dict) and identity.get("hashed"):
            kind = (
                "email address" if identity.get("identityType") == "emailAddress" else "identifier"
            )
            return f"A hashed, salted {kind} (the page does not reveal it)"
    if _text(subject.get("id")).startswith("did:"):
        return "A decentralised identifier (DID) held by the learner"
    return "Not named in the credential"


def _results(subject: dict[str, Any]) -> list[str]:
    out = []
    for item in subject.get("result") or []:
        if isinstance(item, dict):
            parts = [_text(item.get("value")), _text(item.get("status"))]
            if any(parts):
                out.append(" · ".join(p for p in parts if p))
    return out


def facts_of(document: dict[str, Any]) -> CredentialFacts:
    """The facts a person checks, read from the signed credential."""
    issuer = document.get("issuer")
    issuer = issuer if isinstance(issuer, dict) else {"id": issuer}
    subject = document.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    address = issuer.get("address") or {}
    criteria = achievement.get("criteria") or {}
    outcomes = achievement.get("learningOutcomes") or []
    return CredentialFacts(
        credential_id=_text(document.get("id")),
        name=_text(achievement.get("name")) or _text(document.get("name")),
        description=_text(achievement.get("description")),
        criteria=_text(criteria.get("narrative")) if isinstance(criteria, dict) else "",
        achievement_id=_text(achievement.get("id")),
        issuer_id=_text(issuer.get("id")),
        issuer_name=_text(issuer.get("name")) or _text(issuer.get("id")),
        issuer_url=_text(issuer.get("url")) or None,
        issuer_country=_text(address.get("addressCountryCode")) or None,
        issuer_region=_text(address.get("addressRegion")) or None,
        issued=_date(document.get("validFrom")) or _date(document.get("awardedDate")),
        valid_until=_date(document.get("validUntil")),
        recipient=_recipient(subject),
        outcomes=[str(item) for item in outcomes if _text(item)],
        skills=_skills(achievement),
        eu=_eu_facts(achievement),
        results=_results(subject),
    )


def linkedin_url(facts: CredentialFacts, page_url: str) -> str:
    """LinkedIn's "Add licence or certification" form, prefilled."""
    params: dict[str, str] = {
        "startTask": "CERTIFICATION_NAME",
        "name": facts.name,
        "organizationName": facts.issuer_name,
    }
    if facts.issued is not None:
        params.update(issueYear=str(facts.issued.year), issueMonth=str(facts.issued.month))
    if facts.valid_until is not None:
        params.update(
            expirationYear=str(facts.valid_until.year),
            expirationMonth=str(facts.valid_until.month),
        )
    params.update(certUrl=page_url, certId=facts.credential_id.removeprefix("urn:uuid:"))
    return f"{LINKEDIN_ADD}?{urlencode(params)}"

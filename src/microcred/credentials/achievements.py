"""A definition as Open Badges data: its Achievement, EU elements and issuer Profile.

Everything here is built with ``microcred.core.model`` types, so the JSON a definition
publishes is exactly what the engine signs; core ``InputError``s become Django
``ValidationError``s keyed by the definition's field names.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError

from microcred.core.errors import InputError
from microcred.core.model import (
    Achievement,
    AchievementCredential,
    Address,
    EUElements,
    EUMicroCredential,
    Profile,
    build_credential,
    parse_credential,
    parse_model,
)

if TYPE_CHECKING:
    from microcred.credentials.models import MicroCredentialDefinition
    from microcred.providers.models import Provider

# Annex I element (as core names it) -> the field a provider fixes it in.
ANNEX_FIELDS = {
    "title of the micro-credential": "name",
    "country/region of the issuer": "provider.country",
    "awarding body": "provider.name",
    "learning outcomes": "learning_outcomes",
    "notional workload (ECTS credits or hours)": "eu_elements.credit_points",
    "level (EQF or NQF)": "eu_elements.eqf_level",
    "type of assessment": "eu_elements.assessment_type",
    "form of participation": "eu_elements.participation_form",
    "type of quality assurance": "eu_elements.quality_assurance",
}
# Core error locations (camelCase JSON paths) -> definition fields.
_WHERE_PREFIXES = (
    ("alignment", "alignments"),
    ("resultDescription", "result_descriptions"),
    ("criteria", "criteria_narrative"),
    ("description", "description"),
    ("name", "name"),
    ("achievementType", "achievement_type"),
    ("issuer", "provider"),
)
_PREVIEW_RECIPIENT = "did:example:annex-check"


def achievement_id(definition: MicroCredentialDefinition) -> str:
    base = str(settings.MICROCRED_BASE_URL).rstrip("/")
    slug = definition.provider.slug
    return f"{base}/achievements/{slug}/{definition.slug}/v{definition.version}"


def image_url(definition: MicroCredentialDefinition) -> str:
    """Where the definition's image is served (only meaningful when it has one)."""
    return f"{achievement_id(definition)}/image"


@contextmanager
def as_validation_error(default_field: str) -> Iterator[None]:
    """Turn the engine's ``InputError`` into a ``ValidationError`` naming a definition field."""
    try:
        yield
    except InputError as exc:
        message = f"{exc.where}: {exc.message}" if exc.where else exc.message
        raise ValidationError({field_for(exc.where, default_field): message}) from None


def field_for(where: str | None, default_field: str) -> str:
    """The definition field an engine error location (``credentialSubject.achievement.x``,
    ``achievement.x`` or ``x``) belongs to."""
    path = (where or "").removeprefix("credentialSubject.").removeprefix("achievement.")
    for prefix, field in _WHERE_PREFIXES:
        if path.startswith(prefix):
            return field
    return default_field


def eu_elements(definition: MicroCredentialDefinition) -> EUElements | None:
    """The definition's EU elements with its learning outcomes, or None if it has neither."""
    values = dict(definition.eu_elements or {})
    if definition.learning_outcomes:
        values["learning_outcomes"] = list(definition.learning_outcomes)
    if not values:
        return None
    with as_validation_error("eu_elements"):
        return parse_model(EUElements, values)


def validate_eu_values(values: Any) -> dict[str, Any]:
    """EU element values as stored: checked against ``EUElements``, snake_case, no empties."""
    if not isinstance(values, dict):
        raise ValidationError({"eu_elements": "must be an object of EU element values"})
    if "learning_outcomes" in values or "learningOutcomes" in values:
        raise ValidationError({"eu_elements": "learning outcomes belong in learning_outcomes"})
    with as_validation_error("eu_elements"):
        parsed = parse_model(EUElements, values)
    return parsed.model_dump(mode="json", exclude_none=True, by_alias=False)


def _result_descriptions(definition: MicroCredentialDefinition) -> list[dict[str, Any]]:
    base = achievement_id(definition)
    out = []
    for number, item in enumerate(definition.result_descriptions or [], start=1):
        entry = dict(item) if isinstance(item, dict) else {"name": item}
        entry.setdefault("id", f"{base}#result-{number}")
        entry.setdefault("type", ["ResultDescription"])
        out.append(entry)
    return out


def _alignments(definition: MicroCredentialDefinition) -> list[dict[str, Any]]:
    out = []
    for item in definition.alignments or []:
        entry = dict(item) if isinstance(item, dict) else {"targetName": item}
        entry.setdefault("type", ["Alignment"])
        out.append(entry)
    return out


def achievement(definition: MicroCredentialDefinition) -> Achievement:
    """The definition as an OB 3.0 Achievement (EU elements included as extension terms)."""
    document: dict[str, Any] = {
        "id": achievement_id(definition),
        "type": ["Achievement"],
        "name": definition.name,
        "description": definition.description,
        "criteria": {"narrative": definition.criteria_narrative or definition.description},
        "achievementType": definition.achievement_type or None,
        "version": str(definition.version),
        "alignment": _alignments(definition) or None,
        "resultDescription": _result_descriptions(definition) or None,
    }
    if definition.image:
        caption = definition.name
        document["image"] = {"id": image_url(definition), "type": "Image", "caption": caption}
    eu = eu_elements(definition)
    if eu is not None:
        document.update(eu.achievement_properties())
    with as_validation_error("achievement"):
        return parse_model(Achievement, {k: v for k, v in document.items() if v is not None})


def achievement_json(definition: MicroCredentialDefinition) -> dict[str, Any]:
    """The public Achievement JSON served at its id."""
    return achievement(definition).to_json()


def issuer_profile(provider: Provider) -> Profile:
    """The provider as the credential's issuer, with the EU awarding-body data."""
    address = Address(
        address_country_code=provider.country or None, address_region=provider.region or None
    )
    return Profile(
        id=provider.did,
        name=provider.legal_name or provider.name,
        url=provider.website or None,
        email=provider.contact_email or None,
        address=address if provider.country else None,
    )


def _preview(definition: MicroCredentialDefinition) -> AchievementCredential:
    with as_validation_error("achievement"):
        document = build_credential(
            issuer=issuer_profile(definition.provider),
            achievement=achievement(definition),
            recipient_id=_PREVIEW_RECIPIENT,
        )
        return parse_credential(document)


def missing_annex_elements(definition: MicroCredentialDefinition) -> dict[str, str]:
    """Field -> message for each Annex I mandatory element the definition lacks."""
    eu = eu_elements(definition) or EUElements()
    missing = EUMicroCredential(credential=_preview(definition), eu=eu).missing()
    return {
        ANNEX_FIELDS.get(name, "eu_elements"): f"required for an EU micro-credential ({name})"
        for name in missing
    }


def check_definition(definition: MicroCredentialDefinition) -> None:
    """Raise ``ValidationError`` unless the definition builds (and, if EU, is complete)."""
    _preview(definition)
    if definition.is_eu:
        missing = missing_annex_elements(definition)
        if missing:
            raise ValidationError(missing)

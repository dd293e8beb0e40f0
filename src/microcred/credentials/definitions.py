"""Definition service: create, edit (in place or as a new version), publish, archive.

Versioning rule: a version nothing was issued from is edited in place; once a credential
was issued from a version, an edit creates version + 1 (which takes over the old
version's status; a published old version is archived), so issued credentials, and the
achievement JSON their ids point at, never change. An EU definition must carry every
Annex I mandatory element before it can be published (checked again on every edit of a
published version). Owners and issuers of the provider may do all of this.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from microcred.credentials import achievements, images
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.providers.models import Membership, Provider
from microcred.providers.services import User, record_event, require_role

EDITORS = (Membership.Role.OWNER, Membership.Role.ISSUER)
EDITABLE = (
    "name",
    "description",
    "criteria_narrative",
    "learning_outcomes",
    "alignments",
    "result_descriptions",
    "expiry_months",
    "eu_elements",
    "is_eu",
    "achievement_type",
    "status_purpose",
    "image",  # bytes of a PNG or SVG (None or b"": no image); sets image_type
)
_LISTS = ("learning_outcomes", "alignments", "result_descriptions")


def _clean(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError({name: "cannot be changed here" for name in unknown})
    clean = dict(changes)
    purposes = Definition.StatusPurpose.values
    if "status_purpose" in clean and clean["status_purpose"] not in purposes:
        raise ValidationError({"status_purpose": f"choose one of {', '.join(purposes)}"})
    for name in _LISTS:
        if name in clean and not isinstance(clean[name], list):
            raise ValidationError({name: "must be a list"})
    if "learning_outcomes" in clean:
        outcomes = [str(item).strip() for item in clean["learning_outcomes"]]
        clean["learning_outcomes"] = [item for item in outcomes if item]
    if "eu_elements" in clean:
        clean["eu_elements"] = achievements.validate_eu_values(clean["eu_elements"] or {})
    if "image" in clean:
        image = clean["image"]
        clean["image_type"] = images.validate_image(image) if image else ""
        clean["image"] = bytes(image) if image else b""
    return clean


def _validate(definition: Definition) -> None:
    """Model field checks, then the OB/EU checks (drafts need not be EU-complete yet)."""
    try:
        definition.full_clean(exclude=["provider"], validate_unique=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    is_eu = definition.is_eu
    if definition.status == Definition.Status.DRAFT:
        definition.is_eu = False  # buildable now; EU completeness is checked at publish
    try:
        achievements.check_definition(definition)
    finally:
        definition.is_eu = is_eu


def _save_new(definition: Definition) -> Definition:
    try:
        with transaction.atomic():
            definition.save()
    except IntegrityError:
        raise ValidationError(
            {"slug": f"{definition.slug!r} v{definition.version} already exists"}
        ) from None
    return definition


@transaction.atomic
def create_definition(
    *, actor: User, provider: Provider, slug: str, name: str, description: str, **fields: Any
) -> Definition:
    """A new draft (version 1); ``fields`` are any of :data:`EDITABLE`."""
    require_role(actor, provider, EDITORS)
    if Definition.objects.filter(provider=provider, slug=slug).exists():
        raise ValidationError({"slug": f"{slug!r} is already used by this provider"})
    values = _clean({"name": name, "description": description, **fields})
    definition = Definition(provider=provider, slug=slug, version=1, **values)
    _validate(definition)
    _save_new(definition)
    record_event(
        action="definition.created",
        actor=actor,
        provider=provider,
        subject=achievements.achievement_id(definition),
    )
    return definition


def _latest(definition: Definition) -> Definition:
    return (
        Definition.objects.select_for_update()
        .filter(provider_id=definition.provider_id, slug=definition.slug)
        .order_by("-version")
        .first()
        or definition
    )


@transaction.atomic
def update_definition(*, actor: User, definition: Definition, **changes: Any) -> Definition:
    """Apply ``changes`` (fields of :data:`EDITABLE`); returns the definition now current,
    which is a new version when something was already issued from ``definition``."""
    require_role(actor, definition.provider, EDITORS)
    latest = _latest(definition)
    if latest.pk != definition.pk:
        raise ValidationError({"version": f"edit the latest version (v{latest.version})"})
    if latest.status == Definition.Status.ARCHIVED:
        raise ValidationError({"status": "an archived definition cannot be edited"})
    values = _clean(changes)
    if not latest.issued.exists():
        return _edit_in_place(actor, latest, values)
    return _new_version(actor, latest, values)


def _edit_in_place(actor: User, definition: Definition, values: dict[str, Any]) -> Definition:
    for name, value in values.items():
        setattr(definition, name, value)
    _validate(definition)
    definition.save()
    record_event(
        action="definition.updated",
        actor=actor,
        provider=definition.provider,
        subject=achievements.achievement_id(definition),
        details={"fields": sorted(values)},
    )
    return definition


def _new_version(actor: User, old: Definition, values: dict[str, Any]) -> Definition:
    current = {name: getattr(old, name) for name in (*EDITABLE, "image_type")}
    new = Definition(
        provider=old.provider,
        slug=old.slug,
        version=old.version + 1,
        status=old.status,
        **(current | values),
    )
    _validate(new)
    _save_new(new)
    if old.status == Definition.Status.PUBLISHED:
        old.status = Definition.Status.ARCHIVED
        old.save(update_fields=["status", "updated_at"])
    record_event(
        action="definition.versioned",
        actor=actor,
        provider=new.provider,
        subject=achievements.achievement_id(new),
        details={"from_version": old.version, "fields": sorted(values)},
    )
    return new


@transaction.atomic
def publish(*, actor: User, definition: Definition) -> Definition:
    """Make a draft issuable; other published versions of the same slug are archived."""
    require_role(actor, definition.provider, EDITORS)
    if definition.status != Definition.Status.DRAFT:
        message = f"only a draft can be published (it is {definition.status})"
        raise ValidationError({"status": message})
    definition.status = Definition.Status.PUBLISHED
    try:
        _validate(definition)
    except ValidationError:
        definition.status = Definition.Status.DRAFT
        raise
    Definition.objects.filter(
        provider_id=definition.provider_id, slug=definition.slug, status=Definition.Status.PUBLISHED
    ).exclude(pk=definition.pk).update(status=Definition.Status.ARCHIVED)
    definition.save(update_fields=["status", "updated_at"])
    _audit(actor, definition, "definition.published")
    return definition


@transaction.atomic
def archive(*, actor: User, definition: Definition) -> Definition:
    """Stop issuing from this version; its credentials and achievement JSON stay."""
    require_role(actor, definition.provider, EDITORS)
    if definition.status == Definition.Status.ARCHIVED:
        return definition
    definition.status = Definition.Status.ARCHIVED
    definition.save(update_fields=["status", "updated_at"])
    _audit(actor, definition, "definition.archived")
    return definition


def _audit(actor: User, definition: Definition, action: str) -> None:
    subject = achievements.achievement_id(definition)
    record_event(action=action, actor=actor, provider=definition.provider, subject=subject)


__all__ = [
    "EDITABLE",
    "archive",
    "create_definition",
    "publish",
    "update_definition",
]

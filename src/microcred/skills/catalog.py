"""Catalog service: a provider's learning opportunities (offerings): create, edit, publish,
unpublish. One transaction each, every change audited.

Rules (decisions where the issue is silent):

* Owners and issuers of the provider write; viewers read (like definitions).
* Every problem is collected and raised at once as ``ValidationError({field: [...]})``;
  nothing is stored unless everything is valid.
* ``definition`` is the *slug* of one of the provider's definitions; the offering points at
  its latest published version (the credential a learner earns today). A draft or archived
  definition is refused.
* ``skills`` are ``[{"uri", "level"}]`` (or bare URIs) of taxonomy skills that exist here.
  When omitted on create, they are taken from the definition's alignments whose
  ``targetUrl`` is a known skill, at the definition's EQF level (else the offering's level).
* ``prerequisites`` are offerings, named ``slug`` (same provider) or ``provider/slug``;
  they must exist and may not form a cycle. A published offering may only require
  published offerings (the public catalog never links to a draft).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.providers.models import Membership, Provider
from microcred.providers.services import User, record_event, require_role
from microcred.skills.models import Offering, OfferingSkill, Skill

EDITORS = (Membership.Role.OWNER, Membership.Role.ISSUER)
FIELDS = (
    "title", "description", "definition", "hours", "ects", "price", "currency", "mode",
    "language", "start_date", "end_date", "level", "url", "prerequisites", "skills",
)  # fmt: skip
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Z]{2})?")  # BCP 47 language[-REGION], e.g. en, pt-BR
_CURRENCY = re.compile(r"[A-Z]{3}")
Errors = dict[str, list[str]]


def _title(value: Any) -> tuple[Any, str | None]:
    text = str(value or "").strip()
    if not text:
        return text, "is required"
    return text, "must be at most 200 characters" if len(text) > 200 else None


def _code(pattern: re.Pattern[str], message: str, upper: bool = False) -> Any:
    def check(value: Any) -> tuple[Any, str | None]:
        text = str(value or "").strip()
        text = text.upper() if upper else text
        return text, None if pattern.fullmatch(text) else message

    return check


def _mode(value: Any) -> tuple[Any, str | None]:
    ok = value in Offering.Mode.values
    return value, None if ok else f"choose one of {', '.join(Offering.Mode.values)}"


def _level(value: Any) -> tuple[Any, str | None]:
    if value in (None, ""):
        return None, None
    ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8
    return value, None if ok else "must be an EQF level from 1 to 8"


def _url(value: Any) -> tuple[Any, str | None]:
    text = str(value or "").strip()
    bad = text and not text.startswith(("https://", "http://"))
    return text, "must be an http(s) address" if bad else None


def _text(value: Any) -> tuple[Any, str | None]:
    return str(value or "").strip(), None


def _number(positive: bool, required: bool = False) -> Any:
    def check(value: Any) -> tuple[Any, str | None]:
        if value is None or value == "":
            return None, "is required" if required else None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None, "must be a number"
        if not number.is_finite() or (number <= 0 if positive else number < 0):
            return None, "must be more than 0" if positive else "must be 0 or more"
        return number, None

    return check


def _date(value: Any) -> tuple[Any, str | None]:
    if value in (None, "") or isinstance(value, date):
        return value or None, None
    try:
        return date.fromisoformat(str(value)), None
    except ValueError:
        return None, "must be a date (YYYY-MM-DD)"


CHECKS = {
    "title": _title,
    "description": _text,
    "hours": _number(positive=True, required=True),
    "ects": _number(positive=False),
    "price": _number(positive=False),
    "currency": _code(_CURRENCY, "must be an ISO 4217 code (3 letters, EUR)", upper=True),
    "mode": _mode,
    "language": _code(_LANGUAGE, "must be a language code (en, de, pt-BR)"),
    "start_date": _date,
    "end_date": _date,
    "level": _level,
    "url": _url,
}


def _scalars(values: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """The plain fields, normalised; problems go to ``errors`` under the field's name."""
    out = {}
    for name, check in CHECKS.items():
        if name in values:
            out[name], problem = check(values[name])
            if problem:
                errors.setdefault(name, []).append(problem)
    if out.get("price", 0) is None and "price" not in errors:
        out["price"] = Decimal(0)
    return out


def _definition(provider: Provider, slug: Any, errors: Errors) -> Definition | None:
    if slug in (None, ""):
        return None
    rows = Definition.objects.filter(provider=provider, slug=str(slug))
    found = rows.filter(status=Definition.Status.PUBLISHED).order_by("-version").first()
    if found is None:
        known = rows.exists()
        message = "is not published" if known else "is not a micro-credential of this provider"
        errors.setdefault("definition", []).append(f"{slug!r} {message}")
    return found


def _skills(raw: Any, errors: Errors) -> list[tuple[Skill, int | None]] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors["skills"] = ["must be a list of skills ({uri, level})"]
        return None
    wanted: list[tuple[str, int | None]] = []
    for number, item in enumerate(raw):
        uri, level = (
            (item.get("uri"), item.get("level")) if isinstance(item, dict) else (item, None)
        )
        if not isinstance(uri, str) or not uri.strip():
            errors.setdefault(f"skills[{number}].uri", []).append("is required")
        elif level is not None and (not isinstance(level, int) or not 1 <= level <= 8):
            errors.setdefault(f"skills[{number}].level", []).append("must be from 1 to 8")
        else:
            wanted.append((uri.strip(), level))
    known = {s.uri: s for s in Skill.objects.filter(uri__in=[uri for uri, _ in wanted])}
    for uri, _ in wanted:
        if uri not in known:
            errors.setdefault("skills", []).append(f"{uri} is not a skill of any imported taxonomy")
    return [(known[uri], level) for uri, level in wanted if uri in known]


def _prerequisites(provider: Provider, raw: Any, errors: Errors) -> list[Offering] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors["prerequisites"] = ["must be a list of offerings (slug or provider/slug)"]
        return None
    found = []
    for name in raw:
        owner, _, slug = str(name).rpartition("/")
        row = Offering.objects.filter(provider__slug=owner or provider.slug, slug=slug).first()
        if row is None:
            errors.setdefault("prerequisites", []).append(f"{name!r} is not in the catalog")
        else:
            found.append(row)
    return found


def _cycle(offering: Offering, prerequisites: list[Offering]) -> bool:
    """Would ``offering`` requiring ``prerequisites`` close a loop (it reaches itself)?"""
    seen: set[int] = set()
    todo = [p.pk for p in prerequisites]
    while todo:
        current = todo.pop()
        if current == offering.pk:
            return True
        if current in seen:
            continue
        seen.add(current)
        todo += Offering.prerequisites.through.objects.filter(from_offering_id=current).values_list(
            "to_offering_id", flat=True
        )
    return False


def _check_whole(offering: Offering, prereqs: list[Offering], errors: Errors) -> None:
    """Checks across fields, on the offering as it would be saved."""
    if offering.start_date and offering.end_date and offering.end_date < offering.start_date:
        errors.setdefault("end_date", []).append("must not be before the start date")
    if offering.pk and _cycle(offering, prereqs):
        errors.setdefault("prerequisites", []).append("would make a cycle of prerequisites")
    if offering.is_published:
        drafts = [p.slug for p in prereqs if not p.is_published]
        if drafts:
            errors.setdefault("prerequisites", []).append(
                f"publish these first: {', '.join(drafts)}"
            )
        if offering.definition is not None and offering.definition.status != "published":
            errors.setdefault("definition", []).append("is no longer published")


def _apply(
    actor: User, offering: Offering, values: dict[str, Any], *, new: bool
) -> tuple[list[Offering], list[tuple[Skill, int | None]] | None]:
    unknown = sorted(set(values) - set(FIELDS))
    errors: Errors = {name: ["cannot be set here"] for name in unknown}
    scalars = _scalars(values, errors)
    current = offering.definition.slug if offering.definition else None
    definition = _definition(offering.provider, values.get("definition", current), errors)
    prereqs = _prerequisites(offering.provider, values.get("prerequisites"), errors)
    if prereqs is None:
        prereqs = list(offering.prerequisites.all()) if offering.pk else []
    skills = _skills(values.get("skills"), errors)
    for name, value in scalars.items():
        setattr(offering, name, value)
    offering.definition = definition
    _check_whole(offering, prereqs, errors)
    if new and Offering.objects.filter(provider=offering.provider, slug=offering.slug).exists():
        errors.setdefault("slug", []).append(f"{offering.slug!r} is already used by this provider")
    if errors:
        raise ValidationError(errors)
    if skills is None and new and definition is not None:
        skills = skills_of_definition(definition, offering.level)
    return prereqs, skills


def eqf_level(definition: Definition | None) -> int | None:
    """The definition's EQF level (stored as the EQF IRI, ``.../eqf/5``), if it has one."""
    value = (definition.eu_elements or {}).get("eqf_level") if definition else None
    text = str(value or "").rstrip("/").rsplit("/", 1)[-1]
    return int(text) if text.isdigit() else None


def skills_of_definition(
    definition: Definition, level: int | None
) -> list[tuple[Skill, int | None]]:
    """The taxonomy skills a definition is aligned to, at its EQF level (else ``level``)."""
    urls = [a.get("targetUrl") for a in definition.alignments or [] if isinstance(a, dict)]
    eqf = eqf_level(definition)
    found = Skill.objects.filter(uri__in=[u for u in urls if isinstance(u, str)])
    return [(skill, eqf or level) for skill in found]


def _store(
    offering: Offering, prereqs: list[Offering], skills: list[tuple[Skill, int | None]] | None
) -> None:
    offering.save()
    offering.prerequisites.set(prereqs)
    if skills is not None:
        OfferingSkill.objects.filter(offering=offering).delete()
        OfferingSkill.objects.bulk_create(
            OfferingSkill(offering=offering, skill=skill, level=level) for skill, level in skills
        )


def _subject(offering: Offering) -> str:
    return f"offering {offering.provider.slug}/{offering.slug}"


@transaction.atomic
def create_offering(*, actor: User, provider: Provider, slug: str, **fields: Any) -> Offering:
    """A new (unpublished) offering; ``fields`` are any of :data:`FIELDS` (title and hours
    are required)."""
    require_role(actor, provider, EDITORS)
    slug = str(slug or "").strip().lower()
    if not _SLUG.fullmatch(slug):
        raise ValidationError({"slug": [f"{slug!r} is not a slug (a-z, 0-9 and -, 64 at most)"]})
    offering = Offering(provider=provider, slug=slug)
    values = {"title": "", "hours": None, **fields}
    prereqs, skills = _apply(actor, offering, values, new=True)
    _store(offering, prereqs, skills)
    record_event(
        action="offering.created", actor=actor, provider=provider, subject=_subject(offering)
    )
    return offering


@transaction.atomic
def update_offering(*, actor: User, offering: Offering, **changes: Any) -> Offering:
    """Apply ``changes`` (fields of :data:`FIELDS`); a published offering stays published
    and must stay publishable."""
    require_role(actor, offering.provider, EDITORS)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    prereqs, skills = _apply(actor, offering, changes, new=False)
    _store(offering, prereqs, skills)
    record_event(
        action="offering.updated",
        actor=actor,
        provider=offering.provider,
        subject=_subject(offering),
        details={"fields": sorted(changes)},
    )
    return offering


@transaction.atomic
def publish_offering(*, actor: User, offering: Offering) -> Offering:
    """Show the offering in the public catalog (its prerequisites must be public already)."""
    require_role(actor, offering.provider, EDITORS)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.is_published:
        return offering
    offering.is_published = True
    errors: Errors = {}
    if offering.definition is not None:  # a newer version may have been published since
        offering.definition = _definition(offering.provider, offering.definition.slug, errors)
    _check_whole(offering, list(offering.prerequisites.all()), errors)
    if errors:
        raise ValidationError(errors)
    offering.save(update_fields=["is_published", "definition", "updated_at"])
    record_event(
        action="offering.published",
        actor=actor,
        provider=offering.provider,
        subject=_subject(offering),
    )
    return offering


@transaction.atomic
def unpublish_offering(*, actor: User, offering: Offering) -> Offering:
    """Take the offering out of the public catalog (offerings requiring it stay listed)."""
    require_role(actor, offering.provider, EDITORS)
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if not offering.is_published:
        return offering
    offering.is_published = False
    offering.save(update_fields=["is_published", "updated_at"])
    record_event(
        action="offering.unpublished",
        actor=actor,
        provider=offering.provider,
        subject=_subject(offering),
    )
    return offering


__all__ = [
    "EDITORS",
    "FIELDS",
    "create_offering",
    "eqf_level",
    "publish_offering",
    "skills_of_definition",
    "unpublish_offering",
    "update_offering",
]

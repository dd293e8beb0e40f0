"""Writes of employers and their roles.

Decision (who may create an employer): any signed-in user, like a provider: the creator
becomes its owner. Owners add members (owner or recruiter) by the address of an existing
account and close or reopen roles; both owners and recruiters write roles and search
candidates. An operator (``is_superuser``) is not given implicit access: candidate data
is shown only to the employer the learner consented to be found by (every employer, but
only through its own members).

Decision (a role from an occupation): every skill the occupation lists becomes a role skill
with the taxonomy's importance as its weight (ESCO essential 1.0, optional 0.3; O*NET
importance/5) and its level as the minimum; none is a must-have until the employer marks
it so. Making every essential skill a must-have would filter out nearly every real
candidate (an ESCO occupation lists 20-40 essential skills); the employer knows which few
are non-negotiable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from microcred.skills.models import Occupation, Skill
from microcred.talent.models import Employer, EmployerMember, Role, RoleSkill

OWNER, RECRUITER = EmployerMember.Role.OWNER, EmployerMember.Role.RECRUITER
ANY_MEMBER = (OWNER, RECRUITER)


@dataclass(frozen=True)
class SkillSpec:
    """One skill of a role as an employer writes it."""

    uri: str
    must_have: bool = False
    weight: float = 1.0
    min_level: int | None = None


def require_member(user: Any, employer: Employer, roles: tuple[str, ...] = ANY_MEMBER) -> str:
    """The user's role at ``employer`` if it is one of ``roles``."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("sign in first")
    role = (
        EmployerMember.objects.filter(employer=employer, user=user)
        .values_list("role", flat=True)
        .first()
    )
    if role in roles:
        return str(role)
    raise PermissionDenied(f"only an employer's {' or '.join(roles)} may do this")


def create_employer(*, actor: Any, name: str, slug: str = "", website: str = "") -> Employer:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("sign in to create an employer")
    name = (name or "").strip()
    employer = Employer(name=name, slug=(slug or slugify(name)).strip().lower()[:64])
    employer.website = (website or "").strip()
    try:
        employer.full_clean()
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None
    try:
        with transaction.atomic():
            employer.save()
            EmployerMember.objects.create(employer=employer, user=actor, role=OWNER)
    except IntegrityError:
        raise ValidationError({"slug": [f"the slug {employer.slug!r} is taken"]}) from None
    return employer


def add_member(*, actor: Any, employer: Employer, email: str, role: str) -> EmployerMember:
    require_member(actor, employer, (OWNER,))
    if role not in EmployerMember.Role.values:
        raise ValidationError({"role": ["choose owner or recruiter"]})
    user = get_user_model().objects.filter(email__iexact=(email or "").strip()).first()
    if user is None:
        raise ValidationError({"email": ["no account uses this address; ask them to sign up"]})
    member, _ = EmployerMember.objects.update_or_create(
        employer=employer, user=user, defaults={"role": role}
    )
    return member


def _check_spec(spec: SkillSpec) -> Skill:
    skill = Skill.objects.filter(uri=(spec.uri or "").strip()).first()
    if skill is None:
        raise ValidationError({"skill": [f"no skill has the URI {spec.uri!r}"]})
    if not 0.0 <= float(spec.weight) <= 1.0:
        raise ValidationError({"weight": ["a weight is between 0 and 1"]})
    if spec.min_level is not None and not 1 <= int(spec.min_level) <= 8:
        raise ValidationError({"min_level": ["a level is between 1 and 8"]})
    return skill


def _new_role(actor: Any, employer: Employer, title: str, description: str, **extra: Any) -> Role:
    require_member(actor, employer)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["give the role a title"]})
    if len(title) > 200:
        raise ValidationError({"title": ["at most 200 characters"]})
    return Role.objects.create(
        employer=employer, title=title, description=(description or "").strip(), **extra
    )


def create_role(
    *,
    actor: Any,
    employer: Employer,
    title: str,
    description: str = "",
    skills: Iterable[SkillSpec] = (),
) -> Role:
    """A role built from scratch: skills by URI, with must-have, weight and minimum level."""
    specs = list(skills)
    checked = [(_check_spec(spec), spec) for spec in specs]
    with transaction.atomic():
        role = _new_role(actor, employer, title, description)
        RoleSkill.objects.bulk_create(
            RoleSkill(
                role=role,
                skill=skill,
                must_have=spec.must_have,
                weight=float(spec.weight),
                min_level=spec.min_level,
                position=position,
            )
            for position, (skill, spec) in enumerate(_once(checked))
        )
    return role


def _once(checked: list[tuple[Skill, SkillSpec]]) -> list[tuple[Skill, SkillSpec]]:
    """The first spec of each skill (a role lists a skill once)."""
    firsts: dict[int, tuple[Skill, SkillSpec]] = {}
    for skill, spec in checked:
        firsts.setdefault(skill.pk, (skill, spec))
    return list(firsts.values())


def create_role_from_occupation(
    *, actor: Any, employer: Employer, occupation: Occupation, title: str = ""
) -> Role:
    """A role that starts as the occupation's skills (see the module note)."""
    links = occupation.skills.select_related("skill").order_by("relation", "-importance", "id")
    with transaction.atomic():
        role = _new_role(
            actor,
            employer,
            title or occupation.label,
            occupation.description[:2000],
            occupation=occupation,
        )
        RoleSkill.objects.bulk_create(
            RoleSkill(
                role=role,
                skill=link.skill,
                weight=min(1.0, max(0.0, link.importance)),
                min_level=link.level,
                position=position,
            )
            for position, link in enumerate(links)
        )
    return role


def set_role_skill(*, actor: Any, role: Role, spec: SkillSpec) -> RoleSkill:
    """Add a skill to a role, or change how it counts."""
    require_member(actor, role.employer)
    skill = _check_spec(spec)
    with transaction.atomic():
        last = RoleSkill.objects.filter(role=role).order_by("-position").first()
        row, _ = RoleSkill.objects.update_or_create(
            role=role,
            skill=skill,
            defaults={"must_have": spec.must_have, "weight": float(spec.weight)}
            | {"min_level": spec.min_level},
            create_defaults={
                "must_have": spec.must_have,
                "weight": float(spec.weight),
                "min_level": spec.min_level,
                "position": (last.position + 1) if last else 0,
            },
        )
    return row


def remove_role_skill(*, actor: Any, role: Role, uri: str) -> None:
    require_member(actor, role.employer)
    RoleSkill.objects.filter(role=role, skill__uri=uri).delete()


def set_role_status(*, actor: Any, role: Role, status: str) -> Role:
    require_member(actor, role.employer, (OWNER,))
    if status not in Role.Status.values:
        raise ValidationError({"status": ["choose open or closed"]})
    role.status = status
    role.save(update_fields=["status", "updated_at"])
    return role

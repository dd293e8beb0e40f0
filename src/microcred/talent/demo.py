"""The demo's employer: Acme Analytics with a "junior data analyst" role, and consent from
three of the five demo learners (the other two must never appear in its candidates).

Idempotent: run after the catalog seed (the demo taxonomy and aligned credentials exist).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model

from microcred.skills.models import Occupation
from microcred.talent import employers, services
from microcred.talent.models import Employer, Role, RoleSkill

EMPLOYER_EMAIL = "employer@demo.microcred.test"
EMPLOYER_SLUG = "acme-analytics"
ROLE_TITLE = "junior data analyst"
OCCUPATION_URI = "urn:microcred:demo:occupation:data-analyst"
MUST_HAVES = ("urn:microcred:demo:skill:sql", "urn:microcred:demo:skill:data-cleaning")
#: (learner, the name employers see, scope, show contact)
CONSENTING = (
    ("ana.andromeda", "Ana A.", "all", True),
    ("bo.borealis", "Bo B.", "all", False),
    ("chen.cassiopeia", "", "all", False),
)


def _account(email: str, password: str) -> Any:
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if created:
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _role(employer: Employer, owner: Any) -> Role:
    found = employer.roles.filter(title=ROLE_TITLE).first()
    if found is not None:
        return found
    occupation = Occupation.objects.filter(uri=OCCUPATION_URI).first()
    if occupation is None:
        return employers.create_role(actor=owner, employer=employer, title=ROLE_TITLE)
    role = employers.create_role_from_occupation(
        actor=owner, employer=employer, occupation=occupation, title=ROLE_TITLE
    )
    RoleSkill.objects.filter(role=role, skill__uri__in=MUST_HAVES).update(must_have=True)
    return role


def seed_talent(password: str) -> str:
    """Seed the employer, its role and the consents; returns the employer's sign-in address."""
    owner = _account(EMPLOYER_EMAIL, password)
    employer = Employer.objects.filter(slug=EMPLOYER_SLUG).first()
    if employer is None:
        employer = employers.create_employer(
            actor=owner, name="Acme Analytics", slug=EMPLOYER_SLUG, website="https://acme.example"
        )
    _role(employer, owner)
    users = get_user_model().objects
    for name, shown, scope, contact in CONSENTING:
        learner = users.filter(email=f"{name}@example.com").first()
        if learner is not None:
            services.opt_in(learner, scope=scope, display_name=shown, show_contact=contact)
    return EMPLOYER_EMAIL

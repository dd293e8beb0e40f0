"""The demo's employer: Acme Analytics with a "junior data analyst" role, and consent from
three of the five demo learners (the other two must never appear in its candidates).

Two of them (bo, chen) also earn the catalog's "Data Cleaning in Practice", so that they
pass the role's must-haves (SQL and data cleaning); ana does not (her goal page shows
that gap and a plan), so the candidate list shows the must-have filter at work.

Idempotent: run after the catalog seed (the demo taxonomy and aligned credentials exist).
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model

from microcred.credentials import services as credentials
from microcred.credentials.models import MicroCredentialDefinition
from microcred.delivery.services import claim_all_for_user
from microcred.providers.models import Membership
from microcred.skills.models import Occupation
from microcred.talent import employers, services
from microcred.talent.models import Employer, Role, RoleSkill

EMPLOYER_EMAIL = "employer@demo.microcred.test"
EMPLOYER_SLUG = "acme-analytics"
ROLE_TITLE = "junior data analyst"
OCCUPATION_URI = "urn:microcred:demo:occupation:data-analyst"
MUST_HAVES = ("urn:microcred:demo:skill:sql", "urn:microcred:demo:skill:data-cleaning")
CLEANING = ("nordic-data-academy", "data-cleaning-in-practice", ("bo.borealis", "chen.cassiopeia"))
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


def _cleaning_credentials() -> None:
    provider, slug, learners = CLEANING
    definition = (
        MicroCredentialDefinition.objects.filter(
            provider__slug=provider, slug=slug, status=MicroCredentialDefinition.Status.PUBLISHED
        )
        .order_by("-version")
        .first()
    )
    owner = Membership.objects.filter(provider__slug=provider, role="owner").first()
    if definition is None or owner is None:
        return  # the catalog seed did not make it: the role simply lists fewer learners
    for name in learners:
        credentials.issue_credential(
            actor=owner.user,
            definition=definition,
            recipient_email=f"{name}@example.com",
            idempotency_key=f"demo:talent:{slug}:{name}",
        )
        # Claimed now, like the seed's other credentials: a second seed then changes nothing.
        learner = get_user_model().objects.filter(email=f"{name}@example.com").first()
        if learner is not None:
            claim_all_for_user(learner)


def seed_talent(password: str) -> str:
    """Seed the employer, its role and the consents; returns the employer's sign-in address."""
    owner = _account(EMPLOYER_EMAIL, password)
    employer = Employer.objects.filter(slug=EMPLOYER_SLUG).first()
    if employer is None:
        employer = employers.create_employer(
            actor=owner, name="Acme Analytics", slug=EMPLOYER_SLUG, website="https://acme.example"
        )
    _role(employer, owner)
    _cleaning_credentials()
    users = get_user_model().objects
    for name, shown, scope, contact in CONSENTING:
        learner = users.filter(email=f"{name}@example.com").first()
        if learner is not None:
            services.opt_in(learner, scope=scope, display_name=shown, show_contact=contact)
    return EMPLOYER_EMAIL

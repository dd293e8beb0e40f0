"""Realistic demo data for `make demo`: three providers, a dozen micro-credentials, learners,
issued and revoked credentials. Idempotent: running it again changes nothing.

Everything goes through the apps' services (permissions, keys, status lists, audit log), so the
demo shows the platform exactly as a provider would use it. Demo accounts share one password,
printed by `make demo`; never run this against a real database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.db import transaction

from microcred.credentials import services as credentials
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.delivery.services import claim_all_for_user
from microcred.pathways.demo import seed_pathway
from microcred.providers import services as providers
from microcred.providers.models import Provider
from microcred.skills import demo as catalog_demo
from microcred.talent import demo as talent_demo
from microcred.verification import services as registry
from microcred.verification.models import TrustedIssuer

DEMO_PASSWORD = "microcred-demo"
OPERATOR_EMAIL = "operator@demo.microcred.test"
LEARNERS = ["ana.andromeda", "bo.borealis", "chen.cassiopeia", "dara.draco", "eli.eridanus"]

PROVIDERS: list[dict[str, str]] = [
    {"slug": "utrecht-uas", "name": "Utrecht University of Applied Sciences",
     "legal_name": "Hogeschool Utrecht", "country": "NL", "region": "Utrecht",
     "website": "https://uas.example.nl", "accreditation": "NVAO accredited (ESG 2015)"},
    {"slug": "nordic-data-academy", "name": "Nordic Data Academy",
     "legal_name": "Nordic Data Academy AB", "country": "SE", "region": "Stockholm",
     "website": "https://academy.example.se", "accreditation": "ISO 29993 certified training provider"},
    {"slug": "greenbuild-institute", "name": "GreenBuild Institute",
     "legal_name": "GreenBuild Institut GmbH", "country": "DE", "region": "Berlin",
     "website": "https://greenbuild.example.de", "accreditation": "Chamber of Crafts recognised"},
]  # fmt: skip

# (provider slug, definition slug, name, ECTS, EQF level, outcomes)
COURSES: list[tuple[str, str, str, int, int, list[str]]] = [
    ("utrecht-uas", "sql-basics", "SQL Basics", 3, 5, ["Write queries that filter, join and aggregate data"]),
    ("utrecht-uas", "data-visualisation", "Data Visualisation", 4, 6, ["Choose and build a fitting chart for a question"]),
    ("utrecht-uas", "python-for-analysts", "Python for Analysts", 5, 6, ["Clean and analyse tabular data with pandas"]),
    ("utrecht-uas", "research-ethics", "Research Data Ethics", 2, 6, ["Apply GDPR principles to a research data plan"]),
    ("nordic-data-academy", "ml-foundations", "Machine Learning Foundations", 5, 6, ["Train and evaluate a supervised model"]),
    ("nordic-data-academy", "data-pipelines", "Reliable Data Pipelines", 4, 6, ["Build a tested, scheduled batch pipeline"]),
    ("nordic-data-academy", "cloud-warehousing", "Cloud Data Warehousing", 3, 6, ["Model a star schema for analytics"]),
    ("nordic-data-academy", "dataviz-storytelling", "Storytelling with Data", 2, 5, ["Present an analysis to non-specialists"]),
    ("greenbuild-institute", "heat-pumps", "Heat Pump Installation", 6, 4, ["Size and install an air-source heat pump"]),
    ("greenbuild-institute", "solar-pv", "Solar PV Systems", 5, 4, ["Design a rooftop PV system to code"]),
    ("greenbuild-institute", "retrofit-assessment", "Energy Retrofit Assessment", 4, 5, ["Assess a building's retrofit options"]),
    ("greenbuild-institute", "site-safety", "Construction Site Safety", 1, 3, ["Apply site safety rules and report hazards"]),
]  # fmt: skip


# Issuer trust registry: two demo providers and the issuer of the 1EdTech validator examples
# (../shared/standards/examples/ob_v3p0/validator). GreenBuild stays out on purpose: being
# hosted here is not being vetted, so its credentials show "unknown issuer".
TRUSTED: list[dict[str, Any]] = [
    {"provider": "utrecht-uas", "vetting_method": "accreditation", "vetted_by": "NVAO"},
    {"provider": "nordic-data-academy", "vetting_method": "contract",
     "vetted_by": "microcred demo operator", "vetting_notes": "Hosting contract DEMO-2"},
    {"name": "1EdTech example issuer", "vetting_method": "manual",
     "vetted_by": "microcred demo operator", "website": "https://1edtech.edu",
     "vetting_notes": "Issuer of the 1EdTech Open Badges 3.0 validator examples (test data)",
     "dids": ["did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c"],
     "domains": ["1edtech.edu"]},
]  # fmt: skip


def _trust(operator: AbstractUser, made: dict[str, tuple[Provider, AbstractUser]]) -> None:
    for spec in TRUSTED:
        fields = dict(spec)
        provider = made[fields.pop("provider")][0] if "provider" in spec else None
        if provider is not None:
            fields |= {"name": provider.name, "website": provider.website, "dids": [provider.did]}
        if not TrustedIssuer.objects.filter(name=fields["name"]).exists():
            registry.create_trusted_issuer(actor=operator, **fields)


@dataclass
class SeedResult:
    operator: str
    owners: dict[str, str]
    learners: list[str]
    valid_credential: str
    revoked_credential: str


def _user(email: str, *, staff: bool = False) -> AbstractUser:
    model = get_user_model()
    user, created = model.objects.get_or_create(
        username=email,
        defaults={"email": email, "is_staff": staff, "is_superuser": staff},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _provider(spec: dict[str, str]) -> tuple[Provider, AbstractUser]:
    owner = _user(f"owner@{spec['slug']}.demo.microcred.test")
    found = Provider.objects.filter(slug=spec["slug"]).first()
    if found is None:
        found = providers.create_provider(actor=owner, contact_email=owner.email, **spec)
    return found, owner


def _definition(
    provider: Provider, owner: Any, course: tuple[Any, ...]
) -> MicroCredentialDefinition:
    _, slug, name, ects, eqf, outcomes = course
    found = MicroCredentialDefinition.objects.filter(provider=provider, slug=slug).first()
    if found is not None:
        return found
    definition = credentials.create_definition(
        actor=owner, provider=provider, slug=slug, name=name,
        description=f"{name}: a {ects} ECTS micro-credential at EQF level {eqf}.",
        criteria_narrative="Passed the assessed project and the final exam.",
        learning_outcomes=outcomes, expiry_months=None,
        alignments=catalog_demo.alignments_for(slug),
        eu_elements=catalog_demo.eu_elements_for(ects, eqf),
    )  # fmt: skip
    return credentials.publish(actor=owner, definition=definition)


def _issue(owner: Any, definition: MicroCredentialDefinition, learner: str) -> IssuedCredential:
    return credentials.issue_credential(
        actor=owner, definition=definition, recipient_email=f"{learner}@example.com",
        idempotency_key=f"demo:{definition.slug}:{learner}",
    )  # fmt: skip


@transaction.atomic
def seed() -> SeedResult:
    operator = _user(OPERATOR_EMAIL, staff=True)
    owners, issued = {}, []
    made = {spec["slug"]: _provider(spec) for spec in PROVIDERS}
    for slug, (provider, owner) in made.items():
        owners[slug] = owner.email
        courses = [course for course in COURSES if course[0] == slug]
        for number, course in enumerate(courses):
            definition = _definition(provider, owner, course)
            for learner in LEARNERS[: 2 + number % 3]:
                issued.append((owner, _issue(owner, definition, learner)))
    for learner in LEARNERS:
        # Their addresses are verified, so what was issued to them is claimed into their
        # wallets, as it would be when they confirm the address (idempotent).
        claim_all_for_user(_user(f"{learner}@example.com"))
    _trust(operator, made)
    owner, to_revoke = issued[1]
    if to_revoke.state == IssuedCredential.State.ACTIVE:
        credentials.revoke(actor=owner, credential=to_revoke, reason="Issued to the wrong learner")
    seed_pathway(*made["utrecht-uas"], [_user(f"{n}@example.com") for n in LEARNERS])
    catalog_demo.seed_catalog(made)
    talent_demo.seed_talent(DEMO_PASSWORD)  # after the catalog: it needs the taxonomy
    return SeedResult(
        operator=operator.email, owners=owners, learners=[f"{n}@example.com" for n in LEARNERS],
        valid_credential=issued[0][1].credential_id, revoked_credential=to_revoke.credential_id,
    )  # fmt: skip

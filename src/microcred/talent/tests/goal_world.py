"""A hand-built world for the goal tests: a small taxonomy, an occupation, a catalog whose
cheapest plan by hours differs from the cheapest by price, and learners with credentials.

Occupation "data analyst (test)": essential sql@5, data-cleaning@5, statistics@5,
data-visualisation@5, gdpr@5 (only taught at level 3: uncovered); optional storytelling.

Offerings (hours, price): bootcamp = cleaning + statistics (40 h, 900); cleaning-online
(30 h, 100); stats-online (30 h, 100) needs intro-maths (5 h, 50) first; dataviz (10 h, 10);
gdpr-intro teaches gdpr at level 3 (5 h, 20); sql-course (20 h, 200).
By hours: bootcamp + dataviz = 50 h. By price: intro-maths, stats-online, cleaning-online,
dataviz = 260.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress  # type: ignore[import-untyped]

from microcred.credentials import issuing
from microcred.credentials import services as credentials
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.credentials.tests.conftest import EU_ELEMENTS, make_provider, make_user
from microcred.providers.models import Provider
from microcred.skills.models import Occupation, OccupationSkill, Offering, OfferingSkill, Skill

LABELS = {
    "sql": "SQL querying",
    "data-cleaning": "data cleaning",
    "statistics": "descriptive statistics",
    "data-visualisation": "data visualisation",
    "gdpr": "data protection (GDPR)",
    "storytelling": "data storytelling",
}
ESSENTIAL = ("sql", "data-cleaning", "statistics", "data-visualisation", "gdpr")
# slug: (title, hours, price, {skill: level}, prerequisites)
CATALOG: dict[str, tuple[str, int, int, dict[str, int], tuple[str, ...]]] = {
    "bootcamp": ("Analytics bootcamp", 40, 900, {"data-cleaning": 5, "statistics": 5}, ()),
    "cleaning-online": ("Cleaning data online", 30, 100, {"data-cleaning": 5}, ()),
    "intro-maths": ("Intro maths", 5, 50, {}, ()),
    "stats-online": ("Statistics online", 30, 100, {"statistics": 5}, ("intro-maths",)),
    "dataviz": ("Charts that work", 10, 10, {"data-visualisation": 5}, ()),
    "gdpr-intro": ("GDPR in a day", 5, 20, {"gdpr": 3}, ()),
    "sql-course": ("SQL course", 20, 200, {"sql": 5}, ()),
}


def uri(slug: str) -> str:
    return f"urn:microcred:demo:skill:{slug}"


@dataclass
class World:
    owner: Any
    provider: Provider
    occupation: Occupation
    skills: dict[str, Skill]
    definitions: dict[str, MicroCredentialDefinition]
    offerings: dict[str, Offering]
    learners: dict[str, Any] = field(default_factory=dict)

    def learner(self, name: str) -> Any:
        if name not in self.learners:
            user = make_user(name)
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            self.learners[name] = user
        return self.learners[name]

    def award(self, name: str, slug: str) -> IssuedCredential:
        """Issue the credential of offering ``slug``'s definition to learner ``name``."""
        return issuing.issue_credential(
            actor=self.owner,
            definition=self.definitions[slug],
            recipient_email=self.learner(name).email,
        )


def _definition(owner: Any, provider: Provider, slug: str, taught: dict[str, int]) -> Any:
    level = max(taught.values(), default=4)
    row = credentials.create_definition(
        actor=owner,
        provider=provider,
        slug=slug,
        name=CATALOG[slug][0],
        description=f"{CATALOG[slug][0]}.",
        learning_outcomes=[f"Outcome of {slug}"],
        is_eu=True,
        eu_elements={**EU_ELEMENTS, "eqf_level": level},
        alignments=[
            {"targetName": LABELS[s], "targetUrl": uri(s), "targetFramework": "demo"}
            for s in taught
        ],
    )
    return credentials.publish(actor=owner, definition=row)


def build_world() -> World:
    owner = make_user("goal-owner")
    provider = make_provider("goal-uni", owner)
    skills = {
        slug: Skill.objects.create(scheme="custom", code=slug, uri=uri(slug), label=label)
        for slug, label in LABELS.items()
    }
    occupation = Occupation.objects.create(
        scheme="custom", code="data-analyst-test", uri="urn:t:occ", label="data analyst (test)"
    )
    for slug in LABELS:
        OccupationSkill.objects.create(
            occupation=occupation,
            skill=skills[slug],
            relation="essential" if slug in ESSENTIAL else "optional",
            importance=1.0 if slug in ESSENTIAL else 0.3,
            level=5 if slug in ESSENTIAL else None,
        )
    definitions, offerings = {}, {}
    for slug, (title, hours, price, taught, _) in CATALOG.items():
        definitions[slug] = _definition(owner, provider, slug, taught)
        offerings[slug] = Offering.objects.create(
            provider=provider, slug=slug, title=title, definition=definitions[slug],
            hours=Decimal(hours), price=Decimal(price), ects=Decimal(2), is_published=True,
        )  # fmt: skip
        for skill, level in taught.items():
            OfferingSkill.objects.create(offering=offerings[slug], skill=skills[skill], level=level)
    for slug, (*_, prerequisites) in CATALOG.items():
        offerings[slug].prerequisites.set([offerings[p] for p in prerequisites])
    return World(owner, provider, occupation, skills, definitions, offerings)

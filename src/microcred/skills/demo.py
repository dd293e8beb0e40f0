"""The demo catalog (called by ``platform.seed``; idempotent, through the services).

It imports the demo taxonomy, aligns the demo's micro-credentials to its skills (the seed
creates them aligned; an older demo database gets a new version of each), adds four
data-analysis micro-credentials, and publishes one offering per micro-credential with
realistic hours, prices, modes, languages, dates and prerequisites.

Designed so that "data analyst" can be covered several ways: the demo learner
ana.andromeda holds the twelve original credentials, which teach neither data cleaning,
statistics nor spreadsheets. Cheapest in hours she needs "Spreadsheet Modelling" + "Data
Cleaning in Practice" (56 h, EUR 540); cheapest in price "Spreadsheet Modelling" + "Data
Wrangling with Spreadsheets" (76 h, EUR 270).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from microcred.credentials import services as credentials
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.providers.models import Provider
from microcred.skills import catalog
from microcred.skills.models import Offering

SKILL = "urn:microcred:demo:skill:"
FRAMEWORK = "microcred demo taxonomy"
LABELS = {
    "sql": "SQL querying", "data-cleaning": "data cleaning", "statistics": "descriptive statistics",
    "data-visualisation": "data visualisation", "spreadsheets": "spreadsheet modelling",
    "python-programming": "Python programming", "storytelling": "data storytelling",
    "gdpr": "data protection (GDPR)", "machine-learning": "machine learning",
    "data-pipelines": "data pipelines", "data-warehousing": "data warehousing",
    "heat-pumps": "heat pump installation", "solar-pv": "solar PV design",
    "energy-assessment": "building energy assessment", "site-safety": "construction site safety",
    "teamwork": "teamwork", "communication": "communication",
}  # fmt: skip

# definition slug -> the demo skills it is aligned to
ALIGNMENTS: dict[str, tuple[str, ...]] = {
    "sql-basics": ("sql",),
    "data-visualisation": ("data-visualisation",),
    "python-for-analysts": ("python-programming",),
    "research-ethics": ("gdpr",),
    "ml-foundations": ("machine-learning", "python-programming"),
    "data-pipelines": ("data-pipelines", "python-programming"),
    "cloud-warehousing": ("data-warehousing", "sql"),
    "dataviz-storytelling": ("storytelling", "communication"),
    "heat-pumps": ("heat-pumps",),
    "solar-pv": ("solar-pv",),
    "retrofit-assessment": ("energy-assessment", "communication"),
    "site-safety": ("site-safety", "teamwork"),
    "statistics-for-analysts": ("statistics",),
    "spreadsheet-modelling": ("spreadsheets", "statistics"),
    "data-cleaning-in-practice": ("data-cleaning",),
    "data-wrangling-spreadsheets": ("data-cleaning", "spreadsheets"),
}

# The extra micro-credentials: (provider, slug, name, ECTS, EQF level, outcome)
EXTRA: list[tuple[str, str, str, int, int, str]] = [
    ("nordic-data-academy", "statistics-for-analysts", "Statistics for Analysts", 1, 5,
     "Summarise a data set and explain what its statistics show"),
    ("utrecht-uas", "spreadsheet-modelling", "Spreadsheet Modelling", 2, 5,
     "Build a spreadsheet model with lookups, pivot tables and summary statistics"),
    ("nordic-data-academy", "data-cleaning-in-practice", "Data Cleaning in Practice", 1, 5,
     "Find and fix missing, duplicated and inconsistent records"),
    ("greenbuild-institute", "data-wrangling-spreadsheets", "Data Wrangling with Spreadsheets", 1, 5,
     "Clean and reshape messy exports in a spreadsheet"),
]  # fmt: skip

# definition slug -> (hours, price EUR, mode, language, months from now, weeks long, prereqs)
OFFERINGS: dict[str, tuple[int, int, str, str, int, int, tuple[str, ...]]] = {
    "sql-basics": (75, 450, "online", "en", 1, 8, ()),
    "data-visualisation": (100, 620, "blended", "nl", 2, 10, ("sql-basics",)),
    "python-for-analysts": (125, 780, "blended", "en", 1, 12, ()),
    "research-ethics": (50, 290, "online", "en", 3, 5, ()),
    "ml-foundations": (125, 1150, "online", "en", 2, 10, ("python-for-analysts",)),
    "data-pipelines": (100, 980, "online", "en", 3, 8, ("python-for-analysts",)),
    "cloud-warehousing": (75, 890, "onsite", "sv", 4, 6, ("sql-basics",)),
    "dataviz-storytelling": (50, 420, "onsite", "en", 2, 4, ()),
    "heat-pumps": (150, 1450, "onsite", "de", 1, 6, ("site-safety",)),
    "solar-pv": (125, 1290, "blended", "de", 2, 8, ("site-safety",)),
    "retrofit-assessment": (100, 960, "blended", "en", 3, 8, ()),
    "site-safety": (25, 180, "onsite", "de", 1, 1, ()),
    "statistics-for-analysts": (24, 690, "blended", "en", 1, 4, ()),
    "spreadsheet-modelling": (40, 150, "online", "en", 1, 6, ()),
    "data-cleaning-in-practice": (16, 390, "online", "en", 2, 3, ()),
    "data-wrangling-spreadsheets": (36, 120, "online", "en", 2, 6, ()),
}


def alignments_for(slug: str) -> list[dict[str, str]]:
    """The OB alignments of a demo micro-credential (empty for one the demo does not know)."""
    return [
        {
            "targetName": LABELS[skill],
            "targetUrl": SKILL + skill,
            "targetFramework": FRAMEWORK,
            "targetCode": skill,
            "targetType": "ceasn:Competency",
        }
        for skill in ALIGNMENTS.get(slug, ())
    ]


def eu_elements_for(ects: int, eqf: int) -> dict[str, Any]:
    """The EQF level is what the matcher and planner read as the level of its skills."""
    return {"credit_points": ects, "credit_system": "ECTS", "eqf_level": eqf}


def _latest(provider: Provider, slug: str) -> Definition | None:
    return Definition.objects.filter(provider=provider, slug=slug).order_by("-version").first()


def _extra_definition(provider: Provider, owner: Any, spec: tuple[Any, ...]) -> None:
    _, slug, name, ects, eqf, outcome = spec
    if _latest(provider, slug) is not None:
        return
    made = credentials.create_definition(
        actor=owner, provider=provider, slug=slug, name=name,
        description=f"{name}: a {ects} ECTS micro-credential at EQF level {eqf}.",
        criteria_narrative="Passed the assessed assignment.", learning_outcomes=[outcome],
        alignments=alignments_for(slug), eu_elements=eu_elements_for(ects, eqf),
    )  # fmt: skip
    credentials.publish(actor=owner, definition=made)


def _align(provider: Provider, owner: Any, slug: str) -> None:
    """A demo database seeded before alignments existed gets them (as a new version)."""
    latest = _latest(provider, slug)
    if latest is not None and slug in ALIGNMENTS and not latest.alignments:
        credentials.update_definition(
            actor=owner, definition=latest, alignments=alignments_for(slug)
        )


def _start(months: int) -> date:
    today = date.today()
    first = date(
        today.year + (today.month + months - 1) // 12, (today.month + months - 1) % 12 + 1, 1
    )
    return first + timedelta(days=(7 - first.weekday()) % 7)  # the first Monday


def _offering(provider: Provider, owner: Any, slug: str) -> None:
    if Offering.objects.filter(provider=provider, slug=slug).exists():
        return
    definition = _latest(provider, slug)
    hours, price, mode, language, months, weeks, prereqs = OFFERINGS[slug]
    start = _start(months)
    made = catalog.create_offering(
        actor=owner, provider=provider, slug=slug,
        title=definition.name if definition else slug, definition=slug,
        description=_description(definition),
        hours=hours, price=Decimal(price), currency="EUR", mode=mode, language=language,
        ects=(definition.eu_elements or {}).get("credit_points") if definition else None,
        level=catalog.eqf_level(definition), start_date=start, end_date=start + timedelta(weeks=weeks) - timedelta(days=3),
        url=f"{provider.website.rstrip('/')}/courses/{slug}" if provider.website else "",
        prerequisites=[_prerequisite(provider, name) for name in prereqs],
    )  # fmt: skip
    catalog.publish_offering(actor=owner, offering=made)


def _description(definition: Definition | None) -> str:
    """The course in a sentence: what a learner will be able to do."""
    outcomes = definition.learning_outcomes if definition else []
    return f"You will learn to {outcomes[0][0].lower()}{outcomes[0][1:]}." if outcomes else ""


def _prerequisite(provider: Provider, slug: str) -> str:
    """Prerequisites name offerings of the same provider, or ``provider/slug`` elsewhere."""
    row = Offering.objects.filter(slug=slug).select_related("provider").first()
    return f"{row.provider.slug}/{slug}" if row is not None else slug


def seed_catalog(made: dict[str, tuple[Provider, Any]]) -> None:
    """``made``: provider slug -> (provider, its owner), as ``platform.seed`` makes them."""
    from microcred.skills.importing import import_demo_taxonomy  # H1's import service

    import_demo_taxonomy()
    for spec in EXTRA:
        _extra_definition(*made[spec[0]], spec)
    for slug in OFFERINGS:
        for provider, owner in made.values():
            if _latest(provider, slug) is not None:
                _align(provider, owner, slug)
    # Prerequisites first: an offering may only require offerings already in the catalog.
    for slug in sorted(OFFERINGS, key=lambda s: len(OFFERINGS[s][6])):
        for provider, owner in made.values():
            if _latest(provider, slug) is not None:
                _offering(provider, owner, slug)

"""Forms of the catalog pages: parse boxes into the values the selectors and services take.

The rules (what an offering needs) are the catalog service's; these forms only check that
a box holds the kind of value it asks for.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms

from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.skills import selectors
from microcred.skills.models import Offering, OfferingSkill

LEVELS = [("", "Any level"), *[(str(n), f"EQF {n}") for n in range(1, 9)]]
SORT_CHOICES = [
    ("title", "Title"),
    ("price", "Price, lowest first"),
    ("hours", "Hours, fewest first"),
    ("start", "Start date, soonest first"),
]


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class CatalogFilterForm(forms.Form):
    """The public catalog's search box and filters (GET)."""

    q = forms.CharField(required=False, max_length=200, label="Search")
    provider = forms.ChoiceField(required=False)
    mode = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False)
    level = forms.TypedChoiceField(
        choices=LEVELS, required=False, coerce=int, empty_value=None, label="Level"
    )
    max_price = forms.DecimalField(required=False, min_value=0, label="Price at most")
    max_hours = forms.DecimalField(required=False, min_value=0, label="Hours at most")
    skill = forms.ChoiceField(required=False, label="Teaches the skill")
    starts_after = forms.DateField(
        required=False, label="Starts on or after", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False, label="Sort by")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        found = selectors.filter_choices()
        _choices(self, "provider").choices = [("", "All providers"), *found["providers"]]
        _choices(self, "mode").choices = [("", "Any mode"), *found["modes"]]
        _choices(self, "language").choices = [("", "Any language"), *found["languages"]]
        _choices(self, "skill").choices = [("", "Any skill"), *found["skills"]]

    def query(self, offset: int = 0) -> selectors.CatalogQuery:
        """The valid filters (a box with an error is left out, and shown with its error)."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
        data["sort"] = data.get("sort") or "title"
        data["level"] = self.cleaned_data.get("level")
        return selectors.CatalogQuery(offset=max(offset, 0), **data)


def _skills_text(offering: Offering) -> str:
    rows = OfferingSkill.objects.filter(offering=offering).select_related("skill")
    return "\n".join(f"{row.skill.uri} {row.level}" if row.level else row.skill.uri for row in rows)


class OfferingForm(forms.Form):
    """A provider's offering (the slug only when it is new)."""

    slug = forms.SlugField(max_length=64, help_text="Part of the catalog address; cannot change")
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    definition = forms.ChoiceField(
        required=False, label="Micro-credential earned", help_text="A published one of yours"
    )
    hours = forms.CharField(max_length=20, help_text="Study hours, e.g. 40")
    ects = forms.CharField(max_length=20, required=False, label="ECTS credits")
    price = forms.CharField(max_length=20, required=False, initial="0")
    currency = forms.CharField(max_length=3, initial="EUR", help_text="ISO 4217, e.g. EUR")
    mode = forms.ChoiceField(choices=Offering.Mode.choices)
    language = forms.CharField(max_length=16, initial="en", help_text="e.g. en, nl, de")
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.TypedChoiceField(
        choices=[("", "—"), *LEVELS[1:]], required=False, coerce=int, empty_value=None,
        label="EQF level",
    )  # fmt: skip
    url = forms.CharField(max_length=500, required=False, label="Course web page")
    prerequisites = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, help_text="Complete these first"
    )
    skills = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}),
        required=False,
        label="Skills taught",
        help_text="One skill URI per line, optionally followed by a level 1-8. Leave empty on "
        "a new offering to take the micro-credential's skills.",
    )

    def __init__(self, *args: Any, provider: Any, offering: Offering | None = None, **kw: Any):
        if offering is not None:
            kw.setdefault("initial", initial_of(offering))
        kw.setdefault("label_suffix", "")
        super().__init__(*args, **kw)
        self.offering = offering
        if offering is not None:
            del self.fields["slug"]
        published = Definition.objects.filter(provider=provider, status="published")
        _choices(self, "definition").choices = [
            ("", "—"),
            *published.order_by("name").values_list("slug", "name").distinct(),
        ]
        others = Offering.objects.select_related("provider").order_by("title")
        if offering is not None:
            others = others.exclude(pk=offering.pk)
        _choices(self, "prerequisites").choices = [
            (f"{row.provider.slug}/{row.slug}", f"{row.title} ({row.provider.name})")
            for row in others.filter(provider=provider) | others.filter(is_published=True)
        ]

    def clean_skills(self) -> list[dict[str, Any]] | None:
        lines = [line.split() for line in self.cleaned_data["skills"].splitlines() if line.strip()]
        if not lines:
            return None if self.offering is None else []
        out: list[dict[str, Any]] = []
        for number, parts in enumerate(lines, start=1):
            level = parts[1] if len(parts) > 1 else None
            if len(parts) > 2 or (level is not None and not level.isdigit()):
                raise forms.ValidationError(f"line {number}: a URI and at most a level number")
            out.append({"uri": parts[0], "level": int(level) if level else None})
        return out

    def values(self) -> dict[str, Any]:
        """What the service takes (the slug apart)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "slug"}
        if data.get("skills") is None:
            data.pop("skills", None)
        return data


def initial_of(offering: Offering) -> dict[str, Any]:
    return {
        "title": offering.title,
        "description": offering.description,
        "definition": offering.definition.slug if offering.definition else "",
        "hours": offering.hours,
        "ects": "" if offering.ects is None else offering.ects,
        "price": offering.price,
        "currency": offering.currency,
        "mode": offering.mode,
        "language": offering.language,
        "start_date": offering.start_date,
        "end_date": offering.end_date,
        "level": offering.level,
        "url": offering.url,
        "prerequisites": [f"{p.provider.slug}/{p.slug}" for p in offering.prerequisites.all()],
        "skills": _skills_text(offering),
    }

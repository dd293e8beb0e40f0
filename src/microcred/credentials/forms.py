"""Forms of the provider's credential pages: parse text into the shapes the services take.

Rules (what a definition needs, which EU elements are mandatory, who may issue) stay in
the services; these forms only turn lines and boxes into lists and dicts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator

from microcred.credentials.images import MAX_BYTES as MAX_IMAGE_BYTES
from microcred.credentials.models import MicroCredentialDefinition as Definition

EU_CHOICES = {
    "participation_form": [("Online", "Online"), ("Onsite", "On site"), ("Blended", "Blended")],
    "supervision_verification": [
        ("UnsupervisedNoIdentityVerification", "Unsupervised, no identity verification"),
        ("SupervisedNoIdentityVerification", "Supervised, no identity verification"),
        ("SupervisedWithIdentityVerification", "Supervised, with identity verification"),
    ],
    "integration_option": [
        ("StandAlone", "Stand-alone"),
        ("IntegratedStackable", "Can be integrated / stacked towards another credential"),
    ],
}
EU_TEXT = ("assessment_type", "quality_assurance", "prerequisites")
# Service error names -> form fields.
ALIASES = {"alignments": "skills", "criteria": "criteria_narrative"}
_URL = URLValidator(schemes=["http", "https"])
# Skill URIs of O*NET and custom taxonomies are URNs (urn:onet:..., urn:microcred:...).
_URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _choice(name: str, label: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=[("", "—"), *EU_CHOICES[name]], required=False, label=label)


class DefinitionForm(forms.Form):
    """A micro-credential (OB Achievement) with its EU standard elements."""

    slug = forms.SlugField(max_length=64, help_text="Part of the achievement URL; cannot change")
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    criteria_narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Criteria"
    )
    learning_outcomes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="One learning outcome per line",
    )
    skills = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One skill per line: name | URL | framework, e.g. SQL | http://data.europa.eu/esco/skill/… | ESCO (framework optional)",
    )
    expiry_months = forms.IntegerField(
        min_value=1, max_value=1200, required=False, label="Expires after (months)"
    )
    status_purpose = forms.ChoiceField(
        choices=Definition.StatusPurpose.choices, label="Credentials can be"
    )
    is_eu = forms.BooleanField(
        required=False,
        label="EU micro-credential (the Council Recommendation's mandatory elements are enforced)",
    )
    credit_points = forms.DecimalField(
        min_value=0, max_value=1000, decimal_places=2, required=False, label="ECTS credits"
    )
    eqf_level = forms.TypedChoiceField(
        choices=[("", "—"), *[(n, f"EQF level {n}") for n in range(1, 9)]],
        coerce=int,
        empty_value=None,
        required=False,
        label="EQF level",
    )
    participation_form = _choice("participation_form", "Form of participation")
    assessment_type = forms.CharField(max_length=500, required=False, label="Type of assessment")
    supervision_verification = _choice("supervision_verification", "Supervision and identity")
    quality_assurance = forms.CharField(
        max_length=500, required=False, label="Type of quality assurance"
    )
    integration_option = _choice("integration_option", "Integration / stacking")
    stackable_towards = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Stackable towards",
        help_text="URLs of credentials this one stacks towards, one per line",
    )
    prerequisites = forms.CharField(max_length=1000, required=False)
    image = forms.FileField(
        required=False,
        help_text="PNG (at most 2048x2048 pixels) or SVG, at most 512 KiB",
        widget=forms.FileInput(attrs={"accept": "image/png,image/svg+xml"}),
    )
    remove_image = forms.BooleanField(required=False, label="Remove the image")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:  # the slug names issued achievements: it never changes
            del self.fields["slug"]
        else:
            del self.fields["remove_image"]

    def clean_image(self) -> bytes | None:
        """The uploaded bytes (what they are is checked by the service)."""
        upload: UploadedFile | None = self.cleaned_data.get("image")
        if not upload:
            return None
        if (upload.size or 0) > MAX_IMAGE_BYTES:
            raise ValidationError(f"the file is larger than {MAX_IMAGE_BYTES // 1024} KiB")
        content: bytes = upload.read(MAX_IMAGE_BYTES + 1)
        return content

    def clean_skills(self) -> list[dict[str, str]]:
        skills = []
        for number, line in enumerate(_lines(self.cleaned_data["skills"]), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 3 or not parts[0] or len(parts) < 2 or not parts[1]:
                raise ValidationError(f"line {number}: write name | URL | framework")
            try:
                if not _URN.fullmatch(parts[1]):
                    _URL(parts[1])
            except ValidationError:
                raise ValidationError(f"line {number}: {parts[1]!r} is not a URL") from None
            skill = {"targetName": parts[0], "targetUrl": parts[1]}
            if len(parts) > 2 and parts[2]:
                skill["targetFramework"] = parts[2]
            skills.append(skill)
        return skills

    def clean_stackable_towards(self) -> list[str]:
        urls = _lines(self.cleaned_data["stackable_towards"])
        for url in urls:
            try:
                _URL(url)
            except ValidationError:
                raise ValidationError(f"{url!r} is not a URL") from None
        return urls

    def service_values(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments of create/update_definition."""
        data = self.cleaned_data
        eu: dict[str, Any] = {name: data[name] for name in (*EU_CHOICES, *EU_TEXT) if data[name]}
        if data["credit_points"] is not None:
            eu["credit_points"] = float(data["credit_points"])
        if data["eqf_level"] is not None:
            eu["eqf_level"] = data["eqf_level"]
        if data["stackable_towards"]:
            eu["stackable_towards"] = data["stackable_towards"]
        image: dict[str, Any] = {}
        if data["image"] is not None:  # no upload: the stored image stays
            image["image"] = data["image"]
        elif data.get("remove_image"):
            image["image"] = None
        return image | {
            "name": data["name"],
            "description": data["description"],
            "criteria_narrative": data["criteria_narrative"],
            "learning_outcomes": _lines(data["learning_outcomes"]),
            "alignments": data["skills"],
            "expiry_months": data["expiry_months"],
            "status_purpose": data["status_purpose"],
            "is_eu": data["is_eu"],
            "eu_elements": eu,
        }


def definition_initial(definition: Definition) -> dict[str, Any]:
    """A stored definition as the form's initial values (lists back to lines)."""
    eu = dict(definition.eu_elements or {})
    if isinstance(eu.get("eqf_level"), str):  # stored as the EQF IRI; the form picks a number
        eu["eqf_level"] = eu["eqf_level"].rsplit("/", 1)[-1]
    skills = [
        " | ".join(
            str(item.get(key, "")) for key in ("targetName", "targetUrl", "targetFramework")
        ).rstrip(" |")
        for item in definition.alignments or []
        if isinstance(item, dict)
    ]
    return {
        "name": definition.name,
        "description": definition.description,
        "criteria_narrative": definition.criteria_narrative,
        "learning_outcomes": "\n".join(definition.learning_outcomes or []),
        "skills": "\n".join(skills),
        "expiry_months": definition.expiry_months,
        "status_purpose": definition.status_purpose,
        "is_eu": definition.is_eu,
        "stackable_towards": "\n".join(eu.pop("stackable_towards", None) or []),
        **{key: value for key, value in eu.items() if key != "credit_system"},
    }


class IssueForm(forms.Form):
    """One learner, by email or DID."""

    recipient_email = forms.EmailField(required=False, label="Learner's email")
    recipient_did = forms.CharField(max_length=500, required=False, label="or the learner's DID")
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evidence_url = forms.URLField(required=False, label="Evidence URL", assume_scheme="https")
    grade = forms.CharField(max_length=200, required=False, label="Result / grade")
    valid_until = forms.DateField(
        required=False,
        label="Valid until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for the micro-credential's expiry policy",
    )
    # Set once per form shown, so a double submit returns the credential issued first.
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=200, required=False)

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        until: date | None = data["valid_until"]
        return {
            "recipient_email": data["recipient_email"],
            "recipient_did": data["recipient_did"],
            "narrative": data["narrative"],
            "evidence_url": data["evidence_url"],
            "result": {"value": data["grade"]} if data["grade"] else None,
            # A date means the end of that day (UTC), as in bulk CSV files.
            "valid_until": datetime.combine(until, time(23, 59, 59), UTC) if until else None,
            "idempotency_key": data["idempotency_key"],
        }


MAX_UPLOAD_BYTES = 20 * 1024 * 1024
TEXT_TYPES = ("text/csv", "text/plain", "application/csv", "application/vnd.ms-excel")


class BulkUploadForm(forms.Form):
    """A CSV file of learners: limited in size, and it must be a text file named .csv."""

    csv = forms.FileField(
        label="CSV file",
        help_text="Columns: email or did, and optionally narrative, evidence_url, result, "
        "valid_until, idempotency_key. At most 20 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_csv(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["csv"]
        if PurePath(upload.name or "").suffix.lower() != ".csv":
            raise ValidationError("choose a .csv file")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise ValidationError(f"the file is larger than {MAX_UPLOAD_BYTES // 2**20} MB")
        if upload.content_type and upload.content_type not in TEXT_TYPES:
            raise ValidationError(f"a CSV file is text, not {upload.content_type}")
        content: bytes = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(content) > MAX_UPLOAD_BYTES or b"\x00" in content[:65536]:
            raise ValidationError("this is not a CSV text file of at most 20 MB")
        return content

    @property
    def filename(self) -> str:
        upload = self.files.get("csv")
        return PurePath(getattr(upload, "name", "") or "upload.csv").name


class StateChangeForm(forms.Form):
    """Revoke, suspend or unsuspend: the reason is for the audit log, never shown publicly."""

    reason = forms.CharField(max_length=1000, required=False)

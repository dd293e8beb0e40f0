"""Forms of the provider pages: they parse input; the services decide what is valid."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ProviderForm(forms.Form):
    """A new provider with the EU issuer data (European Learning Model)."""

    name = forms.CharField(max_length=200, label="Display name")
    slug = forms.SlugField(
        max_length=64, help_text="Lower-case letters, digits and hyphens; part of your URLs and DID"
    )
    legal_name = forms.CharField(max_length=300, label="Legal name")
    country = forms.CharField(
        max_length=2, min_length=2, help_text="ISO 3166-1 alpha-2 code, e.g. NL"
    )
    region = forms.CharField(max_length=200, required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    contact_email = forms.EmailField(required=False, label="Contact email")
    accreditation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Accreditation and quality assurance",
    )


def add_service_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Show a service's ``ValidationError`` next to the fields it names (else above the form).

    ``aliases`` maps service field names (``alignments``, ``eu_elements.credit_points``) to
    form fields; a dotted name falls back to its last part when that is a form field.
    """
    aliases = aliases or {}
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("", error.messages)]
    for name, messages in items:
        field: str | None = aliases.get(name, name)
        if name == NON_FIELD_ERRORS:
            name, field = "", None
        elif field not in form.fields:
            last = name.rsplit(".", 1)[-1]
            field = aliases.get(last, last) if aliases.get(last, last) in form.fields else None
        for message in messages:
            form.add_error(field, message if field else f"{name}: {message}" if name else message)

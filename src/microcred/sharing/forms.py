"""Sharing forms: shape only (which fields, their limits); the rules are in services."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from microcred.sharing import handles, services

MAX_DAYS = 365


class _KeysForm(forms.Form):
    def _choices(self, name: str, keys: list[str]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, key) for key in keys]


class VisibilityForm(_KeysForm):
    public = forms.MultipleChoiceField(label="Public", choices=(), required=False)

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("public", keys)


class ProfileForm(forms.Form):
    is_public = forms.BooleanField(label="Show my public profile", required=False)
    handle = forms.CharField(
        label="Handle (your address: /people/<handle>)",
        required=False,
        max_length=handles.MAX_LENGTH,
        help_text="Lower-case letters, digits and single hyphens, for example ana-lima.",
    )
    display_name = forms.CharField(label="Name to show", required=False, max_length=80)
    bio = forms.CharField(
        label="Short bio",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ShareForm(_KeysForm):
    credential = forms.MultipleChoiceField(label="Credentials to share", choices=())
    label = forms.CharField(
        label="Label (only you see it)",
        required=False,
        max_length=services.MAX_LABEL,
        help_text="For example: application at Acme, March.",
    )
    expires_in_days = forms.IntegerField(
        label="Expires after (days)", required=False, min_value=1, max_value=MAX_DAYS
    )
    expires_on = forms.DateField(
        label="…or expires at the end of (date)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("credential", keys)
        self.fields["credential"].error_messages["required"] = "Choose at least one credential."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        days, day = data.get("expires_in_days"), data.get("expires_on")
        if days and day:
            raise forms.ValidationError("Give either a number of days or a date, not both.")
        if day is not None and day < timezone.localdate():
            self.add_error("expires_on", "The date is in the past.")
        return data

    @property
    def expires_at(self) -> datetime | None:
        days, day = self.cleaned_data.get("expires_in_days"), self.cleaned_data.get("expires_on")
        if days:
            return timezone.now() + timedelta(days=days)
        if day is not None:  # the end of that day, where the server keeps its clock
            end = datetime.combine(day + timedelta(days=1), time.min)
            return timezone.make_aware(end)
        return None

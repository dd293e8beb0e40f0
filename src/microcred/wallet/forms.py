"""The three ways to import (file, URL, paste) and the presentation choice; shape only,
the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.wallet.verifying import MAX_IMPORT_BYTES

KEEP_CHOICES = (
    ("refuse", "Refuse it (nothing is stored)"),
    ("keep", "Keep it with its failing report"),
)
MIB = MAX_IMPORT_BYTES // (1024 * 1024)


class _ImportForm(forms.Form):
    # What to import first, then what to do if it fails.
    field_order = ("file", "url", "text", "if_failing")
    if_failing = forms.ChoiceField(
        label="If it does not verify (tampered, revoked, expired…)",
        choices=KEEP_CHOICES,
        initial="refuse",
        widget=forms.RadioSelect,
    )

    @property
    def keep_failing(self) -> bool:
        return bool(self.cleaned_data.get("if_failing") == "keep")


class FileImportForm(_ImportForm):
    file = forms.FileField(
        label="Credential file",
        help_text=f"OB 3.0 JSON, VC-JWT, a baked PNG or SVG badge, an OB 2.0 assertion, "
        f"a presentation or a zip of these; at most {MIB} MiB.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(f"The file is larger than {MIB} MiB: nothing was stored.")
        return upload


class UrlImportForm(_ImportForm):
    url = forms.URLField(
        label="Credential URL",
        assume_scheme="https",
        max_length=2000,
        help_text="A public https address of a credential or hosted badge assertion.",
    )


class PasteImportForm(_ImportForm):
    text = forms.CharField(
        label="Credential JSON or JWT",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=MAX_IMPORT_BYTES,
        strip=True,
    )


class PresentationForm(forms.Form):
    credential = forms.MultipleChoiceField(label="Credentials", choices=())
    challenge = forms.CharField(label="Challenge", required=False, max_length=200)
    domain = forms.CharField(label="Domain", required=False, max_length=200)

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["credential"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, key) for key in keys]
        field.error_messages["required"] = "Choose at least one credential to present."

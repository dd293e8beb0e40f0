"""Forms of the export, backup, restore and deletion pages; shape only (rules in services)."""

from __future__ import annotations

from typing import Any

from django import forms

from microcred.portability.restore import MAX_BACKUP_BYTES
from microcred.portability.sealing import MIN_PASSPHRASE


class ExportForm(forms.Form):
    scope = forms.ChoiceField(
        label="What to export",
        choices=(("all", "Everything in my wallet"), ("selected", "Only the credentials I tick")),
        initial="all",
        widget=forms.RadioSelect,
    )
    credential = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, keys: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["credential"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(key, key) for key in keys]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == "selected" and not data.get("credential"):
            self.add_error("credential", "Tick at least one credential, or export everything.")
        return data

    @property
    def keys(self) -> list[str] | None:
        """The chosen wallet keys; None for everything."""
        if self.cleaned_data["scope"] == "all":
            return None
        return list(self.cleaned_data["credential"])


class BackupForm(forms.Form):
    passphrase = forms.CharField(
        label="Passphrase",
        min_length=MIN_PASSPHRASE,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=f"At least {MIN_PASSPHRASE} characters. It protects your holder key in the "
        "file; you need it to restore. It is not stored anywhere.",
    )
    passphrase_again = forms.CharField(
        label="The passphrase again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("passphrase") and data.get("passphrase") != data.get("passphrase_again"):
            self.add_error("passphrase_again", "The two passphrases differ.")
        return data


class RestoreForm(forms.Form):
    file = forms.FileField(
        label="Backup file",
        help_text=f"A microcred backup (.json), at most {MAX_BACKUP_BYTES // 2**20} MiB.",
    )
    passphrase = forms.CharField(
        label="Its passphrase",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    replace_holder_key = forms.BooleanField(
        label="Use the backup's holder key instead of this account's",
        required=False,
        help_text="Presentations you made with the old key then keep naming you.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BACKUP_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_BACKUP_BYTES // 2**20} MiB; nothing was read."
            )
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

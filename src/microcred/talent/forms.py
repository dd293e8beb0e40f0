"""The employer's and the learner's forms (parsing only; the rules are the services')."""

from __future__ import annotations

from django import forms

from microcred.talent.models import EmployerMember, MatchingConsent, Role


class EmployerForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(max_length=64, required=False, help_text="Taken from the name if empty.")
    website = forms.URLField(max_length=500, required=False, assume_scheme="https")


class MemberForm(forms.Form):
    email = forms.EmailField(label="Their account's address")
    role = forms.ChoiceField(choices=EmployerMember.Role.choices)


class OccupationRoleForm(forms.Form):
    occupation = forms.CharField(max_length=300, widget=forms.HiddenInput)
    title = forms.CharField(max_length=200, required=False)


class RoleForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SkillForm(forms.Form):
    uri = forms.CharField(label="Skill URI", max_length=300)
    must_have = forms.BooleanField(label="Must-have", required=False)
    weight = forms.FloatField(min_value=0.0, max_value=1.0, initial=1.0)
    min_level = forms.IntegerField(label="Minimum level", min_value=1, max_value=8, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Role.Status.choices)


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(
        choices=MatchingConsent.Scope.choices,
        widget=forms.RadioSelect,
        initial=MatchingConsent.Scope.ALL,
    )
    display_name = forms.CharField(
        label="Name employers see",
        max_length=80,
        required=False,
        help_text="Empty: employers see “Candidate 1”, “Candidate 2”…",
    )
    show_contact = forms.BooleanField(
        label="Show my email address to employers whose roles I match", required=False
    )

"""Employers, their roles, and the learners who let employers find them.

Plain data only: writes in ``employers.py`` / ``services.py``, reads in ``selectors.py``,
the ranking in ``microcred.core.skills.matching``.

Decision (consent is the gate): a learner appears in no employer result unless a
``MatchingConsent`` row says ``opted_in``. ``HeldSkill`` is a denormalised index of the
opted-in learners' credential skills (one row per credential and skill) so that ranking
100,000 learners reads one indexed table; it holds rows only for opted-in learners
(opting out deletes them at once) and only for the credentials the consent's scope shows.
The candidate query still re-checks each row's credential (state, verdict, expiry), so a
revocation whose hook was missed never shows as proof.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Employer(models.Model):
    """An organisation that defines roles and looks for candidates."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    website = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class EmployerMember(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        RECRUITER = "recruiter", "Recruiter"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.RECRUITER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["employer", "user"], name="employer_member_once"),
        )


class Role(models.Model):
    """A job an employer wants to fill, described by the skills it needs."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: the taxonomy occupation it was started from (None: built from scratch)
    occupation = models.ForeignKey(
        "skills.Occupation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("employer", "title", "id")

    def __str__(self) -> str:
        return self.title


class RoleSkill(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills.Skill", on_delete=models.PROTECT, related_name="+")
    must_have = models.BooleanField(default=False)
    #: importance 0..1
    weight = models.FloatField(default=1.0)
    #: 1-8 (EQF-like); None: any level
    min_level = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "id")
        constraints = (models.UniqueConstraint(fields=["role", "skill"], name="role_skill_once"),)


class MatchingConsent(models.Model):
    """A learner's choice to be found by employers, and what they show."""

    class Scope(models.TextChoices):
        ALL = "all", "All my verified credentials"
        PUBLIC = "public", "Only the credentials I made public"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_consent"
    )
    opted_in = models.BooleanField(default=False)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ALL)
    display_name = models.CharField(max_length=80, blank=True)
    show_contact = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"matching consent of user {self.owner_id} ({self.opted_in})"


class HeldSkill(models.Model):
    """One skill one credential of an opted-in learner asserts (the matching index)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_skills"
    )
    skill_uri = models.CharField(max_length=300)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_at = models.DateTimeField()
    valid_until = models.DateTimeField(null=True, blank=True)
    #: "c<uuid>" for a platform credential, "w<pk>" for an import (the sharing app's keys)
    credential_key = models.CharField(max_length=100)
    issued = models.ForeignKey(
        "credentials.IssuedCredential",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    wallet = models.ForeignKey(
        "wallet.WalletCredential",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    credential_name = models.CharField(max_length=300)
    issuer_name = models.CharField(max_length=300)
    #: 0..1: 1.0 this platform or a trusted registry issuer
    trust = models.FloatField(default=1.0)
    # Denormalised so that ranking reads this one table (docs/performance.md); kept by
    # ``talent.hooks`` in the changing transaction, and re-checked against the real
    # records for the candidates shown (``selectors``).
    #: the credential is active (platform) or its last check verified it (import)
    usable = models.BooleanField(default=False)
    #: the learner made the credential public in their wallet
    public = models.BooleanField(default=False)
    #: the learner's consent covers all their credentials, not only public ones
    scope_all = models.BooleanField(default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["owner", "credential_key", "skill_uri"], name="held_skill_once"
            ),
        )
        indexes = (
            models.Index(fields=["skill_uri", "owner"], name="held_skill_uri_owner"),
            # covers the ranking query: SQLite reads no table rows (half its time)
            models.Index(
                fields=[
                    "skill_uri",
                    "usable",
                    "owner",
                    "level",
                    "valid_until",
                    "scope_all",
                    "public",
                    "trust",
                    "issued_at",
                ],
                name="held_skill_ranking",
            ),
        )


from microcred.talent.goal_models import LearnerGoal  # noqa: E402,F401  (issue 6 item 6)

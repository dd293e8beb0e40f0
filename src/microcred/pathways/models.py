"""Pathway definitions, a learner's progress on each, and the stacked credential awarded.

Plain data only: parsing, validation and evaluation live in ``microcred.core.pathways``;
authoring, evaluation and awards in ``services.py``; reads in ``selectors.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PathwayDefinition(models.Model):
    """One version of a pathway (a requirement tree) of one provider."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Format(models.TextChoices):
        YAML = "yaml", "YAML"
        JSON = "json", "JSON"

    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="pathways"
    )
    # Providers that own the pathway jointly with ``provider`` (shown, may not edit it).
    co_owners = models.ManyToManyField(
        "providers.Provider", blank=True, related_name="co_owned_pathways"
    )
    slug = models.SlugField(max_length=64)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    #: exactly what the author wrote (YAML or JSON), and what core parsed from it
    source = models.TextField()
    source_format = models.CharField(max_length=8, choices=Format.choices, default=Format.YAML)
    parsed = models.JSONField(default=dict)
    #: the stacked credential awarded on completion (a definition of ``provider``)
    award_definition = models.ForeignKey(
        "credentials.MicroCredentialDefinition",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathways",
    )
    #: what the requirement tree depends on (core ``mentions``: {"achievements": [...],
    #: "skills": [...], "any": bool}), so a changed credential re-evaluates only the
    #: pathways it can move
    mentions = models.JSONField(default=dict, blank=True)
    #: whoever published it: awards are issued in their name (they need the issuer role)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: the full re-evaluation job's progress (learners done of total; finished_at when done)
    reevaluation_done = models.PositiveIntegerField(default=0)
    reevaluation_total = models.PositiveIntegerField(default=0)
    reevaluated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("provider_id", "slug", "-version")
        constraints = (
            models.UniqueConstraint(
                fields=["provider", "slug", "version"], name="pathways_definition_version"
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.status})"


class PathwayProgress(models.Model):
    """A learner's latest evaluation of one pathway."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_progress"
    )
    pathway = models.ForeignKey(
        PathwayDefinition, on_delete=models.CASCADE, related_name="progress"
    )
    fraction = models.FloatField(default=0.0)
    complete = models.BooleanField(default=False)
    #: credential ids of the credentials that count towards the pathway
    used = models.JSONField(default=list, blank=True)
    evaluated_at = models.DateTimeField()

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["learner", "pathway"], name="pathways_one_progress"),
        )

    def __str__(self) -> str:
        return f"{self.learner_id} at {self.fraction:.0%} of {self.pathway_id}"


class PathwayAward(models.Model):
    """The stacked credential a learner got for completing a pathway (at most one)."""

    class State(models.TextChoices):
        AWARDED = "awarded", "Awarded"
        FLAGGED = "flagged", "Flagged: a component was revoked"
        SUSPENDED = "suspended", "Suspended: a component was revoked"

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pathway_awards"
    )
    pathway = models.ForeignKey(PathwayDefinition, on_delete=models.PROTECT, related_name="awards")
    credential = models.OneToOneField(
        "credentials.IssuedCredential", on_delete=models.PROTECT, related_name="pathway_award"
    )
    #: the component credential ids the award was made from
    components = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=State.choices, default=State.AWARDED)
    note = models.TextField(blank=True)
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["learner", "pathway"], name="pathways_one_award"),
        )

    def __str__(self) -> str:
        return f"award of {self.pathway_id} to {self.learner_id} ({self.state})"

"""A learner's learning goal: the occupation or published pathway they aim for.

Plain data only (imported by ``talent/models.py``); the gap and the plan are computed live
in ``talent/goals.py`` so they are never staler than the learner's credentials and the
catalog. A pathway is named by provider and slug, not by one version: the goal follows the
pathway's newest published version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class LearnerGoal(models.Model):
    """What one learner is aiming for: exactly one of an occupation or a pathway."""

    class CostBy(models.TextChoices):
        HOURS = "hours", "Fewest hours"
        PRICE = "price", "Lowest price"

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_goal"
    )
    occupation = models.ForeignKey(
        "skills.Occupation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pathway_provider = models.ForeignKey(
        "providers.Provider", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    pathway_slug = models.SlugField(max_length=64, blank=True)
    cost_by = models.CharField(max_length=8, choices=CostBy.choices, default=CostBy.HOURS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = (
            models.CheckConstraint(
                condition=(
                    Q(occupation__isnull=False, pathway_provider__isnull=True, pathway_slug="")
                    | (
                        Q(occupation__isnull=True, pathway_provider__isnull=False)
                        & ~Q(pathway_slug="")
                    )
                ),
                name="learner_goal_one_target",
            ),
        )

    def __str__(self) -> str:
        return f"goal of user {self.learner_id}"

"""A learner's matching consent: opting in (and what to show) or out.

Decision (consent): off until the learner opts in. Opting in indexes their credentials
(``indexing.rebuild``) in the same transaction; opting out deletes every index row at once,
so no later search can find them, and keeps the consent row (with ``opted_in`` False) so the
learner's display choices are remembered. Deleting the account deletes both (cascade).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from microcred.talent import indexing
from microcred.talent.models import HeldSkill, MatchingConsent

MAX_DISPLAY_NAME = 80


def consent_of(user: Any) -> MatchingConsent | None:
    return MatchingConsent.objects.filter(owner=user).first()


def opt_in(
    user: Any,
    *,
    scope: str = MatchingConsent.Scope.ALL,
    display_name: str = "",
    show_contact: bool = False,
) -> MatchingConsent:
    """Let employers find ``user`` (or update what they show), and index their credentials."""
    if scope not in MatchingConsent.Scope.values:
        raise ValidationError({"scope": f"Choose one of: {', '.join(MatchingConsent.Scope)}."})
    display_name = (display_name or "").strip()
    if len(display_name) > MAX_DISPLAY_NAME:
        raise ValidationError({"display_name": f"At most {MAX_DISPLAY_NAME} characters, please."})
    with transaction.atomic():
        consent, _ = MatchingConsent.objects.select_for_update().get_or_create(owner=user)
        consent.opted_in = True
        consent.scope = scope
        consent.display_name = display_name
        consent.show_contact = bool(show_contact)
        consent.save()
        indexing.rebuild([user])
    return consent


def opt_out(user: Any) -> None:
    """Stop being found: the index rows go in the same transaction."""
    with transaction.atomic():
        MatchingConsent.objects.filter(owner=user).update(opted_in=False)
        HeldSkill.objects.filter(owner=user).delete()

"""Counting views of the public credential page: one counter per credential and UTC day.

Decision: only the HTML page counts (a GET that content negotiation answered with the page),
because the statistic says how often *people* looked at a credential. Verifiers fetching the
JSON, HEAD requests, downloads (JSON, PNG, PDF) and 404s are not counted. Crawlers that ask
for HTML and the issuer's own look after issuing do count: telling them apart would need
visitor data that we deliberately do not keep.
"""

from __future__ import annotations

import logging
from datetime import UTC, date

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from microcred.credentials.models import CredentialPageView, IssuedCredential

log = logging.getLogger(__name__)


def record_page_view(credential: IssuedCredential, *, today: date | None = None) -> None:
    """Add one view for today (UTC). Never raises: a counter must not take the page down,
    so a database failure (a locked SQLite file, say) is logged and the view is lost."""
    day = today or timezone.now().astimezone(UTC).date()
    try:
        # A savepoint: a failure here leaves any surrounding transaction usable.
        with transaction.atomic():
            _increment(credential, day)
    except DatabaseError:
        log.exception("page view of %s not counted", credential.credential_id)


def _increment(credential: IssuedCredential, day: date) -> None:
    """An upsert that is safe under concurrency on SQLite and PostgreSQL alike: the UPDATE
    is atomic in the database (count = count + 1); on the day's first view two requests may
    both try the INSERT, and the loser's unique-constraint error turns into the UPDATE."""
    rows = CredentialPageView.objects.filter(credential=credential, day=day)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CredentialPageView.objects.create(credential=credential, day=day, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)

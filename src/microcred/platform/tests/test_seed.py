"""The demo data: realistic, made through the services, and idempotent."""

from __future__ import annotations

import pytest

from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.delivery.models import ClaimInvitation
from microcred.platform.seed import seed
from microcred.providers.models import AuditEvent, Provider


@pytest.mark.django_db
def test_seed_is_realistic_and_idempotent() -> None:
    first = seed()
    counts = (
        Provider.objects.count(),
        MicroCredentialDefinition.objects.filter(status="published").count(),
        IssuedCredential.objects.count(),
        IssuedCredential.objects.filter(state="revoked").count(),
        AuditEvent.objects.count(),
    )
    # 12 micro-credentials, 4 more of the catalog, and the Data Analytics micro-degree
    assert counts[:2] == (3, 17) and counts[2] >= 24 and counts[3] == 1
    assert len(set(first.owners.values())) == 3  # one owner per provider
    again = seed()
    assert again == first
    assert counts == (
        Provider.objects.count(),
        MicroCredentialDefinition.objects.filter(status="published").count(),
        IssuedCredential.objects.count(),
        IssuedCredential.objects.filter(state="revoked").count(),
        AuditEvent.objects.count(),
    )
    revoked = IssuedCredential.objects.get(credential_id=first.revoked_credential)
    assert revoked.reason == "Issued to the wrong learner"
    assert IssuedCredential.objects.get(credential_id=first.valid_credential).state == "active"
    # Every demo learner finds what was issued to her address in her wallet, claimed.
    claimed = ClaimInvitation.objects.filter(claimed_by__email=first.learners[0])
    issued = IssuedCredential.objects.filter(recipient_email=first.learners[0])
    assert claimed.count() == issued.count() >= 2

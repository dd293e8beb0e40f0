"""The demo seed fills the registry: vetted providers are known, GreenBuild is not."""

from __future__ import annotations

import pytest

from microcred.platform.seed import seed
from microcred.providers.models import AuditEvent, Provider
from microcred.verification.models import TrustedIssuer
from microcred.verification.selectors import lookup

ONE_EDTECH = "did:web:dc.1edtech.org:wellspring2022:wellspring-portal:org:da1e96e9-afcc-4eed-b9a2-2ddf7353214c"


@pytest.mark.django_db
def test_the_demo_registry_knows_two_providers_and_the_1edtech_examples() -> None:
    seed()
    utrecht = lookup(Provider.objects.get(slug="utrecht-uas").did)
    assert utrecht is not None and utrecht.summary() == (
        "Known issuer: Utrecht University of Applied Sciences, vetted by NVAO (accreditation body)."
    )
    assert lookup(Provider.objects.get(slug="nordic-data-academy").did) is not None
    assert lookup(Provider.objects.get(slug="greenbuild-institute").did) is None
    example = lookup(ONE_EDTECH)
    assert example is not None and example.name == "1EdTech example issuer"
    https_example = lookup("https://1edtech.edu/issuers/565049")
    assert https_example is not None and https_example.matched == "1edtech.edu"
    events = AuditEvent.objects.count()
    seed()
    assert TrustedIssuer.objects.count() == 3 and AuditEvent.objects.count() == events

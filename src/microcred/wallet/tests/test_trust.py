"""Every wallet report says how far the issuer is trusted (the operator's registry), as the
verification portal does: known, suspended, unknown, and not consulted for a forged one."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.verification import services as registry
from microcred.verification.tests.conftest import OTHER_KEY, signed_elsewhere
from microcred.wallet import services
from microcred.wallet.models import WalletCredential

pytestmark = pytest.mark.django_db


def _detail(ana: Client, learner: Any, data: bytes, **options: Any) -> str:
    [result] = services.import_bytes(learner, data, source="paste", name="x", **options)
    item = WalletCredential.objects.get(owner=learner)
    assert result.state == "added", result.message
    return ana.get(f"/wallet/{item.pk}").content.decode()


def _register(**fields: Any) -> Any:
    operator = get_user_model().objects.create_superuser("root", "root@example.org", "pw-1234567")
    return registry.create_trusted_issuer(
        actor=operator, name="Example University of Applied Sciences",
        dids=[OTHER_KEY.controller], vetting_method="accreditation", vetted_by="NVAO", **fields,
    )  # fmt: skip


def test_a_registered_issuer_is_named_as_known(ana: Client, learner: Any) -> None:
    _register()
    page = _detail(ana, learner, signed_elsewhere())
    assert "Known issuer: Example University of Applied Sciences, vetted by NVAO" in page


def test_an_unregistered_issuer_is_said_to_be_unknown(ana: Client, learner: Any) -> None:
    page = _detail(ana, learner, signed_elsewhere())
    assert "Unknown issuer" in page and "Known issuer" not in page


def test_a_forged_credential_does_not_borrow_a_known_name(ana: Client, learner: Any) -> None:
    _register()
    page = _detail(ana, learner, signed_elsewhere(tampered=True), keep_failing=True)
    assert "Known issuer" not in page and "not confirmed" in page.lower()

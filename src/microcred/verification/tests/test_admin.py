"""The operator manages the issuer trust registry in the Django admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from microcred.providers.models import AuditEvent
from microcred.verification.models import TrustedIssuer
from microcred.verification.selectors import lookup

pytestmark = [pytest.mark.django_db, pytest.mark.urls("microcred.verification.tests.admin_urls")]

LIST = "/admin/verification/trustedissuer/"
ADD = LIST + "add/"
KEY_DID = "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"


def _inlines(dids: list[str], domains: list[str], **initial: int) -> dict[str, str]:
    form: dict[str, str] = {}
    for prefix, values in (("dids", dids), ("domains", domains)):
        column = prefix[:-1]
        form |= {f"{prefix}-TOTAL_FORMS": str(len(values)), f"{prefix}-MIN_NUM_FORMS": "0"}
        form |= {f"{prefix}-INITIAL_FORMS": str(initial.get(prefix, 0))}
        form |= {f"{prefix}-MAX_NUM_FORMS": "1000"}
        form |= {f"{prefix}-{n}-{column}": value for n, value in enumerate(values)}
    return form


FIELDS = {
    "name": "Example University",
    "website": "example.edu",
    "vetting_method": "accreditation",
    "vetted_by": "NVAO",
    "vetted_on": "2025-03-01",
    "vetting_notes": "Register entry 1234 checked",
}


@pytest.fixture
def operator_client(operator: Any, client: Client) -> Client:
    client.force_login(operator)
    return client


def test_the_operator_sees_the_list_and_the_add_form(
    operator_client: Client, make_issuer: Callable[..., Any]
) -> None:
    make_issuer("Example University", dids=[KEY_DID], domains=["example.edu"])
    listing = operator_client.get(LIST)
    assert listing.status_code == 200
    assert b"Example University" in listing.content and b"example.edu" in listing.content
    assert b"Suspend selected issuers" in listing.content
    add = operator_client.get(ADD)
    assert add.status_code == 200
    assert b"How it was vetted" in add.content and b"dids-TOTAL_FORMS" in add.content


@pytest.mark.parametrize("page", [LIST, ADD])
def test_people_who_are_not_staff_are_sent_to_sign_in(
    client: Client, make_user: Callable[..., Any], page: str
) -> None:
    assert client.get(page).url.startswith("/admin/login/")  # type: ignore[attr-defined]
    client.force_login(make_user("learner"))
    response = client.get(page)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")  # type: ignore[attr-defined]


def test_staff_without_registry_permissions_are_forbidden(
    client: Client, make_user: Callable[..., Any]
) -> None:
    client.force_login(make_user("helpdesk", is_staff=True))
    assert client.get(LIST).status_code == 403
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, {**FIELDS, **_inlines([KEY_DID], [])}).status_code == 403
    assert not TrustedIssuer.objects.exists()


def test_adding_an_issuer_with_its_dids_and_domains(operator_client: Client) -> None:
    form = {**FIELDS, **_inlines([KEY_DID, ""], ["HTTPS://Example.edu/"])}
    response = operator_client.post(ADD, form)
    assert response.status_code == 302, response.content[:3000]
    issuer = TrustedIssuer.objects.get()
    assert issuer.website == "https://example.edu" and issuer.state == "active"
    assert [d.did for d in issuer.dids.all()] == [KEY_DID]
    assert [d.domain for d in issuer.domains.all()] == ["example.edu"]
    assert AuditEvent.objects.filter(action="trusted_issuer.created").count() == 1
    match = lookup("did:web:example.edu:issuers:x")
    assert match is not None and match.summary().startswith("Known issuer: Example University")
    assert operator_client.get(response.url).status_code == 200  # type: ignore[attr-defined]


def test_bad_rows_are_shown_next_to_the_field(
    operator_client: Client, make_issuer: Callable[..., Any]
) -> None:
    make_issuer("Other University", domains=["example.edu"])
    form = {**FIELDS, **_inlines(["did:web:example.edu#key-1"], ["example.edu"])}
    response = operator_client.post(ADD, form)
    assert response.status_code == 200
    assert b"without a &#x27;#key&#x27;" in response.content
    assert b"already listed under &#x27;Other University&#x27;" in response.content
    assert TrustedIssuer.objects.count() == 1


def test_editing_replaces_the_rows_through_the_service(
    operator_client: Client, make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University", dids=[KEY_DID], domains=["example.edu"])
    did_row, domain_row = issuer.dids.get(), issuer.domains.get()
    form = {**FIELDS, "vetted_by": "NVAO (renewed)", **_inlines([KEY_DID], ["example.edu"])}
    form |= {
        "dids-INITIAL_FORMS": "1",
        "dids-0-id": str(did_row.pk),
        "dids-0-issuer": str(issuer.pk),
    }
    form |= {"domains-INITIAL_FORMS": "1", "domains-0-id": str(domain_row.pk)}
    form |= {"domains-0-issuer": str(issuer.pk), "domains-0-DELETE": "on"}
    response = operator_client.post(f"{LIST}{issuer.pk}/change/", form)
    assert response.status_code == 302, response.content[:3000]
    issuer.refresh_from_db()
    assert issuer.vetted_by == "NVAO (renewed)" and not issuer.domains.exists()
    assert lookup("did:web:example.edu") is None and lookup(KEY_DID) is not None
    changes = AuditEvent.objects.get(action="trusted_issuer.updated").details["changes"]
    assert changes["domains"]["removed"] == ["example.edu"]


def test_suspend_and_reactivate_actions(
    operator_client: Client, make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University", dids=[KEY_DID])
    chosen = {"_selected_action": [str(issuer.pk)], "index": "0"}
    operator_client.post(LIST, {"action": "suspend_selected", **chosen})
    match = lookup(KEY_DID)
    assert match is not None and match.state == "suspended"
    listing = operator_client.get(LIST + "?state__exact=suspended")
    assert b"Example University" in listing.content
    operator_client.post(LIST, {"action": "reactivate_selected", **chosen})
    match = lookup(KEY_DID)
    assert match is not None and match.active
    actions = AuditEvent.objects.values_list("action", flat=True)
    assert list(actions)[1:] == ["trusted_issuer.suspended", "trusted_issuer.reactivated"]


def test_search_by_did_and_domain_and_no_delete(
    operator_client: Client, make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University", dids=[KEY_DID], domains=["example.edu"])
    make_issuer("Nordic Data Academy", domains=["academy.example.se"])
    for term in ("z6MknNQD1WHLGG", "example.edu", "Example Uni"):
        content = operator_client.get(LIST, {"q": term}).content
        assert b"Example University" in content and b"Nordic Data Academy" not in content
    assert operator_client.post(f"{LIST}{issuer.pk}/delete/", {"post": "yes"}).status_code == 403
    assert TrustedIssuer.objects.count() == 2

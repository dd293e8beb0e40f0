"""Claiming: the claim page, the rules on whose account a credential may land, auto-claim
when an address is verified, and the learner's list of credentials."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from microcred.credentials.models import IssuedCredential
from microcred.delivery import selectors, services
from microcred.delivery.models import ClaimInvitation
from microcred.delivery.tests.conftest import SmtpServer, bodies, claim_token, make_user
from microcred.providers.models import AuditEvent

Issue = Callable[..., IssuedCredential]
Invite = Callable[..., tuple[IssuedCredential, str]]
ACCOUNT_CONFIRM = re.compile(r"http://testserver(/accounts/confirm-email/\S+/)")


@pytest.fixture
def invited(issue: Issue, smtp: SmtpServer) -> Invite:
    """Issue to an address and send the claim email; returns the credential and its token."""

    def run(address: str = "ana@example.com") -> tuple[IssuedCredential, str]:
        credential = issue(address)
        services.invite(credential)
        return credential, claim_token(bodies(smtp.messages[-1])[0])

    return run


def _claimed_by(credential: IssuedCredential) -> object:
    invitation = ClaimInvitation.objects.filter(credential=credential).first()
    return None if invitation is None else invitation.claimed_by


def test_anonymous_visitor_sees_what_the_credential_is_and_how_to_sign_in(
    invited: Invite, client: Client
) -> None:
    _, token = invited()
    page = client.get(f"/claim/{token}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Data Analysis Fundamentals" in html and "Utrecht Open University" in html
    nxt = quote(f"/claim/{token}", safe="/")
    assert f'href="/accounts/login/?next={nxt}"' in html
    assert f'href="/accounts/signup/?next={nxt}"' in html
    assert "csrfmiddlewaretoken" not in html  # nothing to confirm before signing in


def test_anonymous_post_is_sent_to_sign_in(invited: Invite, client: Client) -> None:
    credential, token = invited()
    response = client.post(f"/claim/{token}")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert _claimed_by(credential) is None


def test_unknown_claim_link_is_not_found(invited: Invite, client: Client) -> None:
    invited()
    assert client.get("/claim/not-a-real-token").status_code == 404


def test_learner_with_the_verified_address_claims_and_sees_it_listed(
    invited: Invite, client: Client
) -> None:
    ana = make_user("ana", "Ana@Example.com")
    client.force_login(ana)  # signed in before the credential exists: nothing auto-claimed
    credential, token = invited("ana@example.com")
    form = client.get(f"/claim/{token}")
    assert b"csrfmiddlewaretoken" in form.content and b"Claim this credential" in form.content
    response = client.post(f"/claim/{token}")
    assert response.status_code == 302 and response["Location"] == "/me/credentials"
    assert _claimed_by(credential) == ana
    listing = client.get("/me/credentials").content.decode()
    uuid = credential.credential_id.removeprefix("urn:uuid:")
    assert f'href="http://testserver.example/credentials/{uuid}"' in listing
    assert "Data Analysis Fundamentals" in listing
    [event] = AuditEvent.objects.filter(action="credential.claimed")
    assert event.actor_id == ana.pk and event.subject == credential.credential_id


def test_claim_form_needs_the_csrf_token(invited: Invite) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(make_user("ana", "ana@example.com"))
    credential, token = invited()
    assert strict.post(f"/claim/{token}").status_code == 403
    assert _claimed_by(credential) is None


def test_an_account_without_the_verified_address_is_refused(
    invited: Invite, client: Client
) -> None:
    credential, token = invited("ana@example.com")
    # The address is on the account but not verified: not enough either.
    mallory = make_user("mallory", "mallory@example.com", unverified=("ana@example.com",))
    client.force_login(mallory)
    page = client.get(f"/claim/{token}").content.decode()
    assert "not a verified address of your account" in page
    response = client.post(f"/claim/{token}")
    assert response.status_code == 403 and b"not verified on your" in response.content
    assert _claimed_by(credential) is None
    assert not AuditEvent.objects.filter(action="credential.claimed").exists()


def test_a_second_account_cannot_take_a_claimed_credential(invited: Invite) -> None:
    credential, token = invited("ana@example.com")
    ana = make_user("ana", "ana@example.com")
    services.claim(user=ana, token=token)
    # Ana drops the address and another account verifies it: the credential stays Ana's.
    EmailAddress.objects.filter(user=ana).delete()
    bob = make_user("bob", "ana@example.com")
    with pytest.raises(PermissionDenied, match="another account"):
        services.claim(user=bob, token=token)
    assert services.claim_all_for_user(bob) == []
    assert _claimed_by(credential) == ana
    assert selectors.claim_view(selectors.invitation_for_token(token), bob).state == "taken"


def test_claiming_twice_is_idempotent(invited: Invite, client: Client) -> None:
    credential, token = invited()
    ana = make_user("ana", "ana@example.com")
    assert services.claim(user=ana, token=token) == credential
    assert services.claim(user=ana, token=token) == credential
    assert AuditEvent.objects.filter(action="credential.claimed").count() == 1
    client.force_login(ana)
    assert b"already in your account" in client.get(f"/claim/{token}").content


def test_service_refuses_anonymous_users_and_unknown_tokens(invited: Invite) -> None:
    _, token = invited()
    with pytest.raises(PermissionDenied):
        services.claim(user=None, token=token)
    with pytest.raises(ValidationError):
        services.claim(user=make_user("ana", "ana@example.com"), token=token + "x")


def _confirm_email_link(client: Client, body: str) -> None:
    link = ACCOUNT_CONFIRM.search(body)
    assert link is not None
    assert client.post(link.group(1)).status_code == 302


def test_verifying_a_second_address_claims_its_credentials(issue: Issue, client: Client) -> None:
    work = [issue("ana.work@example.com"), issue("ana.work@example.com")]
    someone_else = issue("zed@example.com")
    ana = make_user("ana", "ana@example.com")
    client.force_login(ana)
    added = client.post("/accounts/email/", {"action_add": "", "email": "ana.work@example.com"})
    assert added.status_code == 302
    assert list(selectors.credentials_of_user(ana)) == []  # not verified yet
    _confirm_email_link(client, str(mail.outbox[-1].body))
    assert set(selectors.credentials_of_user(ana)) == set(work)
    assert _claimed_by(someone_else) is None
    listing = client.get("/me/credentials").content.decode()
    assert all(c.credential_id.removeprefix("urn:uuid:") in listing for c in work)
    events = AuditEvent.objects.filter(action="credential.claimed")
    assert sorted(e.details["via"] for e in events) == ["verified-email", "verified-email"]


def test_a_new_learner_signs_up_from_the_claim_link_and_gets_the_credential(
    invited: Invite, client: Client, smtp: SmtpServer
) -> None:
    credential, token = invited("new.learner@example.com")
    signup = client.post(
        f"/accounts/signup/?next=/claim/{token}",
        {
            "email": "new.learner@example.com",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert signup.status_code == 302
    # allauth's confirmation email goes through the same SMTP server as the claim email.
    plain = smtp.messages[-1].get_body(preferencelist=("plain",))
    assert plain is not None
    _confirm_email_link(client, str(plain.get_content()))
    claimed = _claimed_by(credential)
    assert claimed is not None and getattr(claimed, "email", "") == "new.learner@example.com"
    assert b"already in your account" in client.get(f"/claim/{token}").content


def test_my_credentials_needs_sign_in_and_shows_only_mine(invited: Invite, client: Client) -> None:
    _, token = invited("ana@example.com")
    services.claim(user=make_user("ana", "ana@example.com"), token=token)
    assert client.get("/me/credentials").status_code == 302
    client.force_login(make_user("bob", "bob@example.com"))
    page = client.get("/me/credentials").content.decode()
    assert "Data Analysis Fundamentals" not in page and "No credentials yet" in page


def test_credentials_issued_later_land_when_the_learner_signs_in(
    issue: Issue, client: Client
) -> None:
    make_user("ana", "ana@example.com")
    ana_user = EmailAddress.objects.get(email="ana@example.com").user
    ana_user.set_password("a long pass phrase 42")
    ana_user.save()
    later = issue("ana@example.com")
    signed_in = client.post(
        "/accounts/login/", {"login": "ana@example.com", "password": "a long pass phrase 42"}
    )
    assert signed_in.status_code == 302
    assert _claimed_by(later) == ana_user

"""Accounts: sign up with an email address, verify it, sign in; every form carries CSRF."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client


@pytest.mark.django_db
def test_sign_up_verify_email_and_sign_in(client: Client) -> None:
    page = client.get("/accounts/signup/")
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    response = client.post(
        "/accounts/signup/",
        {
            "email": "ana@example.com",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="ana@example.com")
    assert user.password.startswith("argon2$")
    [message] = mail.outbox
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", str(message.body))
    assert link is not None
    confirm = client.post(link.group(0).replace("http://testserver", ""))
    assert confirm.status_code == 302
    client.logout()
    signed_in = client.post(
        "/accounts/login/", {"login": "ana@example.com", "password": "a long pass phrase 42"}
    )
    assert signed_in.status_code == 302
    home = client.get("/")
    assert b"ana@example.com" in home.content


@pytest.mark.django_db
def test_forms_refuse_posts_without_csrf() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"login": "x@example.com", "password": "nope"})
    assert response.status_code == 403


def test_home_page_renders_for_anonymous_visitors(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b"Sign in" in response.content and b"Skip to content" in response.content

"""A provider with a published definition, learners with verified addresses, and a real SMTP
server on loopback (aiosmtpd) that collects what it is sent."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.test import override_settings

from microcred.credentials import services as credential_services
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.credentials.tests.conftest import make_provider

CLAIM_LINK = re.compile(r"http://testserver\.example/claim/([A-Za-z0-9_-]+)")


def free_port() -> int:
    """A loopback port nothing listens on (closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_settings(port: int) -> Any:
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    )


class Collector:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self, collector: Collector, port: int) -> None:
        self.collector, self.port = collector, port

    @property
    def messages(self) -> list[EmailMessage]:
        return self.collector.messages


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1, with Django's SMTP backend pointed at it."""
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with smtp_settings(port):
            yield SmtpServer(collector, port)
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> None:
    settings.MICROCRED_BASE_URL = "http://testserver.example"


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML body of a message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return str(text.get_content()), str(html.get_content())


def claim_token(text: str) -> str:
    found = CLAIM_LINK.search(text)
    assert found is not None, text
    return found.group(1)


def make_user(name: str, *verified: str, unverified: tuple[str, ...] = ()) -> Any:
    """A learner whose addresses ``verified`` are verified (the first one primary)."""
    primary = verified[0] if verified else f"{name}@example.org"
    user = get_user_model().objects.create_user(username=name, email=primary, password="pw-x-42-x")
    for index, address in enumerate(verified):
        EmailAddress.objects.create(user=user, email=address, verified=True, primary=index == 0)
    for address in unverified:
        EmailAddress.objects.create(user=user, email=address, verified=False, primary=False)
    return user


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("owner")


@pytest.fixture
def definition(owner: Any) -> MicroCredentialDefinition:
    provider = make_provider(
        "uni", owner, name="Utrecht Open University", legal_name="Utrecht Open University B.V."
    )
    draft = credential_services.create_definition(
        actor=owner,
        provider=provider,
        slug="data-101",
        name="Data Analysis Fundamentals",
        description="Cleans, explores and visualises tabular data.",
    )
    return credential_services.publish(actor=owner, definition=draft)


@pytest.fixture
def issue(definition: MicroCredentialDefinition, owner: Any) -> Callable[..., IssuedCredential]:
    def run(recipient_email: str = "ana@example.com") -> IssuedCredential:
        return credential_services.issue_credential(
            actor=owner, definition=definition, recipient_email=recipient_email
        )

    return run

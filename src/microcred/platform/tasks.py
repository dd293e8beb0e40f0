"""Background jobs of the platform (django-tasks; run by ``microcred worker``)."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_message(subject: str, body: str, html: str, sender: str, to: list[str]) -> int:
    """Send one message rendered during a request (``accounts.AccountAdapter``)."""
    message = EmailMultiAlternatives(subject, body, sender, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()

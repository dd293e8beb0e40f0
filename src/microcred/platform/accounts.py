"""The account adapter: who the client is, and password-reset mail sent by the worker.

Password reset must not tell anyone which addresses have accounts (allauth's
``ACCOUNT_PREVENT_ENUMERATION``: the same page either way; ``ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS``
off: nothing is sent to an unknown address). Sending a message takes time (SMTP), and that
time alone would tell a known address from an unknown one; so the message is rendered here
and handed to the task queue (``microcred worker``), and the request answers at once.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter  # type: ignore[import-untyped]
from django.http import HttpRequest

from microcred.platform import ratelimit
from microcred.platform.tasks import send_message


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def get_client_ip(self, request: HttpRequest) -> str:
        """Honours X-Forwarded-For only from MICROCRED_TRUSTED_PROXIES (``ratelimit``)."""
        return ratelimit.client_ip(request) or "unknown"

    def send_password_reset_mail(self, user: Any, email: str, context: dict[str, Any]) -> None:
        from allauth.core import context as allauth_context  # type: ignore[import-untyped]
        from django.contrib.sites.shortcuts import get_current_site

        request = allauth_context.request
        full = {"request": request, "email": email, "current_site": get_current_site(request)}
        full.update(context)
        message = self.render_mail("account/email/password_reset_key", email, full)
        alternatives = [
            (str(body), str(kind)) for body, kind in getattr(message, "alternatives", [])
        ]
        html = next((body for body, kind in alternatives if kind == "text/html"), "")
        send_message.enqueue(
            message.subject, message.body, html, message.from_email, list(message.to)
        )

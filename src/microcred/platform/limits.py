"""Abuse limits as middleware: request size, rates of sign-in/sign-up/reset/import, headers.

- :class:`BodySizeMiddleware` refuses a body whose Content-Length is over
  ``MICROCRED_MAX_REQUEST_BYTES`` with 413 before anything reads it. The limit sits above
  every app's own limit (a 64 MiB wallet backup, 20 MiB CSV or verification upload), so
  those still answer with their own, more precise message.
- :class:`RateLimitMiddleware` counts the POSTs of the routes in :data:`ROUTES`
  (``microcred.platform.ratelimit``) and answers 429 with Retry-After. Sign-in is limited
  per client address and, for failed attempts, per account (the email typed), so that
  neither one address nor many can go on guessing one password; a password-reset request
  is limited per address and per email typed, whether or not an account has it.
  Verification keeps its own per-credential budget (``microcred.verification.throttle``).
- :class:`SecurityHeadersMiddleware`: a strict Content-Security-Policy (no inline script or
  style; responses that set their own, like SVG images, keep theirs), HSTS when the site's
  base URL is https. nosniff, Referrer-Policy and X-Frame-Options come from Django's
  SecurityMiddleware and XFrameOptionsMiddleware (``settings.py``).

Refusals are problem+json on the APIs (``/api/``, ``/ims/``) and a short page elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from microcred.platform import ratelimit
from microcred.platform.ratelimit import Rate

Handler = Callable[[HttpRequest], HttpResponse]
API_PREFIXES = ("/api/", "/ims/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


@dataclass(frozen=True)
class Route:
    scope: str  # the limit's name: its MICROCRED_RATE_* setting and its counters
    pattern: re.Pattern[str]


ROUTES = (
    Route("sign_in", re.compile(r"^/accounts/login/$")),
    Route("sign_up", re.compile(r"^/accounts/signup/$")),
    Route("password_reset", re.compile(r"^/accounts/password/reset/$")),
    Route(
        "imports",
        re.compile(
            r"^/wallet/(import|restore)$"
            r"|^/providers/[^/]+/definitions/[^/]+/bulk$"
            r"|^/api/v1/bulk-jobs(/dry-run)?$"
            r"|^/ims/ob/v3p0/credentials$"
        ),
    ),
)
#: the routes whose form names an account; read only for these (small urlencoded forms)
EMAIL_FIELDS = {"sign_in": "login", "password_reset": "email"}


def rate(scope: str) -> Rate | None:
    """Read per request, so that ``override_settings`` changes a limit in tests."""
    return Rate.parse(str(getattr(settings, "MICROCRED_RATES", {}).get(scope, "0")))


def refusal(
    request: HttpRequest, status: int, detail: str, retry_after: int | None = None
) -> HttpResponse:
    if request.path.startswith(API_PREFIXES):
        from microcred.platform.api import problem  # the API's one problem renderer

        later = f" Try again in {retry_after} s." if retry_after is not None else ""
        response = problem(status, detail + later)
    else:
        context = {"status": status, "detail": detail, "retry_after": retry_after}
        response = render(request, "platform/refused.html", context, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _too_many(request: HttpRequest, decision: ratelimit.Decision, what: str) -> HttpResponse:
    return refusal(request, 429, f"Too many {what}.", decision.retry_after)


def allauth_429(request: HttpRequest) -> HttpResponse:
    """allauth's remaining limits (change password, manage email, reset from key) count per
    minute over a sliding window: a minute from now the oldest attempt has always left it."""
    return refusal(request, 429, "Too many requests.", 60)


class BodySizeMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(getattr(settings, "MICROCRED_MAX_REQUEST_BYTES", 0))
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return refusal(request, 400, "The Content-Length header is not a number.")
        if limit and size > limit:
            detail = f"The request body is {size} bytes: at most {limit} bytes are accepted."
            return refusal(request, 413, detail)
        return self.get_response(request)


def _who(request: HttpRequest, scope: str) -> str:
    """Imports are counted per account (or API token); everything else per address."""
    user = getattr(request, "user", None)
    if scope == "imports" and user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    token = str(request.META.get("HTTP_AUTHORIZATION", ""))
    if scope == "imports" and token:
        return f"token:{token}"
    return f"ip:{ratelimit.client_ip(request)}"


class RateLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = self._route(request)
        if route is None:
            return self.get_response(request)
        email = self._email(request, route.scope)
        if route.scope == "sign_in" and email:
            failures = ratelimit.spent("sign_in_failures", email, rate("sign_in_failures"))
            if not failures.allowed:
                return _too_many(request, failures, "failed sign-ins for this account")
        decision = ratelimit.hit(route.scope, _who(request, route.scope), rate(route.scope))
        if decision.allowed and route.scope == "password_reset" and email:
            decision = ratelimit.hit("password_reset_email", email, rate(route.scope))
        if not decision.allowed:
            return _too_many(request, decision, "requests")
        response = self.get_response(request)
        # A failed sign-in shows the form again (200); success and "verify your email" redirect.
        if route.scope == "sign_in" and email and response.status_code == 200:
            ratelimit.hit("sign_in_failures", email, rate("sign_in_failures"))
        return response

    @staticmethod
    def _route(request: HttpRequest) -> Route | None:
        if request.method != "POST":
            return None
        return next((r for r in ROUTES if r.pattern.match(request.path)), None)

    @staticmethod
    def _email(request: HttpRequest, scope: str) -> str:
        field = EMAIL_FIELDS.get(scope)
        return str(request.POST.get(field, "")).strip().lower() if field else ""


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CSP
        if str(getattr(settings, "MICROCRED_BASE_URL", "")).startswith("https://"):
            # Browsers ignore HSTS over plain http, so it is sent whatever the proxy says.
            response.setdefault("Strict-Transport-Security", HSTS)
        return response

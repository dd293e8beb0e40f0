"""Bearer-token checks for the API: who the token acts for, and whether it carries a scope."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_backends import get_oauthlib_core

from microcred.obapi.responses import ApiError, error_response

View = Callable[..., HttpResponse]


def authorize(request: HttpRequest, scope: str) -> Any:
    """The user the request's bearer token acts for.

    ``ApiError(401)`` without a valid token (missing, unknown, expired, revoked),
    ``ApiError(403)`` when the token is valid but was not granted ``scope``.
    """
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise ApiError(401, "a bearer access token is required")
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None)
    if not valid or token is None or token.user is None:
        raise ApiError(401, "the access token is not valid (unknown, expired or revoked)")
    if not token.allow_scopes([scope]):
        raise ApiError(403, f"the access token was not granted the scope {scope}")
    return token.user


def api_view(methods: dict[str, View]) -> View:
    """One URL, a view per method; ``ApiError`` becomes ``Imsx_StatusInfo``; no CSRF (bearer)."""

    @csrf_exempt
    @wraps(next(iter(methods.values())))
    def dispatch(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        view = methods.get(request.method or "")
        try:
            if view is None:
                raise ApiError(405, f"{request.method} is not allowed here")
            return view(request, *args, **kwargs)
        except ApiError as error:
            response = error_response(error)
            if error.status == 405:
                response["Allow"] = ", ".join(methods)
            return response

    return dispatch

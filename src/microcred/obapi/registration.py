"""Dynamic client registration (RFC 7591), as the OB 3.0 spec requires: no initial token.

Each registration creates a confidential DOT ``Application`` for the authorization code
grant. Redirect URIs must be https; http is accepted only for 127.0.0.1 and localhost
(local clients and tests).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from microcred.obapi.conf import ALL_SCOPES
from microcred.obapi.models import RegisteredClient

URI_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
TEXT_FIELDS = ("client_name", "software_id", "software_version")
AUTH_METHODS = ("client_secret_basic", "client_secret_post")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class RegistrationError(Exception):
    """An RFC 7591 error: ``error`` code and a description."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error
        self.description = description


def _check_uri(value: Any, field: str, error: str = "invalid_client_metadata") -> str:
    if not isinstance(value, str):
        raise RegistrationError(error, f"{field}: expected a URL string")
    parts = urlsplit(value)
    local_http = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
    if not parts.netloc or (parts.scheme != "https" and not local_http) or parts.fragment:
        raise RegistrationError(
            error, f"{field}: {value!r} is not an https URL (http only for localhost)"
        )
    return value


def _string_list(data: dict[str, Any], field: str, default: list[str]) -> list[str]:
    value = data.get(field, default)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RegistrationError("invalid_client_metadata", f"{field}: expected an array of strings")
    return list(value)


def _allowed(values: list[str], allowed: tuple[str, ...], field: str) -> list[str]:
    unsupported = [value for value in values if value not in allowed]
    if unsupported:
        raise RegistrationError(
            "invalid_client_metadata", f"{field}: unsupported {', '.join(unsupported)}"
        )
    return values


def clean_metadata(data: Any) -> dict[str, Any]:
    """The accepted metadata (what the 201 echoes), or :class:`RegistrationError`."""
    if not isinstance(data, dict):
        raise RegistrationError("invalid_client_metadata", "expected a JSON object")
    redirects = _string_list(data, "redirect_uris", [])
    if not redirects:
        raise RegistrationError("invalid_redirect_uri", "redirect_uris: at least one is required")
    clean: dict[str, Any] = {
        "redirect_uris": [
            _check_uri(uri, "redirect_uris", "invalid_redirect_uri") for uri in redirects
        ]
    }
    for field in TEXT_FIELDS:
        if field in data and not isinstance(data[field], str):
            raise RegistrationError("invalid_client_metadata", f"{field}: expected a string")
        if field in data:
            clean[field] = data[field]
    clean.update({field: _check_uri(data[field], field) for field in URI_FIELDS if field in data})
    grants = _string_list(data, "grant_types", ["authorization_code", "refresh_token"])
    clean["grant_types"] = _allowed(grants, ("authorization_code", "refresh_token"), "grant_types")
    if "authorization_code" not in grants:
        raise RegistrationError(
            "invalid_client_metadata", "grant_types: authorization_code is required"
        )
    clean["response_types"] = _allowed(
        _string_list(data, "response_types", ["code"]), ("code",), "response_types"
    )
    method = data.get("token_endpoint_auth_method", "client_secret_basic")
    clean["token_endpoint_auth_method"] = _allowed(
        [method], AUTH_METHODS, "token_endpoint_auth_method"
    )[0]
    scope = data.get("scope", " ".join(ALL_SCOPES))
    if not isinstance(scope, str) or not scope.split():
        raise RegistrationError("invalid_client_metadata", "scope: expected space-separated scopes")
    clean["scope"] = " ".join(_allowed(scope.split(), tuple(ALL_SCOPES), "scope"))
    return clean


def register_client(data: Any) -> dict[str, Any]:
    """Register a client; the RFC 7591 response (the secret appears here only: it is hashed)."""
    metadata = clean_metadata(data)
    secret = generate_client_secret()
    with transaction.atomic():
        application = Application(
            name=metadata.get("client_name", "")[:255],
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(metadata["redirect_uris"]),
            client_secret=secret,
            registration_source=Application.RegistrationSource.DCR,
        )
        application.save()
        RegisteredClient.objects.create(
            application=application, scope=metadata["scope"], metadata=metadata
        )
    return {
        "client_id": application.client_id,
        "client_secret": secret,
        "client_id_issued_at": int(time.time()),
        "client_secret_expires_at": 0,
        **metadata,
    }

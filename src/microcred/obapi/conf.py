"""Scopes and the django-oauth-toolkit settings (no Django imports: settings.py imports this)."""

from __future__ import annotations

from typing import Any

SCOPE_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/scope/"
CREDENTIAL_READ = SCOPE_BASE + "credential.readonly"
CREDENTIAL_UPSERT = SCOPE_BASE + "credential.upsert"
PROFILE_READ = SCOPE_BASE + "profile.readonly"
PROFILE_UPDATE = SCOPE_BASE + "profile.update"
OFFLINE_ACCESS = "offline_access"

SCOPES = {
    CREDENTIAL_READ: "Permission to read your Open Badges credentials",
    CREDENTIAL_UPSERT: "Permission to add or replace Open Badges credentials in your account",
    PROFILE_READ: "Permission to read your profile",
    PROFILE_UPDATE: "Permission to update your profile",
}
# A client may ask for refresh tokens with this scope (the spec allows it in registration).
ALL_SCOPES = {**SCOPES, OFFLINE_ACCESS: "Stay connected (refresh tokens)"}

OAUTH2_PROVIDER: dict[str, Any] = {
    "SCOPES": ALL_SCOPES,
    # Each client gets only the scopes it registered (microcred.obapi.scopes).
    "SCOPES_BACKEND_CLASS": "microcred.obapi.scopes.RegisteredScopes",
    "PKCE_REQUIRED": True,  # the spec: PKCE MUST be used (S256)
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "ROTATE_REFRESH_TOKEN": True,
}

"""The Service Description Document served by GET /discovery (a profiled OpenAPI 3.0 file)."""

from __future__ import annotations

from typing import Any

from microcred.obapi.conf import (
    ALL_SCOPES,
    CREDENTIAL_READ,
    CREDENTIAL_UPSERT,
    PROFILE_READ,
    PROFILE_UPDATE,
)

SCHEMA_BASE = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
ERRORS = ("400", "401", "403", "404", "405", "500")


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _operation(
    operation_id: str, scope: str, ok: dict[str, dict[str, Any]], **extra: Any
) -> dict[str, Any]:
    responses: dict[str, Any] = dict(ok)
    responses.update(
        {
            code: {"description": "Imsx_StatusInfo", **_json(_ref("Imsx_StatusInfo"))}
            for code in ERRORS
        }
    )
    return {
        "operationId": operation_id,
        "tags": ["OpenBadgeCredentials"],
        "security": [{"OAuth2ACG": [scope]}],
        "responses": responses,
        **extra,
    }


def _paging_parameters() -> list[dict[str, Any]]:
    return [
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
        {"name": "since", "in": "query", "schema": {"type": "string", "format": "date-time"}},
    ]


def _paths() -> dict[str, Any]:
    credential = _json(_ref("AchievementCredential"))
    return {
        "/credentials": {
            "get": _operation(
                "getCredentials",
                CREDENTIAL_READ,
                {
                    "200": {
                        "description": "GetOpenBadgeCredentialsResponse",
                        **_json(_ref("GetOpenBadgeCredentialsResponse")),
                    }
                },
                parameters=_paging_parameters(),
            ),
            "post": _operation(
                "upsertCredential",
                CREDENTIAL_UPSERT,
                {
                    "200": {"description": "replaced", **credential},
                    "201": {"description": "created", **credential},
                },
                requestBody=credential,
            ),
        },
        "/profile": {
            "get": _operation(
                "getProfile",
                PROFILE_READ,
                {"200": {"description": "Profile", **_json(_ref("Profile"))}},
            ),
            "put": _operation(
                "putProfile",
                PROFILE_UPDATE,
                {"200": {"description": "Profile", **_json(_ref("Profile"))}},
                requestBody=_json(_ref("Profile")),
            ),
        },
        "/discovery": {
            "get": {
                "operationId": "getServiceDescription",
                "tags": ["Discovery"],
                "responses": {"200": {"description": "the Service Description Document"}},
            }
        },
    }


def service_description(base_url: str) -> dict[str, Any]:
    """The document for a site whose origin is ``base_url`` (no trailing slash)."""
    api = f"{base_url}/ims/ob/v3p0"
    schemas = {
        name: {"$ref": f"{SCHEMA_BASE}ob_v3p0_{name.lower()}_schema.json"}
        for name in (
            "AchievementCredential",
            "GetOpenBadgeCredentialsResponse",
            "Profile",
            "Imsx_StatusInfo",
        )
    }
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "microcred Open Badges API",
            "description": "The learner's Open Badges 3.0 credentials and profile.",
            "version": "3.0",
            # No dedicated terms / privacy pages yet: the home page says what the site does.
            "termsOfService": f"{base_url}/",
            "x-imssf-privacyPolicyUrl": f"{base_url}/",
        },
        "servers": [{"url": api, "description": "microcred"}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Discovery"}],
        "paths": _paths(),
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
                    "x-imssf-registrationUrl": f"{api}/register",
                    "flows": {
                        "authorizationCode": {
                            "authorizationUrl": f"{api}/oauth/authorize/",
                            "tokenUrl": f"{api}/oauth/token/",
                            "refreshUrl": f"{api}/oauth/token/",
                            "scopes": dict(ALL_SCOPES),
                        }
                    },
                }
            },
            "schemas": schemas,
        },
    }

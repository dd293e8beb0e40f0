"""JSON responses of the API: ``Imsx_StatusInfo`` errors, JSON bodies, request parsing."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse

_MINOR = {
    400: "invalid_data",
    401: "unauthorizedrequest",
    403: "forbidden",
    404: "not_found",
    405: "not_allowed",
}


class ApiError(Exception):
    """Raised inside a view; the view wrapper turns it into an ``Imsx_StatusInfo`` response."""

    def __init__(self, status: int, description: str, minor: str | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.minor = minor or _MINOR.get(status, "unknown")


def status_info(status: int, description: str, minor: str | None = None) -> JsonResponse:
    """An ``Imsx_StatusInfo`` failure body (the spec's error shape for every endpoint)."""
    body = {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_codeMinor": {
            "imsx_codeMinorField": [
                {
                    "imsx_codeMinorFieldName": "TargetEndSystem",
                    "imsx_codeMinorFieldValue": minor or _MINOR.get(status, "unknown"),
                }
            ]
        },
    }
    response = JsonResponse(body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="ob-v3p0"'
    return response


def error_response(error: ApiError) -> JsonResponse:
    return status_info(error.status, error.description, error.minor)


def json_response(body: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False)


def json_body(request: HttpRequest) -> Any:
    """The request body as JSON, or ``ApiError(400)`` naming the problem."""
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"the request body is not JSON: {exc}") from None


def content_type(request: HttpRequest) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()

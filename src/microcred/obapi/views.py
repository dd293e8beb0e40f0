"""The OB 3.0 API endpoints (``/ims/ob/v3p0``): plain Django views, bearer-token auth."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from microcred.obapi import selectors, services
from microcred.obapi.auth import api_view, authorize
from microcred.obapi.conf import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE
from microcred.obapi.discovery import service_description
from microcred.obapi.registration import RegistrationError, register_client
from microcred.obapi.responses import ApiError, content_type, json_body, json_response

DEFAULT_LIMIT = 100  # a page when the client gives no limit (the spec leaves it to the server)


def _base_url() -> str:
    return str(settings.MICROCRED_BASE_URL).rstrip("/")


def _integer(request: HttpRequest, name: str, default: int, minimum: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise ApiError(400, f"{name}: expected an integer >= {minimum}", "invalid_query_parameter")
    return int(raw)


def _since(request: HttpRequest) -> datetime | None:
    raw = request.GET.get("since")
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
        if moment.tzinfo is None:
            raise ValueError("no time zone")
        # In UTC: PostgreSQL refuses offsets beyond +-15:59 (Python allows +-23:59), and an
        # instant near year 1 or 9999 may not exist in UTC at all (OverflowError).
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ApiError(
            400, "since: expected a date-time with a time zone", "invalid_query_parameter"
        ) from None


def _link_header(request: HttpRequest, limit: int, offset: int, total: int) -> str:
    def link(at: int, rel: str) -> str:
        query = {key: value for key, value in request.GET.items() if key not in ("limit", "offset")}
        query.update(limit=str(limit), offset=str(at))
        return f'<{_base_url()}{request.path}?{urlencode(query)}>; rel="{rel}"'

    last = max(0, (total - 1) // limit * limit)
    links = [link(0, "first"), link(last, "last")]
    if offset + limit < total:
        links.insert(0, link(offset + limit, "next"))
    if offset > 0:
        links.insert(0, link(max(0, offset - limit), "prev"))
    return ", ".join(links)


def get_credentials(request: HttpRequest) -> HttpResponse:
    user = authorize(request, CREDENTIAL_READ)
    limit = _integer(request, "limit", DEFAULT_LIMIT, 1)
    offset = _integer(request, "offset", 0, 0)
    page = selectors.credential_page(user, limit=limit, offset=offset, since=_since(request))
    body: dict[str, Any] = {}
    if page.credential:
        body["credential"] = page.credential
    if page.compact_jws:
        body["compactJwsString"] = page.compact_jws
    response = json_response(body)
    response["X-Total-Count"] = str(page.total)
    response["Link"] = _link_header(request, limit, offset, page.total)
    return response


def upsert_credential(request: HttpRequest) -> HttpResponse:
    user = authorize(request, CREDENTIAL_UPSERT)
    if content_type(request) == "text/plain":
        compact = request.body.decode("utf-8", errors="replace").strip()
        result = services.upsert_credential(user, services.jws_payload(compact), compact)
        return HttpResponse(
            compact, status=201 if result.created else 200, content_type="text/plain"
        )
    result = services.upsert_credential(user, json_body(request))
    return json_response(result.row.document, status=201 if result.created else 200)


def get_profile(request: HttpRequest) -> HttpResponse:
    user = authorize(request, PROFILE_READ)
    return json_response(services.profile_document(services.profile_for(user)))


def put_profile(request: HttpRequest) -> HttpResponse:
    user = authorize(request, PROFILE_UPDATE)
    profile = services.put_profile(user, json_body(request))
    return json_response(services.profile_document(profile))


def discovery(request: HttpRequest) -> HttpResponse:
    return json_response(service_description(_base_url()))


@csrf_exempt
def register(request: HttpRequest) -> HttpResponse:
    """RFC 7591: errors are ``{"error", "error_description"}`` as registration clients expect."""
    if request.method != "POST":
        response = JsonResponse(
            {"error": "invalid_request", "error_description": "use POST"}, status=405
        )
        response["Allow"] = "POST"
        return response
    try:
        data = json_body(request)
        return json_response(register_client(data), status=201)
    except ApiError as error:
        return JsonResponse(
            {"error": "invalid_client_metadata", "error_description": error.description}, status=400
        )
    except RegistrationError as error:
        return JsonResponse(
            {"error": error.error, "error_description": error.description}, status=400
        )


credentials = api_view({"GET": get_credentials, "POST": upsert_credential})
profile = api_view({"GET": get_profile, "PUT": put_profile})
discovery_view = api_view({"GET": discovery})

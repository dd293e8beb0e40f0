"""Who calls the provider API: bearer tokens or signed-in staff, and the caller's provider.

Every API handler works for exactly one provider, the caller's: a token belongs to one,
and a signed-in staff member names theirs in the ``X-Provider`` header (optional when they
belong to a single provider). Session calls keep Django's CSRF check on unsafe methods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import APIKeyCookie, HttpBearer

from microcred.providers import selectors, services
from microcred.providers.models import ApiToken, Membership, Provider

WRITERS = (Membership.Role.OWNER, Membership.Role.ISSUER)
PROVIDER_HEADER = "X-Provider"


@dataclass(frozen=True)
class Caller:
    """The authenticated caller: acts as ``user`` for ``provider`` with at most ``role``."""

    provider: Provider
    user: Any
    role: str
    token: ApiToken | None = None

    def require_write(self) -> None:
        if self.role not in WRITERS:
            raise PermissionDenied(f"a {self.role} may only read")

    def require_session(self) -> None:
        # A token acts as its (owner) creator; it must not mint or revoke tokens itself.
        if self.token is not None:
            raise PermissionDenied("tokens are managed by a signed-in owner, not by a token")


def caller(request: HttpRequest) -> Caller:
    """The caller that authentication stored on the request."""
    found = getattr(request, "auth", None)
    if not isinstance(found, Caller):  # only reachable if a route forgot its auth
        raise PermissionDenied("authentication required")
    return found


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mc_…``; unknown or revoked tokens authenticate nobody (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = services.authenticate_api_token(token.strip())
        if found is None:
            return None
        # The creator's current role caps the token's: removed -> 403, demoted -> read only.
        staff = tuple(Membership.Role.values)
        current = services.require_role(found.created_by, found.provider, staff)
        role = found.role if current in WRITERS else Membership.Role.VIEWER
        return Caller(provider=found.provider, user=found.created_by, role=role, token=found)


class StaffSessionAuth(APIKeyCookie):
    """A signed-in provider staff member (Django session cookie, CSRF checked by Ninja)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest) -> Caller | None:
        # Nobody signed in: no CSRF check, so a bad bearer token gets 401, not 403.
        if not request.user.is_authenticated:
            return None
        result: Caller | None = super().__call__(request)
        return result

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        user = request.user
        if not user.is_authenticated:
            return None
        provider = _session_provider(request, user)
        role = services.require_role(user, provider, tuple(Membership.Role.values))
        return Caller(provider=provider, user=user, role=role)


def _session_provider(request: HttpRequest, user: Any) -> Provider:
    slug = request.headers.get(PROVIDER_HEADER, "").strip()
    if slug:
        try:
            return selectors.provider_by_slug(slug)
        except Provider.DoesNotExist:
            raise PermissionDenied("you have no role at that provider") from None
    mine = list(selectors.providers_for_user(user)[:2])
    if len(mine) != 1:
        message = f"name the provider in the {PROVIDER_HEADER} header (its slug)"
        raise ValidationError({PROVIDER_HEADER: [message]})
    return mine[0]


AUTH = [TokenAuth(), StaffSessionAuth()]


class ProviderPublic(Schema):
    slug: str
    name: str
    legal_name: str
    country: str
    did: str
    role: str
    token: str | None
    token_last_used_at: datetime | None


router = Router(tags=["provider"], auth=AUTH)


@router.get("/provider", response=ProviderPublic, summary="The caller's provider and role")
def whoami(request: HttpRequest) -> dict[str, Any]:
    found = caller(request)
    provider = found.provider
    return {
        "slug": provider.slug,
        "name": provider.name,
        "legal_name": provider.legal_name,
        "country": provider.country,
        "did": provider.did,
        "role": found.role,
        "token": f"mc_{found.token.prefix}" if found.token else None,
        "token_last_used_at": found.token.last_used_at if found.token else None,
    }


class TokenCreate(Schema):
    name: str
    role: Literal["issuer", "viewer"]


class TokenPublic(Schema):
    prefix: str
    name: str
    role: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenPublic):
    secret: str = Field(..., description="shown once: store it now")


def _token(request: HttpRequest, prefix: str) -> ApiToken:
    found = caller(request).provider.api_tokens.filter(prefix=prefix).first()
    if found is None:
        raise Http404("no such token")
    return found


@router.get("/tokens", response=list[TokenPublic], summary="The provider's API tokens")
def list_tokens(request: HttpRequest) -> Any:
    return caller(request).provider.api_tokens.all()


@router.post("/tokens", response={201: TokenCreated}, summary="Create a token (owners, signed in)")
def create_token(request: HttpRequest, payload: TokenCreate) -> Any:
    who = caller(request)
    who.require_session()
    token, secret = services.create_api_token(
        actor=who.user, provider=who.provider, name=payload.name, role=payload.role
    )
    return Status(201, {**TokenPublic.from_orm(token).model_dump(), "secret": secret})


@router.post("/tokens/{prefix}/revoke", response=TokenPublic, summary="Revoke a token (owners)")
def revoke_token(request: HttpRequest, prefix: str) -> Any:
    who = caller(request)
    who.require_session()
    return services.revoke_api_token(actor=who.user, token=_token(request, prefix))

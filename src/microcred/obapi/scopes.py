"""A DOT scopes backend: a client may request only the scopes it registered."""

from __future__ import annotations

from typing import Any

from microcred.obapi.conf import ALL_SCOPES


def registered_scopes(application: Any) -> list[str]:
    from microcred.obapi.models import RegisteredClient  # apps are not ready when DOT loads this

    if application is None:
        return list(ALL_SCOPES)
    client = RegisteredClient.objects.filter(application=application).first()
    if client is None:  # created by hand (admin): all scopes
        return list(ALL_SCOPES)
    return [scope for scope in client.scope.split() if scope in ALL_SCOPES]


class RegisteredScopes:
    def get_all_scopes(self) -> dict[str, str]:
        return dict(ALL_SCOPES)

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return registered_scopes(application)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return registered_scopes(application)

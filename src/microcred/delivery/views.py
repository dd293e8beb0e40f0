"""Thin views: the claim page and the learner's claimed credentials."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from microcred.delivery import selectors, services


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """GET explains the credential (and how to sign in) or asks to confirm; POST claims."""
    invitation = selectors.invitation_for_token(token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.path)
        try:
            services.claim(user=request.user, token=token)
        except PermissionDenied as refusal:
            view = selectors.claim_view(invitation, request.user)
            context = {"view": view, "next": request.path, "error": str(refusal)}
            return render(request, "delivery/claim.html", context, status=403)
        messages.success(
            request, f"{invitation.credential.definition.name} is now in your account."
        )
        return redirect("delivery:my-credentials")
    view = selectors.claim_view(invitation, request.user)
    return render(request, "delivery/claim.html", {"view": view, "next": request.path})


@login_required
def my_credentials(request: HttpRequest) -> HttpResponse:
    credentials = [
        (credential, selectors.public_url(credential))
        for credential in selectors.credentials_of_user(request.user)
    ]
    return render(request, "delivery/my_credentials.html", {"credentials": credentials})

"""Thin views: export (CLR), backup and restore, account deletion, the platform DID document.
Every page but the DID document is for the signed-in learner's own data only."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from microcred.portability import backups, deletion, forms, identity, restore, selectors, services


def _download(document: dict[str, Any], filename: str, content_type: str) -> HttpResponse:
    body = json.dumps(document, indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    choices = selectors.export_choices(request.user)
    form = forms.ExportForm(
        request.POST if request.method == "POST" else None, keys=[c.key for c in choices]
    )
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                made = services.export_clr(request.user, form.keys)
            except services.ExportError as exc:
                error = str(exc)
            else:
                return _download(made.document, made.filename, "application/vc+ld+json")
        status = 400
    context = {"choices": choices, "form": form, "error": error}
    return render(request, "portability/export.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def backup(request: HttpRequest) -> HttpResponse:
    form = forms.BackupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        document = backups.make_backup(
            request.user, form.cleaned_data["passphrase"], platform=identity.base_url()
        )
        return _download(document, "microcred-backup.json", "application/json")
    status = 400 if request.method == "POST" else 200
    return render(request, "portability/backup.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def restore_backup(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = forms.RestoreForm(request.POST if posted else None, request.FILES if posted else None)
    result, error, status = None, None, 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                result = restore.restore(
                    request.user,
                    form.cleaned_data["file"].read(),
                    form.cleaned_data["passphrase"],
                    replace_holder_key=form.cleaned_data["replace_holder_key"],
                )
                status = 200
            except restore.RestoreError as exc:
                error = exc
    context = {"form": form, "result": result, "error": error}
    return render(request, "portability/restore.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            deletion.delete_account(request.user, form.cleaned_data["password"])
        except deletion.DeletionRefused as exc:
            error = exc
        else:
            logout(request)
            return render(request, "portability/deleted.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "portability/delete.html", {"form": form, "error": error}, status=status)


@require_GET
def platform_did(request: HttpRequest) -> HttpResponse:
    """The platform's did:web document (404 while it signs as a did:key)."""
    document = identity.did_document()
    if document is None:
        raise Http404("This platform has no did:web identity.")
    return JsonResponse(document, content_type="application/did+json")

"""Thin views of the wallet: parse, call one service or selector, render. Every view is for
the signed-in learner's own wallet; another learner's ids are 404s (selectors filter by
owner)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred.core.errors import InputError
from microcred.wallet import forms, holder, selectors, services

METHODS = ("file", "url", "paste")


@login_required
@require_GET
def wallet(request: HttpRequest) -> HttpResponse:
    services.refresh_stale(request.user)
    entries = selectors.wallet_of(request.user)
    context = {
        "entries": entries,
        "holder_did": holder.holder_key(request.user).did_key,
        "form": forms.PresentationForm(keys=[e.key for e in entries]),
    }
    return render(request, "wallet/list.html", context)


def _import_forms(request: HttpRequest) -> dict[str, Any]:
    method = request.POST.get("method") if request.method == "POST" else None
    data, files = (request.POST, request.FILES) if method else (None, None)
    return {
        "file": forms.FileImportForm(
            data if method == "file" else None, files if method == "file" else None, prefix="file"
        ),
        "url": forms.UrlImportForm(data if method == "url" else None, prefix="url"),
        "paste": forms.PasteImportForm(data if method == "paste" else None, prefix="paste"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_credentials(request: HttpRequest) -> HttpResponse:
    import_forms = _import_forms(request)
    method = request.POST.get("method") if request.method == "POST" else None
    results: list[services.ImportResult] = []
    status = 200
    if method in METHODS:
        form = import_forms[method]
        if form.is_valid():
            results = _run_import(request, method, form)
        else:
            status = 400
    elif request.method == "POST":
        status = 400
    context = {"forms": import_forms, "results": results, "method": method}
    return render(request, "wallet/import.html", context, status=status)


def _run_import(request: HttpRequest, method: str, form: Any) -> list[services.ImportResult]:
    keep = form.keep_failing
    if method == "file":
        upload = form.cleaned_data["file"]
        data = upload.read()
        return services.import_bytes(
            request.user, data, source="upload", name=upload.name, keep_failing=keep
        )
    if method == "url":
        return services.import_url(request.user, form.cleaned_data["url"], keep_failing=keep)
    text = form.cleaned_data["text"].encode("utf-8")
    return services.import_bytes(
        request.user, text, source="paste", name="pasted text", keep_failing=keep
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = services.refresh_if_stale(selectors.item_of(request.user, pk))
    entry = selectors.entry_of(request.user, item)
    return render(request, "wallet/detail.html", {"entry": entry})


@login_required
@require_GET
def claimed(request: HttpRequest, credential_uuid: uuid.UUID) -> HttpResponse:
    entry = selectors.claimed_entry(request.user, credential_uuid)
    return render(request, "wallet/detail.html", {"entry": entry})


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    title = services.remove(request.user, pk)
    messages.success(request, f"{title} was removed from your wallet.")
    return redirect("wallet:list")


@login_required
@require_POST
def presentation(request: HttpRequest) -> HttpResponse:
    keys = request.POST.getlist("credential")
    form = forms.PresentationForm(request.POST, keys=keys)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("wallet:list")
    try:
        document = holder.presentation(
            request.user,
            form.cleaned_data["credential"],
            challenge=form.cleaned_data["challenge"],
            domain=form.cleaned_data["domain"],
        )
    except InputError as exc:
        messages.error(request, f"No presentation was made: {exc}")
        return redirect("wallet:list")
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/vp+ld+json"
    )
    response["Content-Disposition"] = 'attachment; filename="presentation.json"'
    return response

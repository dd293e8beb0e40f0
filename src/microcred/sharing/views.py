"""Thin views of sharing: parse, call one service or selector, render. Management pages are
for the signed-in learner's own things (another learner's link ids are 404s); the public
pages show only what a link names or what the learner made public."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from microcred.core.errors import InputError
from microcred.sharing import badges, forms, selectors, services

HTML = "text/html"
JSON_TYPES = ("application/ld+json", "application/json")
PROBLEM = "application/problem+json"
GONE = "This share link is no longer valid."


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + "."


def _keys(request: HttpRequest) -> list[str]:
    return [entry.key for entry in selectors.wallet_of(request.user)]


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "entries": selectors.wallet_of(request.user),
        "public": selectors.public_keys(request.user),
        "links": selectors.links_of(request.user),
        "profile": selectors.profile_of(request.user),
        "outreach": selectors.outreach_of(request.user),
    }
    return render(request, "sharing/dashboard.html", context)


@login_required
@require_POST
def visibility(request: HttpRequest) -> HttpResponse:
    form = forms.VisibilityForm(request.POST, keys=_keys(request))
    if not form.is_valid():
        raise Http404("No such credential in your wallet.")
    count = services.set_public(request.user, set(form.cleaned_data["public"]))
    messages.success(request, f"Saved: {count} credential(s) public, the others private.")
    return redirect("sharing:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def profile_settings(request: HttpRequest) -> HttpResponse:
    profile = selectors.profile_of(request.user)
    initial = {
        "is_public": profile.is_public,
        "handle": profile.handle or "",
        "display_name": profile.display_name,
        "bio": profile.bio,
    }
    form = forms.ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_profile(request.user, **form.cleaned_data)
        except InputError as exc:
            form.add_error(exc.where, _sentence(exc.message))
        else:
            messages.success(request, "Your profile settings are saved.")
            return redirect("sharing:dashboard")
    status = 400 if form.errors else 200
    return render(request, "sharing/profile_settings.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    entries = selectors.wallet_of(request.user)
    keys = [entry.key for entry in entries]
    if set(request.POST.getlist("credential")) - set(keys):
        raise Http404("No such credential in your wallet.")  # as the wallet answers
    form = forms.ShareForm(request.POST if request.method == "POST" else None, keys=keys)
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.create_link(
                request.user,
                form.cleaned_data["credential"],
                label=form.cleaned_data["label"],
                expires_at=form.expires_at,
            )
        except InputError as exc:
            form.add_error(None, _sentence(exc.message))
        else:
            return _created(request, link, token)
    context = {"form": form, "entries": entries, "chosen": form["credential"].value() or []}
    return render(request, "sharing/new_link.html", context, status=400 if form.errors else 200)


def _created(request: HttpRequest, link: Any, token: str) -> HttpResponse:
    """Shown once: the token is not stored, so this page is the only place with the URL."""
    url = selectors.share_url(token)
    entries = selectors.shared_entries(link)
    context = {"link": link, "url": url, "entries": entries, "linkedin": _linkedin(entries, url)}
    response = render(request, "sharing/created.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _linkedin(entries: list[Any], url: str) -> list[tuple[Any, str]]:
    from microcred.core.model.facts import linkedin_url

    return [(entry, linkedin_url(entry.facts, url)) for entry in entries]


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = services.revoke_link(request.user, pk)
    messages.success(request, f"The link {link.label or ''} is revoked: it shows nothing now.")
    return redirect("sharing:dashboard")


# --------------------------------------------------------------------------- public pages


def _wants_json(request: HttpRequest) -> bool:
    """JSON for ``?format=json`` or a client that prefers it; HTML otherwise (browsers)."""
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type([HTML, *JSON_TYPES]) in JSON_TYPES


def _private(response: HttpResponse) -> HttpResponse:
    """A share link's answers: never cached (a revocation must take effect at once), never
    indexed, and the token in the URL is not sent on to sites the page links to."""
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    patch_vary_headers(response, ["Accept"])
    return response


def _problem(status: int, detail: str) -> HttpResponse:
    title = {404: "Not Found", 410: "Gone", 422: "Unprocessable Content"}[status]
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM)


@require_safe
def shared(request: HttpRequest, token: str) -> HttpResponse:
    wants_json = _wants_json(request)
    try:
        view = services.open_link(token)
    except (selectors.LinkGone, Http404) as exc:
        status = 410 if isinstance(exc, selectors.LinkGone) else 404
        if wants_json:
            return _private(_problem(status, GONE))
        return _private(render(request, "sharing/gone.html", {"status": status}, status=status))
    if not wants_json:
        return _private(render(request, "sharing/shared.html", {"shared": view}))
    try:
        document = services.presentation(view.link)
    except InputError as exc:
        return _private(_problem(422, exc.message))
    media = request.get_preferred_type(list(JSON_TYPES)) or JSON_TYPES[1]
    body = json.dumps(document, indent=2, ensure_ascii=False)
    return _private(HttpResponse(body, content_type=media))


@require_safe
def profile(request: HttpRequest, handle: str) -> HttpResponse:
    found = selectors.public_profile(handle)
    return render(request, "sharing/profile.html", {"found": found})


@require_safe
def public_credential(request: HttpRequest, handle: str, key: str) -> HttpResponse:
    found, entry = selectors.public_entry(handle, key)
    context = {"found": found, "entry": entry, "badge_url": selectors.badge_url(found.profile, key)}
    return render(request, "sharing/public_credential.html", context)


@require_safe
def badge(request: HttpRequest, handle: str, key: str) -> HttpResponse:
    _found, entry = selectors.public_entry(handle, key)
    facts = entry.facts
    body = badges.badge_svg(
        facts.name or "Credential", facts.issuer_name, entry.verdict, entry.verdict_label
    )
    response = HttpResponse(body, content_type="image/svg+xml")
    # Embedded on other sites: cached briefly, so a revocation or a "private" shows soon.
    response["Cache-Control"] = "public, max-age=600"
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response

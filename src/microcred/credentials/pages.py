"""The provider's credential pages: define, issue one, issue a CSV, revoke / suspend.

Thin views: parse a Django form, call one service or selector, render. Permission
decisions are the services' (``PermissionDenied`` becomes a 403); a provider the user is
no staff of is a 404 (see ``providers.pages.staff_provider``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from microcred.bulk import selectors as bulk_selectors
from microcred.bulk import services as bulk_services
from microcred.bulk.models import BulkJob
from microcred.credentials import selectors, services
from microcred.credentials.forms import (
    ALIASES,
    BulkUploadForm,
    DefinitionForm,
    IssueForm,
    StateChangeForm,
    definition_initial,
)
from microcred.credentials.models import IssuedCredential
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.providers.forms import add_service_errors
from microcred.providers.models import Provider
from microcred.providers.pages import EDITORS, staff_provider
from microcred.providers.services import require_role
from microcred.skills import suggesting

GET_POST = ["GET", "HEAD", "POST"]
STATE_ACTIONS = {"revoke": services.revoke, "suspend": services.suspend}
STATE_ACTIONS |= {"unsuspend": services.unsuspend}
DONE_MESSAGES = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "active again"}
BULK_REFRESH_SECONDS = 2  # how often a queued or running bulk job's page reloads itself


def _editor(request: HttpRequest, slug: str) -> Provider:
    """The provider, for a page that writes: 404 for strangers, 403 for viewers."""
    provider, _ = staff_provider(request, slug)
    require_role(request.user, provider, EDITORS)
    return provider


def _definition(request: HttpRequest, slug: str, definition_slug: str) -> Definition:
    return selectors.latest_definition(_editor(request, slug), definition_slug)


def _form_page(
    request: HttpRequest, form: DefinitionForm, definition: Definition | None, provider: Any
) -> HttpResponse:
    context = {"form": form, "definition": definition, "provider": provider}
    # "Suggest skills" (or a failed save with suggestions ticked) shows them again.
    if "suggest" in request.POST or "add_skill" in request.POST:
        found = suggesting.outcome_suggestions(request.POST.get("learning_outcomes", ""))
        schemes = {s.scheme for _, rows in found for s in rows}
        chosen = set(request.POST.getlist("add_skill"))
        context |= {"suggestions": found, "chosen": chosen, "schemes": schemes}
    return render(request, "credentials/provider_definition_form.html", context)


def _suggesting(request: HttpRequest, editing: bool) -> DefinitionForm | None:
    """The form as typed, unvalidated, when the provider asked for skill suggestions."""
    if request.method != "POST" or "suggest" not in request.POST:
        return None
    return DefinitionForm(initial=request.POST.dict(), editing=editing)


def _values(request: HttpRequest, form: DefinitionForm) -> dict[str, Any]:
    """The service's arguments, with the suggested skills the provider ticked aligned."""
    values = form.service_values()
    chosen = request.POST.getlist("add_skill")
    values["alignments"] = suggesting.with_skills(values["alignments"], chosen)
    return values


@login_required
@require_http_methods(GET_POST)
def definition_new(request: HttpRequest, slug: str) -> HttpResponse:
    provider = _editor(request, slug)
    if suggest_form := _suggesting(request, editing=False):
        return _form_page(request, suggest_form, None, provider)
    form = DefinitionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.create_definition(
                actor=request.user,
                provider=provider,
                slug=form.cleaned_data["slug"],
                **_values(request, form),
            )
        except ValidationError as error:
            add_service_errors(form, error, ALIASES)
        else:
            messages.success(request, f"{definition.name} was saved as a draft.")
            return redirect("credentials:definition-edit", slug, definition.slug)
    return _form_page(request, form, None, provider)


@login_required
@require_http_methods(GET_POST)
def definition_edit(request: HttpRequest, slug: str, definition_slug: str) -> HttpResponse:
    definition = _definition(request, slug, definition_slug)
    if suggest_form := _suggesting(request, editing=True):
        return _form_page(request, suggest_form, definition, definition.provider)
    initial = definition_initial(definition)
    form = DefinitionForm(
        request.POST or None, request.FILES or None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.update_definition(
                actor=request.user, definition=definition, **_values(request, form)
            )
        except ValidationError as error:
            add_service_errors(form, error, ALIASES)
        else:
            messages.success(request, f"Saved as version {saved.version} ({saved.status}).")
            return redirect("credentials:definition-edit", slug, saved.slug)
    return _form_page(request, form, definition, definition.provider)


def _status_change(
    request: HttpRequest, slug: str, definition_slug: str, action: str
) -> HttpResponse:
    definition = _definition(request, slug, definition_slug)
    change = services.publish if action == "publish" else services.archive
    try:
        changed = change(actor=request.user, definition=definition)
    except ValidationError as error:
        # Publishing checks the EU elements: show what is missing on the form.
        values = definition_initial(definition).items()
        data = {name: value for name, value in values if value not in (None, False, "")}
        form = DefinitionForm(data, editing=True)
        form.is_valid()
        add_service_errors(form, error, ALIASES)
        return _form_page(request, form, definition, definition.provider)
    messages.success(request, f"{changed.name} v{changed.version} is now {changed.status}.")
    return redirect("credentials:definition-edit", slug, definition_slug)


@login_required
@require_POST
def definition_publish(request: HttpRequest, slug: str, definition_slug: str) -> HttpResponse:
    return _status_change(request, slug, definition_slug, "publish")


@login_required
@require_POST
def definition_archive(request: HttpRequest, slug: str, definition_slug: str) -> HttpResponse:
    return _status_change(request, slug, definition_slug, "archive")


@login_required
@require_http_methods(GET_POST)
def issue(request: HttpRequest, slug: str, definition_slug: str) -> HttpResponse:
    """Issue to one learner, then show the credential's public page."""
    definition = _definition(request, slug, definition_slug)
    form = IssueForm(request.POST or None, initial={"idempotency_key": f"web:{uuid.uuid4()}"})
    if request.method == "POST" and form.is_valid():
        try:
            credential = services.issue_credential(
                actor=request.user, definition=definition, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error, {"result": "grade"})
        else:
            messages.success(request, "The credential was issued.")
            return redirect("credentials:credential", credential.credential_id.rsplit(":", 1)[1])
    context = {"form": form, "definition": definition, "provider": definition.provider}
    return render(request, "credentials/provider_issue.html", context)


@login_required
@require_http_methods(GET_POST)
def bulk_upload(request: HttpRequest, slug: str, definition_slug: str) -> HttpResponse:
    """Upload = dry run: the file is checked and stored as a job that is not started yet;
    a file with any error stores nothing and lists the errors (with a CSV report)."""
    definition = _definition(request, slug, definition_slug)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"definition": definition, "provider": definition.provider}
    if request.method == "POST" and form.is_valid():
        try:
            job = bulk_services.create_job(
                actor=request.user,
                definition=definition,
                csv_bytes=form.cleaned_data["csv"],
                filename=form.filename,
            )
        except bulk_services.FileHasErrors as error:
            context["report"] = error.report
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("credentials:bulk-job", slug, job.pk)
    context["form"] = form
    return render(request, "credentials/provider_bulk_upload.html", context)


def _job(request: HttpRequest, slug: str, job_id: int) -> BulkJob:
    try:
        job = bulk_selectors.job_for(request.user, job_id)
    except (ValidationError, PermissionDenied):
        raise Http404("no such bulk job") from None
    if job.provider.slug != slug:
        raise Http404("no such bulk job")
    return job


@login_required
@require_safe
def bulk_job(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    """A job: "ready" with a confirm button, then its progress (refreshing until done)."""
    job = _job(request, slug, job_id)
    done = job.total - job.pending
    ready = job.state == job.State.VALIDATED
    context = {
        "job": job,
        "provider": job.provider,
        "done": done,
        "percent": 100 * done // job.total if job.total else 100,  # 100% only when all done
        "refreshing": job.state in (job.State.QUEUED, job.State.RUNNING),
        "refresh_seconds": BULK_REFRESH_SECONDS,
        "already_issued": bulk_selectors.already_issued(job) if ready else 0,
        "failed_rows": list(bulk_selectors.failed_rows(job)[:100]),
    }
    return render(request, "credentials/provider_bulk_job.html", context)


@login_required
@require_POST
def bulk_start(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    job = _job(request, slug, job_id)
    # Queuing again is safe in any state but done: a run issues only pending rows and the
    # idempotency keys keep a second runner from issuing a row twice. That is how a job
    # whose worker died (stuck "queued"/"running") or that stopped is resumed.
    if job.state != job.State.DONE:
        bulk_services.start_job(actor=request.user, job=job)
    return redirect("credentials:bulk-job", slug, job.pk)


@login_required
@require_safe
def credential_list(request: HttpRequest, slug: str) -> HttpResponse:
    provider, role = staff_provider(request, slug)
    state = request.GET.get("state", "")
    credentials = selectors.credentials_of(provider)
    if state in IssuedCredential.State.values:
        credentials = credentials.filter(state=state)
    context = {
        "provider": provider,
        "can_change": role in EDITORS,
        "credentials": credentials[:200],
        "state": state,
        "states": IssuedCredential.State.choices,
    }
    return render(request, "credentials/provider_credentials.html", context)


@login_required
@require_POST
def change_state(request: HttpRequest, slug: str, credential_uuid: uuid.UUID, action: str) -> Any:
    """Revoke, suspend or unsuspend one credential of this provider (POST, with a reason)."""
    provider, _ = staff_provider(request, slug)
    credential = selectors.credential_by_uuid(credential_uuid)
    if credential.provider_id != provider.pk or action not in STATE_ACTIONS:
        raise Http404("no such credential")
    form = StateChangeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        STATE_ACTIONS[action](actor=request.user, credential=credential, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        who = credential.recipient_email or credential.recipient_did
        messages.success(request, f"The credential of {who} is {DONE_MESSAGES[action]}.")
    return redirect("credentials:provider-credentials", slug)

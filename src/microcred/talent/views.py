"""Thin views: the employer's pages (employers, roles, candidates) and the learner's consent.

A page of an employer the user is no member of is a 404, so that nobody learns which
employers or roles exist. Permission decisions are the services' (``employers``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from microcred.providers.forms import add_service_errors
from microcred.skills.models import Occupation, Skill
from microcred.talent import employers, selectors, services
from microcred.talent.forms import (
    ConsentForm,
    EmployerForm,
    MemberForm,
    OccupationRoleForm,
    RoleForm,
    SkillForm,
    StatusForm,
)
from microcred.talent.models import Employer, Role

GET_POST = ["GET", "HEAD", "POST"]


def _employer(request: HttpRequest, slug: str) -> tuple[Employer, str]:
    found = selectors.membership(request.user, slug)
    if found is None:
        raise Http404("no such employer")
    return found


def _role(request: HttpRequest, slug: str, pk: int) -> tuple[Employer, str, Role]:
    employer, member_role = _employer(request, slug)
    role = selectors.role_of(employer, pk)
    if role is None:
        raise Http404("no such role")
    return employer, member_role, role


def _run(request: HttpRequest, form: forms.Form, action: Any) -> Any:
    """Call ``action(cleaned_data)`` if the form is valid; service errors go on the form."""
    if not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:
        form.add_error(None, str(error))
    return None


@login_required
@require_http_methods(GET_POST)
def employer_list(request: HttpRequest) -> HttpResponse:
    form = EmployerForm(request.POST or None)
    if request.method == "POST":
        employer = _run(request, form, lambda d: employers.create_employer(actor=request.user, **d))
        if employer is not None:
            messages.success(request, f"{employer.name} was created; you are its owner.")
            return redirect("talent:employer", slug=employer.slug)
    context = {"employers": selectors.employers_of(request.user), "form": form}
    return render(request, "talent/employer_list.html", context, status=400 if form.errors else 200)


def _dashboard_post(
    request: HttpRequest, employer: Employer
) -> tuple[HttpResponse | None, dict[str, Any]]:
    action, user = request.POST.get("action"), request.user
    if action == "member":
        form: forms.Form = MemberForm(request.POST)
        done = _run(
            request, form, lambda d: employers.add_member(actor=user, employer=employer, **d)
        )
        return (redirect("talent:employer", slug=employer.slug) if done else None), {
            "member_form": form
        }
    if action == "occupation":
        form = OccupationRoleForm(request.POST)

        def make(d: dict[str, Any]) -> Role:
            occupation = Occupation.objects.filter(uri=d["occupation"]).first()
            if occupation is None:
                raise ValidationError({"occupation": ["no occupation has this URI"]})
            return employers.create_role_from_occupation(
                actor=user, employer=employer, occupation=occupation, title=d["title"]
            )

        role = _run(request, form, make)
        return (_to_role(role) if role else None), {"occupation_form": form}
    form = RoleForm(request.POST)
    role = _run(request, form, lambda d: employers.create_role(actor=user, employer=employer, **d))
    return (_to_role(role) if role else None), {"role_form": form}


def _to_role(role: Role) -> HttpResponse:
    return redirect("talent:role", slug=role.employer.slug, pk=role.pk)


@login_required
@require_http_methods(GET_POST)
def employer_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    employer, member_role = _employer(request, slug)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        response, bound = _dashboard_post(request, employer)
        if response is not None:
            return response
    query = request.GET.get("q", "")
    occupations = selectors.search_occupations(query)
    context = {
        "employer": employer,
        "member_role": member_role,
        "roles": selectors.roles_of(employer),
        "members": selectors.members_of(employer),
        "query": query,
        "occupations": occupations,
        "schemes": {occupation.scheme for occupation in occupations},
        "member_form": MemberForm(),
        "role_form": RoleForm(),
        "occupation_form": None,
    } | bound
    status = 400 if any(f is not None and f.errors for f in bound.values()) else 200
    return render(request, "talent/employer.html", context, status=status)


def _role_post(request: HttpRequest, role: Role) -> tuple[bool, forms.Form | None]:
    action, user = request.POST.get("action"), request.user
    if action == "remove":
        employers.remove_role_skill(actor=user, role=role, uri=request.POST.get("uri", ""))
        return True, None
    if action == "status":
        form: forms.Form = StatusForm(request.POST)
        done = _run(request, form, lambda d: employers.set_role_status(actor=user, role=role, **d))
        return done is not None, form
    form = SkillForm(request.POST)
    done = _run(
        request,
        form,
        lambda d: employers.set_role_skill(actor=user, role=role, spec=employers.SkillSpec(**d)),
    )
    return done is not None, form


@login_required
@require_http_methods(GET_POST)
def role_editor(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    employer, member_role, role = _role(request, slug, pk)
    form: forms.Form | None = None
    if request.method == "POST":
        done, form = _role_post(request, role)
        if done:
            messages.success(request, "The role is saved.")
            return redirect("talent:role", slug=slug, pk=pk)
    skill_query = request.GET.get("skill", "").strip()
    found = list(Skill.objects.filter(label__icontains=skill_query)[:20]) if skill_query else []
    rows = list(role.skills.select_related("skill").order_by("position", "id"))
    schemes = {row.skill.scheme for row in rows} | {s.scheme for s in found}
    context = {
        "employer": employer,
        "member_role": member_role,
        "role": role,
        "rows": rows,
        "schemes": schemes | ({role.occupation.scheme} if role.occupation else set()),
        "form": form if isinstance(form, SkillForm) else SkillForm(),
        "errors": form.errors if form is not None else None,
        "skill_query": skill_query,
        "found": found,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "talent/role.html", context, status=status)


@login_required
@require_safe
def role_candidates(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    employer, _, role = _role(request, slug, pk)
    musts = set(role.skills.filter(must_have=True).values_list("skill__uri", flat=True))
    context = {
        "employer": employer,
        "role": role,
        "candidates": selectors.candidates(role),
        "musts": musts,
    }
    return render(request, "talent/candidates.html", context)


@login_required
@require_http_methods(GET_POST)
def my_matching(request: HttpRequest) -> HttpResponse:
    """The learner's choice to be found by employers."""
    consent = services.consent_of(request.user)
    initial = (
        {"scope": consent.scope, "display_name": consent.display_name}
        | {"show_contact": consent.show_contact}
        if consent
        else {}
    )
    form = ConsentForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "out":
            services.opt_out(request.user)
            messages.success(request, "Employers can no longer find you.")
            return redirect("talent:matching")
        if _run(request, form, lambda d: services.opt_in(request.user, **d)):
            messages.success(request, "Employers with matching roles can now find you.")
            return redirect("talent:matching")
    context = {"consent": consent, "form": form}
    return render(request, "talent/matching.html", context, status=400 if form.errors else 200)

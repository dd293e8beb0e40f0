"""The learner's "my goal" page: choose a target (an occupation or a published pathway)
and hours or price, see the gap and the costed plan. Thin: the services decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from microcred.talent import goals
from microcred.talent.goal_pages import goal_page


def _act(request: HttpRequest) -> str:
    """Apply the posted action; the message to show."""
    action, data, user = request.POST.get("action", ""), request.POST, request.user
    if action == "occupation":
        goal = goals.set_goal(learner=user, occupation=data.get("occupation") or None)
        return f"Your goal is now: {goal.occupation}."
    if action == "pathway":
        goals.set_goal(learner=user, pathway=data.get("pathway") or None)
        return "Your goal is now the pathway you chose."
    if action == "cost":
        goal = goals.set_cost_by(learner=user, cost_by=data.get("cost_by", ""))
        return f"The plan now looks for the {goal.get_cost_by_display().lower()}."
    if action == "clear":
        goals.clear_goal(learner=user)
        return "Your goal is cleared."
    raise ValidationError({"action": f"unknown action {action!r}"})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_goal(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        try:
            messages.success(request, _act(request))
            return redirect("goals:mine")
        except ValidationError as error:
            for field, texts in error.message_dict.items():
                messages.error(request, f"{field}: {' '.join(texts)}")
            status = 400
    page = goal_page(request.user, query=request.GET.get("q", "")[:100])
    return render(request, "talent/goal.html", {"page": page}, status=status)

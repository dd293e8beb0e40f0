"""The verification portal: ``/verify``, for anyone, no account. Nothing is stored.

The size of a request is checked from its Content-Length before Django reads the form
(Django has no total limit for uploaded files and would spool them to disk first); only
then does Django's CSRF check run (``csrf_protect``), so CSRF stays on for the form.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from microcred.platform.ratelimit import client_ip
from microcred.verification import verifying
from microcred.verification.conf import limits, size_text
from microcred.verification.intake import IntakeError, file_items, pasted_items, url_items
from microcred.verification.reports import Verdict

TEMPLATE = "verification/verify.html"


def _form(
    request: HttpRequest, errors: list[str] | None = None, status: int = 200, *, keep: bool = False
) -> HttpResponse:
    """The form; ``keep``: fill in the text the user sent (never read for a refused body)."""
    settings = limits()
    context = {
        "errors": errors or [],
        "max_items": settings.max_page_items,
        "max_size": size_text(settings.max_bytes),
        "pasted": request.POST.get("pasted", "") if keep else "",
        "urls": request.POST.get("urls", "") if keep else "",
    }
    return render(request, TEMPLATE, context, status=status)


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _unreadable(request: HttpRequest) -> HttpResponse | None:
    """A refusal when the request is too big to read; None when it may be read."""
    settings = limits()
    size = _content_length(request)
    if size > settings.max_bytes:
        message = (
            f"The upload is {size_text(size)}: at most {size_text(settings.max_bytes)} in total."
        )
        return _form(request, [message], 413)
    try:
        request.POST, request.FILES  # noqa: B018 (read now, to catch Django's own limits)
    except TooManyFilesSent:
        return _form(request, [f"Too many files: at most {settings.max_page_items}."], 413)
    except (RequestDataTooBig, TooManyFieldsSent):
        message = "The pasted text is too long: upload it as a file instead."
        return _form(request, [message], 413)
    return None


@csrf_protect
def _post(request: HttpRequest) -> HttpResponse:
    settings = limits()
    try:
        files = [(f.name or "upload", f.read()) for f in request.FILES.getlist("files")]
        items = [
            *file_items(files),
            *pasted_items(request.POST.get("pasted", "")),
            *url_items(request.POST.get("urls", "")),
        ]
        results = verifying.check(
            items,
            address=client_ip(request),
            max_items=settings.max_page_items,
            where="one page (use the API for larger batches)",
        )
    except IntakeError as exc:
        messages = [m[:1].upper() + m[1:] for m in exc.messages]
        return _form(request, messages, exc.status, keep=True)
    except verifying.Throttled as exc:
        response = _form(request, [f"{str(exc).capitalize()}."], 429, keep=True)
        response["Retry-After"] = str(exc.retry_after)
        return response
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    context = {"results": results, "counts": [(v, n) for v, n in counts.items() if n]}
    return render(request, "verification/results.html", context)


@csrf_exempt  # only until the size is known: _post is csrf_protect-ed (module docstring)
def verify(request: HttpRequest) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        return _form(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return _unreadable(request) or _post(request)

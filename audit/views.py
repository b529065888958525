"""The audit log on kelola (national admins): audit/ (filtered, newest first) and its CSV.

Anyone else gets the 404 that every staff screen gives for what it does not cover.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit import selectors
from audit.forms import AuditFilterForm

# The query parameters a page link keeps (the filters); the cursor is added by the link itself.
FILTERS = tuple(AuditFilterForm.base_fields)


def _require_reader(request: HttpRequest) -> None:
    if not selectors.can_read(request.user):
        raise Http404


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = AuditFilterForm(request.GET)
    page = None
    if form.is_valid():
        page = selectors.events_page(selectors.events_from_form(form.cleaned_data), request.GET)
    query = request.GET.copy()
    for key in list(query):
        if key not in FILTERS or not query[key]:
            del query[key]
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "filtered": bool(query),
            "page_size": selectors.PAGE_SIZE,
        },
    )


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    response = StreamingHttpResponse(
        selectors.events_csv(selectors.events_from_form(form.cleaned_data)),
        content_type="text/csv; charset=utf-8",
    )
    name = f"log-audit-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response

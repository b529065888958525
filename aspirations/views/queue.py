"""The aspirations queues on kelola: staff (aspirasi/) and a KIM's (kim/<slug>/aspirasi/).

Each page resolves its aspirasi through an access helper (aspirations.selectors) that answers
404 for a missing aspirasi and for one the user does not work alike. The detail page is the only
place that shows the sender's contact. Actions are taken by the services, once each.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aspirations import permissions as asp_permissions
from aspirations import selectors, services
from aspirations.forms import ACTION_FORMS, QueueFilterForm
from aspirations.models import Aspirasi
from communities.models import Community
from kimportal.lib.private_files import private_file_response
from kimportal.lib.storage import private_storage

PAGE_SIZE = 25


def _require_staff(request: HttpRequest) -> None:
    if not asp_permissions.can(request.user, asp_permissions.WORK_STAFF_QUEUE):
        raise Http404


def _filters(request: HttpRequest) -> tuple[QueueFilterForm, dict]:
    form = QueueFilterForm(request.GET or None)
    filters = {"status": "terbuka", "topic": "", "overdue": False}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "topic": form.cleaned_data["topic"],
            "overdue": form.cleaned_data["overdue"],
        }
    return form, filters


def _render_queue(request, items, form, *, community: Community | None) -> HttpResponse:
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "aspirations/queue/list.html",
        {
            "page": page,
            "form": form,
            "community": community,
            "overdue_cutoff": selectors.overdue_cutoff(),
        },
    )


@login_required
@require_GET
def staff_queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form, filters = _filters(request)
    items = selectors.staff_queue(user=request.user, **filters)
    return _render_queue(request, items, form, community=None)


@login_required
@require_GET
def kim_queue(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.kim_for_queue(user=request.user, slug=slug)
    form, filters = _filters(request)
    items = selectors.kim_queue(community=community, **filters)
    return _render_queue(request, items, form, community=community)


# --- Detail and actions --------------------------------------------------------------------------


def _offered(aspirasi: Aspirasi) -> list[str]:
    if aspirasi.is_spam:
        return []
    if aspirasi.status in services.WORKABLE:
        return ["forward", "answer", "close", "merge", "spam"]
    if aspirasi.status == Aspirasi.Status.ANSWERED:
        return ["answer", "close", "merge", "spam"]
    return []


def _render_detail(
    request, aspirasi: Aspirasi, *, community: Community | None, bound=None, status: int = 200
) -> HttpResponse:
    forms = {
        name: (bound[1] if bound and bound[0] == name else ACTION_FORMS[name](auto_id=f"{name}_%s"))
        for name in _offered(aspirasi)
    }
    if "answer" in forms and not forms["answer"].is_bound and aspirasi.answer:
        forms["answer"].initial = {"answer": aspirasi.answer}
    return render(
        request,
        "aspirations/queue/detail.html",
        {
            "aspirasi": aspirasi,
            "community": community,
            "events": selectors.history(aspirasi),
            "forms": forms,
            "overdue": aspirasi.is_open and aspirasi.acted_at < selectors.overdue_cutoff(),
        },
        status=status,
    )


@login_required
@require_GET
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    aspirasi = selectors.get_for_staff(user=request.user, pk=pk)
    return _render_detail(request, aspirasi, community=None)


@login_required
@require_GET
def kim_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.kim_for_queue(user=request.user, slug=slug)
    aspirasi = selectors.get_for_kim(user=request.user, community=community, pk=pk)
    return _render_detail(request, aspirasi, community=community)


def _act(request: HttpRequest, aspirasi: Aspirasi, *, community: Community | None):
    action = request.POST.get("action", "")
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, auto_id=f"{action}_%s")
    if action not in _offered(aspirasi):
        messages.error(request, _("Tindakan itu tidak tersedia untuk aspirasi ini sekarang."))
        return _back(aspirasi, community)
    if form.is_valid():
        data, actor = form.cleaned_data, request.user
        try:
            if action == "forward":
                services.aspirasi_forward(
                    aspirasi=aspirasi, actor=actor, office=data["office"], note=data["note"]
                )
            elif action == "answer":
                services.aspirasi_answer(aspirasi=aspirasi, actor=actor, answer=data["answer"])
            elif action == "close":
                services.aspirasi_close(aspirasi=aspirasi, actor=actor, reason=data["reason"])
            elif action == "merge":
                target = selectors.merge_target(user=actor, aspirasi=aspirasi, number=data["into"])
                if target is None:
                    raise ValidationError(
                        _("Aspirasi nomor itu tidak ada di wilayah yang sama."), code="scope"
                    )
                services.aspirasi_merge(
                    aspirasi=aspirasi, actor=actor, into=target, note=data["note"]
                )
            elif action == "spam":
                services.aspirasi_mark_spam(aspirasi=aspirasi, actor=actor, note=data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Tersimpan."))
            return _back(aspirasi, community)
    return _render_detail(request, aspirasi, community=community, bound=(action, form))


def _back(aspirasi: Aspirasi, community: Community | None):
    if community is not None:
        return redirect("aspirasi:kim_detail", community.slug, aspirasi.pk)
    return redirect("aspirasi:staff_detail", aspirasi.pk)


@login_required
@require_POST
def staff_act(request: HttpRequest, pk: int) -> HttpResponse:
    aspirasi = selectors.get_for_staff(user=request.user, pk=pk)
    return _act(request, aspirasi, community=None)


@login_required
@require_POST
def kim_act(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.kim_for_queue(user=request.user, slug=slug)
    aspirasi = selectors.get_for_kim(user=request.user, community=community, pk=pk)
    return _act(request, aspirasi, community=community)


# --- The photo (the stripped copy; the original is never served) -------------------------------


@login_required
@require_GET
def staff_photo(request: HttpRequest, pk: int) -> HttpResponse:
    aspirasi = selectors.get_for_staff(user=request.user, pk=pk)
    return private_file_response(private_storage(), aspirasi.photo_clean)


@login_required
@require_GET
def kim_photo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.kim_for_queue(user=request.user, slug=slug)
    aspirasi = selectors.get_for_kim(user=request.user, community=community, pk=pk)
    return private_file_response(private_storage(), aspirasi.photo_clean)

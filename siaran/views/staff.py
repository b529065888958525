"""Siaran on kelola for Diskominfo staff: list, write, publish, withdraw, report, remind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from siaran import permissions, selectors, services
from siaran.forms import SiaranForm

PAGE_SIZE = 20
REPORT_PAGE_SIZE = 50


def _require_staff(request: HttpRequest) -> None:
    if not permissions.is_writer(request.user):
        raise Http404


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def siaran_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = Paginator(selectors.siaran_for_staff(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "siaran/staff/list.html", {"page": page})


def _save(request: HttpRequest, form: SiaranForm, siaran=None):
    data = form.siaran_data()
    attachment = form.cleaned_data.get("attachment")
    try:
        with transaction.atomic():
            if siaran is None:
                siaran = services.siaran_create(
                    actor=request.user, data=data, attachment=attachment
                )
            else:
                siaran = services.siaran_update(
                    siaran=siaran, actor=request.user, data=data, attachment=attachment
                )
            for upload in form.cleaned_data["photos"]:
                services.siaran_image_add(siaran=siaran, actor=request.user, file=upload)
    except PermissionError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    return siaran


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = SiaranForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        siaran = _save(request, form)
        if siaran is not None:
            messages.success(request, _("Siaran disimpan sebagai draf. Periksa lalu terbitkan."))
            return redirect("siaran:report", siaran.pk)
    return render(request, "siaran/staff/form.html", {"form": form, "siaran": None})


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    siaran = selectors.siaran_get_for_staff(user=request.user, pk=pk)
    if not permissions.can(request.user, permissions.EDIT, siaran):
        raise Http404
    form = SiaranForm(request.POST or None, request.FILES or None, user=request.user, siaran=siaran)
    if request.method == "POST" and form.is_valid() and _save(request, form, siaran) is not None:
        messages.success(request, _("Siaran disimpan."))
        return redirect("siaran:report", siaran.pk)
    return render(request, "siaran/staff/form.html", {"form": form, "siaran": siaran})


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    siaran = selectors.siaran_get_for_staff(user=request.user, pk=pk)
    data = selectors.siaran_report(siaran=siaran, user=request.user)
    page = Paginator(data.communities, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "siaran/staff/report.html",
        {
            "siaran": siaran,
            "report": data,
            "page": page,
            "may_edit": permissions.can(request.user, permissions.EDIT, siaran),
            "images": list(siaran.images.all()),
        },
    )


def _action(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    siaran = selectors.siaran_get_for_staff(user=request.user, pk=pk)
    try:
        service(siaran=siaran, actor=request.user)
    except PermissionError as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("siaran:report", siaran.pk)
    messages.success(request, done)
    return redirect("siaran:report", siaran.pk)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.siaran_publish, _("Siaran terbit."))


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.siaran_withdraw, _("Siaran ditarik."))


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        services.siaran_remind,
        _("Pengingat sedang dikirim ke admin KIM yang belum meneruskan."),
    )

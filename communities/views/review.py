"""Verification of KIMs by Diskominfo staff (regency, province and national admins).

Every page resolves its KIM through `selectors.community_get_for_review`, which answers 404 for a
KIM outside the user's scope exactly as for a missing one.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import permissions, selectors, services
from communities.forms.review import (
    ChangeSlugForm,
    ReasonForm,
    ReviewFilterForm,
    TrustedForm,
    VerifyForm,
)
from communities.models import Community
from communities.validation import decree_is_old, sk_max_age_years
from kimportal.lib.private_files import private_file_response
from regions import selectors as region_selectors

PAGE_SIZE = 25

# The actions a reviewer may take, and the statuses for which each is offered.
S = Community.Status
ACTIONS: dict[str, tuple[type, tuple[str, ...]]] = {
    "verify": (VerifyForm, (S.PENDING,)),
    "reject": (ReasonForm, (S.PENDING,)),
    "suspend": (ReasonForm, (S.VERIFIED,)),
    "reinstate": (ReasonForm, (S.SUSPENDED,)),
    "change_slug": (ChangeSlugForm, (S.VERIFIED,)),
    "set_trusted": (TrustedForm, (S.VERIFIED,)),
}


def _require_staff(request: HttpRequest) -> None:
    if not permissions.is_staff_admin(request.user):
        raise Http404


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    page = _page(request, selectors.verification_queue(user=request.user))
    return render(request, "communities/review/queue.html", {"page": page})


@login_required
def community_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = ReviewFilterForm(request.GET or None, provinces=region_selectors.province_choices())
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    communities = selectors.community_review_list(
        user=request.user,
        status=filters.get("status", ""),
        query=filters.get("q", ""),
        province=filters.get("provinsi", ""),
    )
    return render(
        request, "communities/review/list.html", {"page": _page(request, communities), "form": form}
    )


def _action_forms(community: Community, bound: dict | None = None) -> dict:
    """An unbound form for every action valid for the KIM's status, or the bound one given."""
    bound = bound or {}
    forms = {}
    for name, (form_class, statuses) in ACTIONS.items():
        if community.status not in statuses:
            continue
        if name in bound:
            forms[name] = bound[name]
            continue
        kwargs = {"auto_id": f"{name}_%s"}
        if form_class is ChangeSlugForm:
            kwargs["community"] = community
        forms[name] = form_class(**kwargs)
    return forms


def _render_detail(
    request: HttpRequest, community: Community, *, bound: dict | None = None, error: str = ""
) -> HttpResponse:
    context = {
        "community": community,
        "members": community.members.all(),
        "events": community.verification_events.select_related("actor").order_by(
            "created_at", "pk"
        ),
        "forms": _action_forms(community, bound),
        "action_error": error,
        "sk_is_old": decree_is_old(community.sk_date),
        "sk_max_age_years": sk_max_age_years(),
    }
    return render(request, "communities/review/detail.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_review(user=request.user, pk=pk)
    return _render_detail(request, community)


@login_required
def decree_file(request: HttpRequest, pk: int) -> HttpResponse:
    community = selectors.community_get_for_review(user=request.user, pk=pk)
    return private_file_response(community.sk_file.storage, community.sk_file.name)


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    perform: Callable[[Community, dict], str],
) -> HttpResponse:
    """Run one reviewer action: validate the form, call the service, redirect or re-render."""
    community = selectors.community_get_for_review(user=request.user, pk=pk)
    form_class, statuses = ACTIONS[name]
    kwargs = {"auto_id": f"{name}_%s"}
    if form_class is ChangeSlugForm:
        kwargs["community"] = community
    form = form_class(request.POST, **kwargs)
    error = ""
    if form.is_valid():
        try:
            message = perform(community, form.cleaned_data)
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            # The service refused before writing; read the KIM again in case it changed.
            community = selectors.community_get_for_review(user=request.user, pk=pk)
            if community.status in statuses:
                form.add_error(None, exc.messages)
            else:
                error = " ".join(exc.messages)
        else:
            messages.success(request, message)
            return redirect("review:detail", community.pk)
    return _render_detail(request, community, bound={name: form}, error=error)


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_verify(community=community, actor=request.user)
        return _("%(name)s diverifikasi; situsnya kini tayang.") % {"name": community}

    return _act(request, pk, "verify", perform)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_reject(community=community, actor=request.user, reason=data["reason"])
        return _("Pendaftaran %(name)s ditolak. Pendaftar menerima alasannya lewat email.") % {
            "name": community
        }

    return _act(request, pk, "reject", perform)


@login_required
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_suspend(community=community, actor=request.user, reason=data["reason"])
        return _("%(name)s dibekukan; situsnya tidak tayang lagi.") % {"name": community}

    return _act(request, pk, "suspend", perform)


@login_required
@require_POST
def reinstate(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_reinstate(community=community, actor=request.user, reason=data["reason"])
        return _("%(name)s diaktifkan kembali.") % {"name": community}

    return _act(request, pk, "reinstate", perform)


@login_required
@require_POST
def change_slug(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_change_slug(
            community=community,
            actor=request.user,
            new_slug=data["new_slug"],
            reason=data["reason"],
        )
        return _("Alamat subdomain diubah menjadi %(slug)s. Alamat lama dialihkan otomatis.") % {
            "slug": community.slug
        }

    return _act(request, pk, "change_slug", perform)


@login_required
@require_POST
def set_trusted(request: HttpRequest, pk: int) -> HttpResponse:
    def perform(community: Community, data: dict) -> str:
        services.community_set_trusted(
            community=community, actor=request.user, trusted=data["trusted"]
        )
        if data["trusted"]:
            return _("%(name)s ditandai tepercaya.") % {"name": community}
        return _("Status tepercaya %(name)s dicabut.") % {"name": community}

    return _act(request, pk, "set_trusted", perform)

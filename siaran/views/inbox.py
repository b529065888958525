"""A KIM's siaran inbox on kelola (every member of a live KIM), and relaying."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posts.services import can_write
from siaran import selectors, services

PAGE_SIZE = 20


@login_required
def inbox(request: HttpRequest, slug: str) -> HttpResponse:
    community = selectors.community_get_for_inbox(user=request.user, slug=slug)
    page = Paginator(selectors.inbox(community=community), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    services.inbox_mark_seen(community=community, user=request.user)
    return render(
        request,
        "siaran/inbox/list.html",
        {"community": community, "page": page, "may_relay": can_write(request.user, community)},
    )


@login_required
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.community_get_for_inbox(user=request.user, slug=slug)
    siaran = selectors.inbox_get(community=community, pk=pk)
    return render(
        request,
        "siaran/inbox/detail.html",
        {
            "community": community,
            "siaran": siaran,
            "images": selectors.portal_images(siaran),
            "may_relay": can_write(request.user, community),
        },
    )


@login_required
@require_POST
def relay(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    community = selectors.community_get_for_inbox(user=request.user, slug=slug)
    siaran = selectors.inbox_get(community=community, pk=pk)
    try:
        relay, created = services.siaran_relay(
            siaran=siaran, community=community, actor=request.user
        )
    except PermissionError as exc:
        raise Http404 from exc
    if created:
        messages.success(
            request,
            _("Draf tulisan dibuat dari siaran. Sesuaikan dengan bahasa KIM Anda lalu kirim."),
        )
    return redirect("posts:edit", community.slug, relay.post_id)
